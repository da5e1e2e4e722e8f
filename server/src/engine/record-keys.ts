/**
 * Keys of the state records. Queue names never contain `/`, so the first two segments of a key
 * are unambiguous whatever follows (deduplication ids may contain `/`).
 */
export const recordKey = {
  queue: (queueName: string): string => `q/${queueName}`,
  message: (queueName: string, messageId: string): string => `m/${queueName}/${messageId}`,
  deduplication: (queueName: string, key: string): string => `d/${queueName}/${key}`,
  receiveAttempt: (queueName: string, attemptId: string): string => `a/${queueName}/${attemptId}`,
  moveTask: (taskId: string): string => `t/${taskId}`,
  deletedQueue: (queueName: string): string => `x/${queueName}`,
};

export type RecordKind = 'q' | 'm' | 'd' | 'a' | 't' | 'x';

export interface ParsedKey {
  kind: RecordKind;
  /** Queue name (q, m, d, a, x) or task id (t). */
  owner: string;
  /** Message id, deduplication key or attempt id (m, d, a). */
  item: string;
}

export function parseRecordKey(key: string): ParsedKey | undefined {
  const kind = key.slice(0, 1);
  if (key.charAt(1) !== '/' || !'qmdatx'.includes(kind) || kind.length !== 1) return undefined;
  const rest = key.slice(2);
  if (kind === 'q' || kind === 't' || kind === 'x') return { kind, owner: rest, item: '' };
  const slash = rest.indexOf('/');
  if (slash < 0) return undefined;
  return { kind: kind as RecordKind, owner: rest.slice(0, slash), item: rest.slice(slash + 1) };
}
