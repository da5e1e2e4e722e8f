/**
 * Keys of the state records. A queue's records are owned by its id (`<region>:<account>:<name>`,
 * queue-address.ts); queue ids never contain `/`, so the first two segments of a key are
 * unambiguous whatever follows (deduplication ids may contain `/`).
 *
 * Files written before queues had accounts and regions own records by the bare queue name
 * (`q/orders`); `parseRecordKey` reads those as they are and the importer places them in the
 * node's own account and region (records.ts).
 */
import { queueId, splitQueueId, type Account, type QueueId } from './queue-address.js';

export const recordKey = {
  queue: (queue: QueueId): string => `q/${queue}`,
  message: (queue: QueueId, messageId: string): string => `m/${queue}/${messageId}`,
  deduplication: (queue: QueueId, key: string): string => `d/${queue}/${key}`,
  receiveAttempt: (queue: QueueId, attemptId: string): string => `a/${queue}/${attemptId}`,
  moveTask: (taskId: string): string => `t/${taskId}`,
  deletedQueue: (queue: QueueId): string => `x/${queue}`,
};

export type RecordKind = 'q' | 'm' | 'd' | 'a' | 't' | 'x';

export interface ParsedKey {
  kind: RecordKind;
  /** Queue id — or, in files of earlier versions, the bare queue name — (q, m, d, a, x) or task
   *  id (t). */
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

/** The queue id a record's owner segment stands for: itself, or — a bare name, in a file of an
 *  earlier version — that name in the node's own account and region. */
export function queueOwnerId(owner: string, home: Account): QueueId {
  return splitQueueId(owner) === undefined ? queueId(home, owner) : (owner as QueueId);
}

/** True for a record written before queues had accounts and regions (owned by a bare name). */
export function isLegacyRecordKey(key: string): boolean {
  const parsed = parseRecordKey(key);
  return parsed !== undefined && parsed.kind !== 't' && splitQueueId(parsed.owner) === undefined;
}
