/**
 * Long-poll consumers waiting while producers send: `concurrency` consumers hold
 * ReceiveMessage(WaitTimeSeconds=5) open; producers send at a fixed rate (open loop). Each body
 * carries its send time; latency is send → receive, measured in this one process (one clock).
 */
import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import { LatencyRecorder } from '../latency-recorder.js';
import { fixedBody } from '../message-body.js';
import { ErrorTally } from './error-tally.js';
import { pace } from './pacer.js';
import { createQueues, deleteQueues, queueName } from './queues.js';
import type { Measurement, PreparedRound, Workload, WorkloadContext } from './workload.js';

const WAIT_SECONDS = 5;
const PRODUCER_CONNECTIONS = 8;
const MAX_SENDS_IN_FLIGHT = 64;
/** After the producers stop: how long stragglers may take to arrive before the round ends. */
const SETTLE_MS = 3_000;

export const longPollWorkload: Workload = {
  name: 'long-poll',
  async prepare(context: WorkloadContext): Promise<PreparedRound> {
    const { setupCaller, params } = context;
    const [url] = await createQueues(setupCaller, [queueName('long-poll', params)]);
    return {
      measure: () => measureLongPoll(context, url!),
      cleanup: () => deleteQueues(setupCaller, [url!]),
    };
  },
};

async function measureLongPoll({ caller: consumerCaller, makeCaller, params }: WorkloadContext, url: string): Promise<Measurement> {
  const producerCaller = makeCaller(PRODUCER_CONNECTIONS);
  const recorder = new LatencyRecorder();
  const padding = fixedBody(Math.max(0, params.bodyBytes - 30));
  const consumersStop = new AbortController();
  // Every consumer's pending receive listens on this one signal.
  setMaxListeners(params.concurrency * 2 + 10, consumersStop.signal);
  let sent = 0;
  let received = 0;
  const errors = new ErrorTally();

  const consume = async (): Promise<void> => {
    while (!consumersStop.signal.aborted) {
      try {
        const messages = await consumerCaller.receiveMessages(url, 10, WAIT_SECONDS, consumersStop.signal);
        const now = performance.now();
        for (const message of messages) recorder.record(now - (JSON.parse(message.body) as { t: number }).t);
        received += messages.length;
        if (messages.length > 0) await consumerCaller.deleteMessageBatch(url, messages.map((message) => message.receiptHandle));
      } catch (error) {
        if (!consumersStop.signal.aborted) errors.record(error);
      }
    }
  };

  const consumers = Array.from({ length: params.concurrency }, consume);
  const { elapsedMs } = await pace({
    ratePerSecond: params.longPollRate,
    durationMs: params.durationMs,
    maxInFlight: MAX_SENDS_IN_FLIGHT,
    call: () =>
      producerCaller.sendMessage(url, JSON.stringify({ t: performance.now(), p: padding })).then(
        () => void sent++,
        errors.record,
      ),
    overloaded: () => errors.record(new Error(`more than ${MAX_SENDS_IN_FLIGHT} sends outstanding: offered rate not sustained`)),
  });
  const settleDeadline = performance.now() + SETTLE_MS;
  while (received < sent && performance.now() < settleDeadline) await new Promise((resolve) => setTimeout(resolve, 10));
  consumersStop.abort();
  await Promise.all(consumers);
  producerCaller.close();
  return { messages: received, errors: errors.count, firstError: errors.first, elapsedMs, latency: recorder.summary() };
}
