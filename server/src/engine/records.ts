/**
 * State as key/value records (see record-keys.ts): export for snapshots, import on restart or
 * snapshot install, and serialisation of the records touched since the last flush.
 *
 * Records hold everything behaviour depends on — including the order counters — so an engine
 * rebuilt from them answers every later command exactly as the original would.
 */
import type { EngineState } from './engine-state.js';
import { recomputeNextHousekeeping } from './housekeeping.js';
import type { MoveTask } from './move-task.js';
import { Queue, type DeduplicationEntry, type ReceiveAttempt } from './queue.js';
import { queueOwnerId, parseRecordKey, recordKey } from './record-keys.js';
import type { QueueId } from './queue-address.js';
import type { StateChanges } from './queue-engine.js';
import { MessageState, StoredMessage, type Delivery, type MessageExtras } from './stored-message.js';

interface QueueRecord {
  name: string;
  /** Absent in records of versions before accounts and regions: the node's own then. */
  accountId?: string;
  region?: string;
  fifo: boolean;
  attributes: Record<string, string>;
  tags: Record<string, string>;
  createdAt: number;
  modifiedAt: number;
  nextSeq: number;
  nextVisibleOrder: number;
  lastPurgedAt?: number;
}

/** A message as stored: every field, optional ones only when set. */
interface MessageRecord {
  id: string;
  body: string;
  md5OfBody: string;
  senderId: string;
  sentAt: number;
  seq: number;
  state: MessageState;
  visibleAt?: number;
  visibleOrder: number;
  extras?: MessageExtras;
  delivery?: Delivery;
}

export function* exportRecords(state: EngineState): IterableIterator<[string, string]> {
  for (const queue of state.queues.values()) {
    yield [recordKey.queue(queue.id), JSON.stringify(queueRecord(queue))];
    const messages: StoredMessage[] = [];
    queue.store.forEachMessage((message) => messages.push(message));
    for (const message of messages) yield [recordKey.message(queue.id, message.id), JSON.stringify(messageRecord(message))];
    for (const [key, entry] of queue.deduplication.entries) {
      yield [recordKey.deduplication(queue.id, key), JSON.stringify(entry)];
    }
    for (const [key, attempt] of queue.receiveAttempts.entries) {
      yield [recordKey.receiveAttempt(queue.id, key), JSON.stringify(attempt)];
    }
  }
  for (const task of state.moveTasks.values()) yield [recordKey.moveTask(task.taskId), JSON.stringify(task)];
  for (const [id, deletedAt] of state.deletedQueues) yield [recordKey.deletedQueue(id), JSON.stringify({ deletedAt })];
}

/** The current value of each touched record, or null when it no longer exists. */
export function serializeChanges(state: EngineState, touched: Map<string, StoredMessage | undefined>): StateChanges {
  const changes: StateChanges = new Map();
  for (const [key, message] of touched) changes.set(key, currentValue(state, key, message));
  return changes;
}

export function importRecords(state: EngineState, records: Iterable<[string, string]>): void {
  const messages = new Map<QueueId, StoredMessage[]>();
  const deduplication = new Map<QueueId, [string, DeduplicationEntry][]>();
  const attempts = new Map<QueueId, [string, ReceiveAttempt][]>();
  const tasks: MoveTask[] = [];
  for (const [key, value] of records) {
    const parsed = parseRecordKey(key);
    if (parsed === undefined) continue;
    switch (parsed.kind) {
      case 'q': {
        const record = JSON.parse(value) as QueueRecord;
        const account = record.accountId !== undefined && record.region !== undefined
          ? { accountId: record.accountId, region: record.region }
          : state.account;
        const queue = new Queue(account, record.name, record.fifo, record.attributes, record.tags, record.createdAt, state.changes);
        queue.modifiedAt = record.modifiedAt;
        queue.store.nextSeq = record.nextSeq;
        queue.store.nextVisibleOrder = record.nextVisibleOrder;
        queue.lastPurgedAt = record.lastPurgedAt;
        state.queues.set(queue.id, queue);
        break;
      }
      case 'm':
        listIn(messages, queueOwnerId(parsed.owner, state.account)).push(restoreMessage(JSON.parse(value) as MessageRecord));
        break;
      case 'd':
        listIn(deduplication, queueOwnerId(parsed.owner, state.account)).push([parsed.item, JSON.parse(value) as DeduplicationEntry]);
        break;
      case 'a':
        listIn(attempts, queueOwnerId(parsed.owner, state.account)).push([parsed.item, JSON.parse(value) as ReceiveAttempt]);
        break;
      case 't':
        tasks.push(JSON.parse(value) as MoveTask);
        break;
      case 'x':
        state.deletedQueues.set(queueOwnerId(parsed.owner, state.account), (JSON.parse(value) as { deletedAt: number }).deletedAt);
        break;
    }
  }
  for (const queue of state.queues.values()) {
    // Visible standard messages must line up in their original order, FIFO groups in sequence.
    const restored = (messages.get(queue.id) ?? []).sort((a, b) =>
      queue.fifo ? a.seq - b.seq : a.visibleOrder - b.visibleOrder || a.seq - b.seq);
    for (const message of restored) queue.store.restore(message);
    const byExpiry = <V extends { expiresAt: number }>(list: [string, V][]): [string, V][] =>
      list.sort((a, b) => a[1].expiresAt - b[1].expiresAt);
    for (const [key, entry] of byExpiry(deduplication.get(queue.id) ?? [])) queue.deduplication.set(key, entry);
    for (const [key, attempt] of byExpiry(attempts.get(queue.id) ?? [])) queue.receiveAttempts.set(key, attempt);
  }
  tasks.sort((a, b) => a.startedAt - b.startedAt);
  for (const task of tasks) state.moveTasks.set(task.taskId, task);
  recomputeNextHousekeeping(state);
}

function currentValue(state: EngineState, key: string, message: StoredMessage | undefined): string | null {
  const parsed = parseRecordKey(key);
  if (parsed === undefined) return null;
  if (parsed.kind === 't') {
    const task = state.moveTasks.get(parsed.owner);
    return task === undefined ? null : JSON.stringify(task);
  }
  if (parsed.kind === 'x') {
    // Touched keys come from the change tracker: their owner is always a queue id.
    const deletedAt = state.deletedQueues.get(parsed.owner as QueueId);
    return deletedAt === undefined ? null : JSON.stringify({ deletedAt });
  }
  const queue = state.queues.get(parsed.owner as QueueId);
  if (queue === undefined) return null;
  switch (parsed.kind) {
    case 'q':
      return JSON.stringify(queueRecord(queue));
    case 'm':
      // A message belongs to one queue until it is deleted (moves create a new object).
      return message === undefined || message.state === MessageState.Deleted ? null : JSON.stringify(messageRecord(message));
    case 'd': {
      const entry = queue.deduplication.entries.get(parsed.item);
      return entry === undefined ? null : JSON.stringify(entry);
    }
    case 'a': {
      const attempt = queue.receiveAttempts.entries.get(parsed.item);
      return attempt === undefined ? null : JSON.stringify(attempt);
    }
  }
}

function queueRecord(queue: Queue): QueueRecord {
  return {
    name: queue.name,
    accountId: queue.account.accountId,
    region: queue.account.region,
    fifo: queue.fifo,
    attributes: { ...queue.attributes },
    tags: queue.tags,
    createdAt: queue.createdAt,
    modifiedAt: queue.modifiedAt,
    nextSeq: queue.store.nextSeq,
    nextVisibleOrder: queue.store.nextVisibleOrder,
    ...(queue.lastPurgedAt === undefined ? {} : { lastPurgedAt: queue.lastPurgedAt }),
  };
}

function messageRecord(message: StoredMessage): MessageRecord {
  const record: MessageRecord = {
    id: message.id,
    body: message.body,
    md5OfBody: message.md5OfBody,
    senderId: message.senderId,
    sentAt: message.sentAt,
    seq: message.seq,
    state: message.state,
    visibleOrder: message.visibleOrder,
  };
  if (message.visibleAt !== undefined) record.visibleAt = message.visibleAt;
  if (message.extras !== undefined) record.extras = message.extras;
  if (message.delivery !== undefined) record.delivery = message.delivery;
  return record;
}

function restoreMessage(record: MessageRecord): StoredMessage {
  const message = new StoredMessage({
    id: record.id,
    body: record.body,
    md5OfBody: record.md5OfBody,
    senderId: record.senderId,
    sentAt: record.sentAt,
    extras: record.extras,
  });
  message.seq = record.seq;
  message.state = record.state;
  message.visibleAt = record.visibleAt;
  message.visibleOrder = record.visibleOrder;
  message.delivery = record.delivery;
  return message;
}

function listIn<K, V>(map: Map<K, V[]>, key: K): V[] {
  let list = map.get(key);
  if (list === undefined) {
    list = [];
    map.set(key, list);
  }
  return list;
}
