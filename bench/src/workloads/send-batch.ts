/** SendMessageBatch with 10 entries per call: messages/s counts entries, latency is per call. */
import { runFixedRequest } from '../loader/autocannon-runner.js';
import { sendMessageBatchRequest } from '../loader/json-requests.js';
import type { BatchEntry } from '../loader/sqs-caller.js';
import { BATCH_IDS, fixedBody } from '../message-body.js';
import { closedLoop } from './closed-loop.js';
import { createQueues, deleteQueues, queueName } from './queues.js';
import type { Measurement, PreparedRound, Workload, WorkloadContext } from './workload.js';

export const sendBatchWorkload: Workload = {
  name: 'send-batch',
  async prepare({ caller, setupCaller, params, loader, endpoint }: WorkloadContext): Promise<PreparedRound> {
    const [url] = await createQueues(setupCaller, [queueName('send-batch', params)]);
    const body = fixedBody(params.bodyBytes);
    const entries: BatchEntry[] = BATCH_IDS.map((id) => ({ id, body }));
    const measure = (): Promise<Measurement> =>
      loader === 'autocannon'
        ? runFixedRequest({
            endpoint,
            action: 'SendMessageBatch',
            payload: sendMessageBatchRequest(url!, entries),
            connections: params.concurrency,
            durationMs: params.durationMs,
            messagesPerRequest: entries.length,
          })
        : closedLoop({
            concurrency: params.concurrency,
            durationMs: params.durationMs,
            iteration: async () => {
              await caller.sendMessageBatch(url!, entries);
              return entries.length;
            },
          });
    return { measure, cleanup: () => deleteQueues(setupCaller, [url!]) };
  },
};
