/**
 * Draining a backlog: the queue is filled with `depth` messages before the window opens, then
 * consumers repeat ReceiveMessage (10, no wait) + DeleteMessageBatch until `drainCount` messages
 * are gone. Taking a fixed count off backlogs of growing depth shows whether the per-message cost
 * depends on depth. The FIFO flavour fills 10 message groups.
 */
import { closedLoop } from './closed-loop.js';
import { createQueues, deleteQueues, FIFO_ATTRIBUTES, fillQueue, queueName } from './queues.js';
import type { PreparedRound, Workload, WorkloadContext, WorkloadName } from './workload.js';

function drainWorkload(name: WorkloadName, fifo: boolean): Workload {
  return {
    name,
    async prepare({ caller, setupCaller, params }: WorkloadContext): Promise<PreparedRound> {
      const [url] = await createQueues(setupCaller, [queueName(name, params, 0, fifo)], fifo ? { ...FIFO_ATTRIBUTES } : undefined);
      await fillQueue(setupCaller, url!, params.depth, params.bodyBytes, fifo ? params.roundTag : undefined);
      const target = Math.min(params.drainCount, params.depth);
      return {
        measure: () =>
          closedLoop({
            concurrency: params.concurrency,
            durationMs: params.durationMs,
            done: (drained) => drained >= target,
            iteration: async () => {
              const messages = await caller.receiveMessages(url!, 10, 0);
              if (messages.length === 0) return 0;
              await caller.deleteMessageBatch(url!, messages.map((message) => message.receiptHandle));
              return messages.length;
            },
          }),
        cleanup: () => deleteQueues(setupCaller, [url!]),
      };
    },
  };
}

export const receiveDeleteWorkload = drainWorkload('receive-delete', false);
export const fifoReceiveDeleteWorkload = drainWorkload('fifo-receive-delete', true);
