/**
 * SendMessage at a fixed rate (open loop) rather than as fast as possible: the load at which a
 * cluster's replication lag is judged ("at half the throughput it can take").
 */
import { performance } from 'node:perf_hooks';
import { LatencyRecorder } from '../latency-recorder.js';
import { fixedBody } from '../message-body.js';
import { ErrorTally } from './error-tally.js';
import { pace } from './pacer.js';
import { createQueues, deleteQueues, queueName } from './queues.js';
import type { PreparedRound, Workload, WorkloadContext } from './workload.js';

const MAX_IN_FLIGHT = 256;

export const sendPacedWorkload: Workload = {
  name: 'send-paced',
  async prepare({ caller, setupCaller, params }: WorkloadContext): Promise<PreparedRound> {
    const [url] = await createQueues(setupCaller, [queueName('send-paced', params)]);
    const body = fixedBody(params.bodyBytes);
    return {
      async measure() {
        const recorder = new LatencyRecorder();
        let messages = 0;
        const errors = new ErrorTally();
        const { elapsedMs } = await pace({
          ratePerSecond: params.pacedRate,
          durationMs: params.durationMs,
          maxInFlight: MAX_IN_FLIGHT,
          call: () => {
            const started = performance.now();
            return caller.sendMessage(url!, body).then(() => {
              recorder.record(performance.now() - started);
              messages++;
            }, errors.record);
          },
          overloaded: () => errors.record(new Error(`more than ${MAX_IN_FLIGHT} sends outstanding: offered rate not sustained`)),
        });
        return { messages, errors: errors.count, firstError: errors.first, elapsedMs, latency: recorder.summary() };
      },
      cleanup: () => deleteQueues(setupCaller, [url!]),
    };
  },
};
