/**
 * SendMessage, one message per call, to one queue or round-robin over `queues` queues; the FIFO
 * flavour spreads messages over 10 message groups with a unique deduplication id each.
 */
import { runFixedRequest } from '../loader/autocannon-runner.js';
import { sendMessageRequest } from '../loader/json-requests.js';
import type { FifoFields } from '../loader/sqs-caller.js';
import { fixedBody } from '../message-body.js';
import { closedLoop } from './closed-loop.js';
import { createQueues, deleteQueues, FIFO_ATTRIBUTES, FIFO_GROUPS, queueName } from './queues.js';
import type { Measurement, PreparedRound, Workload, WorkloadContext, WorkloadName } from './workload.js';

function sendWorkloadOf(name: WorkloadName, fifo: boolean): Workload {
  return {
    name,
    async prepare({ caller, setupCaller, params, loader, endpoint }: WorkloadContext): Promise<PreparedRound> {
      const queueCount = fifo ? 1 : params.queues;
      if (loader === 'autocannon' && (fifo || queueCount > 1)) throw new Error(`${name}: autocannon only sends one fixed request to one queue`);
      const names = Array.from({ length: queueCount }, (_, index) => queueName(name, params, index, fifo));
      const urls = await createQueues(setupCaller, names, fifo ? { ...FIFO_ATTRIBUTES } : undefined);
      const body = fixedBody(params.bodyBytes);
      const fifoFields = (sequence: number): FifoFields | undefined =>
        fifo ? { groupId: `g${sequence % FIFO_GROUPS}`, deduplicationId: `d${sequence}` } : undefined;
      const measure = (): Promise<Measurement> =>
        loader === 'autocannon'
          ? runFixedRequest({
              endpoint,
              action: 'SendMessage',
              payload: sendMessageRequest(urls[0]!, body),
              connections: params.concurrency,
              durationMs: params.durationMs,
              messagesPerRequest: 1,
            })
          : closedLoop({
              concurrency: params.concurrency,
              durationMs: params.durationMs,
              iteration: async (sequence) => {
                await caller.sendMessage(urls[sequence % urls.length]!, body, fifoFields(sequence));
                return 1;
              },
            });
      return { measure, cleanup: () => deleteQueues(setupCaller, urls) };
    },
  };
}

export const sendWorkload = sendWorkloadOf('send', false);
export const fifoSendWorkload = sendWorkloadOf('fifo-send', true);
