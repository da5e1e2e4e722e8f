/**
 * Messages waiting: the queue is filled with `depth` messages (batches of 10, raw HTTP, outside
 * the window), then the window is idle time in which nothing touches them. The row's figures are
 * what holding them costs: RSS at the end of the window (`rss now MiB`) and idle CPU.
 */
import { performance } from 'node:perf_hooks';
import { LatencyRecorder } from '../latency-recorder.js';
import { createQueues, deleteQueues, fillQueue, queueName } from './queues.js';
import type { PreparedRound, Workload, WorkloadContext } from './workload.js';

export const holdWorkload: Workload = {
  name: 'hold',
  async prepare({ setupCaller, params }: WorkloadContext): Promise<PreparedRound> {
    const [url] = await createQueues(setupCaller, [queueName('hold', params)]);
    await fillQueue(setupCaller, url!, params.depth, params.bodyBytes);
    return {
      async measure() {
        const started = performance.now();
        // Long enough for the fill's garbage to be collected, so RSS is what the messages hold.
        await new Promise((resolve) => setTimeout(resolve, params.durationMs));
        return { messages: 0, errors: 0, elapsedMs: performance.now() - started, latency: new LatencyRecorder().summary() };
      },
      cleanup: () => deleteQueues(setupCaller, [url!]),
    };
  },
};
