/**
 * The few SQS calls the workloads make, behind one interface so that every workload runs
 * unchanged through either load generator: the real AWS SDK v3 (what users see) or pre-built
 * AWS JSON 1.0 requests over raw keep-alive HTTP (what the server can take).
 */
/** `autocannon` only runs fixed requests (SendMessage, SendMessageBatch to one queue). */
export type LoaderKind = 'sdk' | 'raw' | 'autocannon';
export const LOADER_KINDS: readonly LoaderKind[] = ['sdk', 'raw', 'autocannon'];

export interface FifoFields {
  groupId: string;
  deduplicationId: string;
}

export interface BatchEntry {
  id: string;
  body: string;
  fifo?: FifoFields;
}

export interface ReceivedMessage {
  body: string;
  receiptHandle: string;
}

export interface SqsCaller {
  createQueue(name: string, attributes?: Readonly<Record<string, string>>): Promise<string>;
  deleteQueue(queueUrl: string): Promise<void>;
  sendMessage(queueUrl: string, body: string, fifo?: FifoFields): Promise<void>;
  /** Rejects when any entry failed: the workloads only count fully accepted batches. */
  sendMessageBatch(queueUrl: string, entries: readonly BatchEntry[]): Promise<void>;
  receiveMessages(queueUrl: string, maxMessages: number, waitSeconds: number, signal?: AbortSignal): Promise<ReceivedMessage[]>;
  /** Rejects when any entry failed. */
  deleteMessageBatch(queueUrl: string, receiptHandles: readonly string[]): Promise<void>;
  close(): void;
}
