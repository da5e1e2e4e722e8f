/**
 * The light loader: AWS JSON 1.0 requests written straight onto keep-alive `node:http`
 * connections, without signing, retries or response models. The common request of a run — the
 * same body sent to the same queue — is serialized once and reused.
 */
import http from 'node:http';
import { sendMessageBatchRequest, sendMessageRequest } from './json-requests.js';
import type { BatchEntry, FifoFields, ReceivedMessage, SqsCaller } from './sqs-caller.js';

const JSON_CONTENT_TYPE = 'application/x-amz-json-1.0';

export class RawHttpCaller implements SqsCaller {
  private readonly agent: http.Agent;
  private readonly url: URL;
  private lastSend: { queueUrl: string; body: string; payload: Buffer } | undefined;

  constructor(endpoint: string, connections: number) {
    this.url = new URL(endpoint);
    this.agent = new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  }

  async createQueue(name: string, attributes?: Readonly<Record<string, string>>): Promise<string> {
    const answer = await this.call('CreateQueue', JSON.stringify({ QueueName: name, Attributes: attributes }));
    return (JSON.parse(answer) as { QueueUrl: string }).QueueUrl;
  }

  async deleteQueue(queueUrl: string): Promise<void> {
    await this.call('DeleteQueue', JSON.stringify({ QueueUrl: queueUrl }));
  }

  async sendMessage(queueUrl: string, body: string, fifo?: FifoFields): Promise<void> {
    await this.call('SendMessage', fifo ? sendMessageRequest(queueUrl, body, fifo) : this.prebuiltSend(queueUrl, body));
  }

  async sendMessageBatch(queueUrl: string, entries: readonly BatchEntry[]): Promise<void> {
    rejectFailedEntries('SendMessageBatch', await this.call('SendMessageBatch', sendMessageBatchRequest(queueUrl, entries)));
  }

  async receiveMessages(queueUrl: string, maxMessages: number, waitSeconds: number, signal?: AbortSignal): Promise<ReceivedMessage[]> {
    const request = JSON.stringify({ QueueUrl: queueUrl, MaxNumberOfMessages: maxMessages, WaitTimeSeconds: waitSeconds });
    const answer = JSON.parse(await this.call('ReceiveMessage', request, signal)) as { Messages?: { Body: string; ReceiptHandle: string }[] };
    return (answer.Messages ?? []).map((message) => ({ body: message.Body, receiptHandle: message.ReceiptHandle }));
  }

  async deleteMessageBatch(queueUrl: string, receiptHandles: readonly string[]): Promise<void> {
    const request = { QueueUrl: queueUrl, Entries: receiptHandles.map((ReceiptHandle, index) => ({ Id: String(index), ReceiptHandle })) };
    rejectFailedEntries('DeleteMessageBatch', await this.call('DeleteMessageBatch', JSON.stringify(request)));
  }

  close(): void {
    this.agent.destroy();
  }

  private prebuiltSend(queueUrl: string, body: string): Buffer {
    if (this.lastSend?.queueUrl !== queueUrl || this.lastSend.body !== body) {
      this.lastSend = { queueUrl, body, payload: Buffer.from(sendMessageRequest(queueUrl, body)) };
    }
    return this.lastSend.payload;
  }

  /** POSTs one action; resolves with the answer text on 200, rejects with status and text otherwise. */
  private call(action: string, payload: string | Buffer, signal?: AbortSignal): Promise<string> {
    return new Promise((resolve, reject) => {
      const request = http.request(
        {
          agent: this.agent,
          hostname: this.url.hostname,
          port: this.url.port,
          method: 'POST',
          path: '/',
          signal,
          headers: {
            'content-type': JSON_CONTENT_TYPE,
            'x-amz-target': `AmazonSQS.${action}`,
            'content-length': Buffer.byteLength(payload),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (response.statusCode === 200) resolve(text);
            else reject(new Error(`${action}: HTTP ${response.statusCode} ${text.slice(0, 200)}`));
          });
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(payload);
    });
  }
}

function rejectFailedEntries(action: string, answer: string): void {
  const failed = (JSON.parse(answer) as { Failed?: unknown[] }).Failed;
  if (failed && failed.length > 0) throw new Error(`${action}: ${failed.length} entries failed: ${JSON.stringify(failed[0])}`);
}
