/** SendMessageBatch with 10 entries per call: messages/s counts entries, latency is per call. */
import { BATCH_IDS, fixedBody } from '../message-body.js';
import type { BatchEntry } from '../loader/sqs-caller.js';
import { closedLoop } from './closed-loop.js';
import { createQueues, deleteQueues, queueName } from './queues.js';
import type { PreparedRound, Workload, WorkloadContext } from './workload.js';

export const sendBatchWorkload: Workload = {
  name: 'send-batch',
  async prepare({ caller, setupCaller, params }: WorkloadContext): Promise<PreparedRound> {
    const [url] = await createQueues(setupCaller, [queueName('send-batch', params)]);
    const body = fixedBody(params.bodyBytes);
    const entries: BatchEntry[] = BATCH_IDS.map((id) => ({ id, body }));
    return {
      measure: () =>
        closedLoop({
          concurrency: params.concurrency,
          durationMs: params.durationMs,
          iteration: async () => {
            await caller.sendMessageBatch(url!, entries);
            return entries.length;
          },
        }),
      cleanup: () => deleteQueues(setupCaller, [url!]),
    };
  },
};
