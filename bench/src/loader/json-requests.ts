/**
 * AWS JSON 1.0 request bodies, shared by the raw loader and autocannon so both send the same bytes.
 */
import type { BatchEntry, FifoFields } from './sqs-caller.js';

export function sendMessageRequest(queueUrl: string, body: string, fifo?: FifoFields): string {
  return JSON.stringify({
    QueueUrl: queueUrl,
    MessageBody: body,
    ...(fifo ? { MessageGroupId: fifo.groupId, MessageDeduplicationId: fifo.deduplicationId } : {}),
  });
}

export function sendMessageBatchRequest(queueUrl: string, entries: readonly BatchEntry[]): string {
  return JSON.stringify({
    QueueUrl: queueUrl,
    Entries: entries.map((entry) => ({
      Id: entry.id,
      MessageBody: entry.body,
      ...(entry.fifo ? { MessageGroupId: entry.fifo.groupId, MessageDeduplicationId: entry.fifo.deduplicationId } : {}),
    })),
  });
}
