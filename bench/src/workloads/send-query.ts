/**
 * SendMessage over the AWS Query protocol (form-encoded request, XML answer: what aws-sdk v2 and
 * older clients speak), one fixed request repeated by autocannon — the Query twin of `send`
 * through autocannon, so the two protocols compare byte for byte in what the loader costs.
 */
import { runFixedRequest } from '../loader/autocannon-runner.js';
import { fixedBody } from '../message-body.js';
import { createQueues, deleteQueues, queueName } from './queues.js';
import type { PreparedRound, Workload, WorkloadContext } from './workload.js';

export function sendMessageQueryRequest(queueUrl: string, body: string): string {
  return new URLSearchParams({ Action: 'SendMessage', Version: '2012-11-05', QueueUrl: queueUrl, MessageBody: body }).toString();
}

export const sendQueryWorkload: Workload = {
  name: 'send-query',
  async prepare({ setupCaller, params, loader, endpoint }: WorkloadContext): Promise<PreparedRound> {
    if (loader !== 'autocannon') throw new Error('send-query: runs through autocannon only (one fixed Query request)');
    const [url] = await createQueues(setupCaller, [queueName('send-query', params)]);
    return {
      measure: () =>
        runFixedRequest({
          endpoint,
          action: 'SendMessage',
          payload: sendMessageQueryRequest(url!, fixedBody(params.bodyBytes)),
          connections: params.concurrency,
          durationMs: params.durationMs,
          messagesPerRequest: 1,
          protocol: 'query',
        }),
      cleanup: () => deleteQueues(setupCaller, [url!]),
    };
  },
};
