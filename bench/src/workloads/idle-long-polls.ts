/**
 * Many consumers waiting on empty queues: `concurrency` long polls (ReceiveMessage,
 * WaitTimeSeconds=20) parked over `queues` queues, round-robin, each re-issued as soon as it comes
 * back empty. They are parked before the window opens; the window is idle time, so the row's
 * figure is what waiting consumers cost the server (`srv %core`), not messages.
 */
import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import { RawHttpCaller } from '../loader/raw-caller.js';
import { LatencyRecorder } from '../latency-recorder.js';
import { ErrorTally } from './error-tally.js';
import { createQueues, deleteQueues, queueName } from './queues.js';
import type { PreparedRound, Workload, WorkloadContext } from './workload.js';

const WAIT_SECONDS = 20;
/** Time for every poll to reach the server and park before the idle window opens. */
const PARK_MS = 1_500;

export const idleLongPollsWorkload: Workload = {
  name: 'idle-long-polls',
  async prepare({ endpoint, setupCaller, params }: WorkloadContext): Promise<PreparedRound> {
    const names = Array.from({ length: params.queues }, (_, index) => queueName('idle-polls', params, index));
    const urls = await createQueues(setupCaller, names);
    // Raw HTTP whatever the loader: a thousand SDK clients would measure the SDK, and each poll
    // needs a connection of its own.
    const caller = new RawHttpCaller(endpoint, params.concurrency);
    const stop = new AbortController();
    setMaxListeners(params.concurrency * 2 + 10, stop.signal);
    const errors = new ErrorTally();
    const poll = async (index: number): Promise<void> => {
      while (!stop.signal.aborted) {
        try {
          await caller.receiveMessages(urls[index % urls.length]!, 1, WAIT_SECONDS, stop.signal);
        } catch (error) {
          if (!stop.signal.aborted) errors.record(error);
        }
      }
    };
    const polls = Array.from({ length: params.concurrency }, (_, index) => poll(index));
    await new Promise((resolve) => setTimeout(resolve, PARK_MS));
    return {
      async measure() {
        const started = performance.now();
        await new Promise((resolve) => setTimeout(resolve, params.durationMs));
        return { messages: 0, errors: errors.count, firstError: errors.first, elapsedMs: performance.now() - started, latency: new LatencyRecorder().summary() };
      },
      async cleanup() {
        stop.abort();
        await Promise.all(polls);
        caller.close();
        await deleteQueues(setupCaller, urls);
      },
    };
  },
};
