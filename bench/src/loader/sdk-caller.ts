/**
 * The user's view: `@aws-sdk/client-sqs` v3 with a keep-alive agent sized to the concurrency.
 * Retries are off so that errors are counted, not hidden in latency.
 */
import http from 'node:http';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { BatchEntry, FifoFields, ReceivedMessage, SqsCaller } from './sqs-caller.js';

export class SdkCaller implements SqsCaller {
  private readonly agent: http.Agent;
  private readonly client: SQSClient;

  constructor(endpoint: string, connections: number) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
    this.client = new SQSClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
      maxAttempts: 1,
      requestHandler: new NodeHttpHandler({ httpAgent: this.agent }),
    });
  }

  async createQueue(name: string, attributes?: Readonly<Record<string, string>>): Promise<string> {
    const answer = await this.client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes ? { ...attributes } : undefined }));
    return answer.QueueUrl!;
  }

  async deleteQueue(queueUrl: string): Promise<void> {
    await this.client.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
  }

  async sendMessage(queueUrl: string, body: string, fifo?: FifoFields): Promise<void> {
    await this.client.send(
      new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body, MessageGroupId: fifo?.groupId, MessageDeduplicationId: fifo?.deduplicationId }),
    );
  }

  async sendMessageBatch(queueUrl: string, entries: readonly BatchEntry[]): Promise<void> {
    const answer = await this.client.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: entries.map((entry) => ({
          Id: entry.id,
          MessageBody: entry.body,
          MessageGroupId: entry.fifo?.groupId,
          MessageDeduplicationId: entry.fifo?.deduplicationId,
        })),
      }),
    );
    if (answer.Failed?.length) throw new Error(`SendMessageBatch: ${answer.Failed.length} entries failed: ${answer.Failed[0]!.Code}`);
  }

  async receiveMessages(queueUrl: string, maxMessages: number, waitSeconds: number, signal?: AbortSignal): Promise<ReceivedMessage[]> {
    const answer = await this.client.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: maxMessages, WaitTimeSeconds: waitSeconds }),
      { abortSignal: signal },
    );
    return (answer.Messages ?? []).map((message) => ({ body: message.Body ?? '', receiptHandle: message.ReceiptHandle! }));
  }

  async deleteMessageBatch(queueUrl: string, receiptHandles: readonly string[]): Promise<void> {
    const answer = await this.client.send(
      new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: receiptHandles.map((ReceiptHandle, index) => ({ Id: String(index), ReceiptHandle })) }),
    );
    if (answer.Failed?.length) throw new Error(`DeleteMessageBatch: ${answer.Failed.length} entries failed: ${answer.Failed[0]!.Code}`);
  }

  close(): void {
    this.client.destroy();
    this.agent.destroy();
  }
}
