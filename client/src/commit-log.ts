/**
 * Where each message sent through a testkit SQS client was committed: the `x-replimq-log-index`
 * and `x-replimq-replicas` headers of its SendMessage / SendMessageBatch answer, by message id.
 * The replication assertions look messages up here to know which log index to check nodes for.
 */
export interface CommitRecord {
  /** Log index the write was committed at. */
  logIndex: number;
  /** Nodes that held it when the answer was sent, the answering leader included. */
  replicas: number;
}

export const LOG_INDEX_HEADER = 'x-replimq-log-index';
export const REPLICAS_HEADER = 'x-replimq-replicas';

const CAPACITY = 100_000;
const commitsByMessageId = new Map<string, CommitRecord>();

export function recordCommit(messageId: string, commit: CommitRecord): void {
  commitsByMessageId.delete(messageId);
  commitsByMessageId.set(messageId, commit);
  if (commitsByMessageId.size > CAPACITY) {
    const oldest = commitsByMessageId.keys().next().value;
    if (oldest !== undefined) commitsByMessageId.delete(oldest);
  }
}

export function commitOf(messageId: string): CommitRecord | undefined {
  return commitsByMessageId.get(messageId);
}

/** The commit a response's headers describe, if it carries them. */
export function commitFromHeaders(headers: Record<string, string | undefined>): CommitRecord | undefined {
  const logIndex = Number(headers[LOG_INDEX_HEADER]);
  const replicas = Number(headers[REPLICAS_HEADER]);
  if (!Number.isInteger(logIndex) || !Number.isInteger(replicas) || headers[LOG_INDEX_HEADER] === undefined) {
    return undefined;
  }
  return { logIndex, replicas };
}
