/**
 * The history checker: a pure function of the recorded history, run after heal-and-drain, when
 * every message still in a queue has been received. Per ack mode it counts, in the spirit of the
 * Jepsen analyses of RabbitMQ's quorum queues (lost, recovered, unexpected, duplicated):
 *
 * - lost: acknowledged sends never delivered;
 * - recovered: sends of unknown outcome that were delivered after all;
 * - unexpected: sends that failed for certain, yet were delivered;
 * - phantoms: deliveries of messages nobody sent;
 * - duplicates: deliveries beyond a message's first (standard queues are at-least-once, so these
 *   are reported, not violations), and among them redeliveries after an acknowledged delete;
 * - FIFO order violations per group and deduplication violations;
 * - corrupted: deliveries whose body differs from the one sent.
 */
import type { AckMode } from '../node-options.js';
import type { Delivery, History, OperationRecord, Outcome } from './history.js';
import type { PlannedQueue } from './plan.js';

/** SQS FIFO queues deduplicate within five minutes of a send. */
export const DEDUPLICATION_WINDOW_MS = 5 * 60_000;
const EXAMPLES = 20;

export interface DeliveryCounts {
  queues: number;
  /** Distinct messages a send was attempted for. */
  sent: number;
  /** Sends acknowledged (`ok`). */
  acked: number;
  /** Sends that certainly failed. */
  failed: number;
  /** Sends whose every attempt ended `unknown`. */
  unknown: number;
  /** Distinct messages delivered at least once. */
  delivered: number;
  lost: number;
  recovered: number;
  unexpected: number;
  phantoms: number;
  /** Deliveries beyond each message's first. */
  duplicates: number;
  /** Messages delivered more than once. */
  duplicatedMessages: number;
  /** Messages delivered again after a delete of theirs was acknowledged (while its receipt handle was current). */
  redeliveredAfterDelete: number;
  orderViolations: number;
  dedupViolations: number;
  corrupted: number;
  deletesAcked: number;
  /** Up to 20 message ids (or SQS message ids, for phantoms) per finding. */
  examples: Partial<Record<Finding, string[]>>;
}

export type Finding = 'lost' | 'recovered' | 'unexpected' | 'phantoms' | 'duplicatedMessages' | 'redeliveredAfterDelete' | 'orderViolations' | 'dedupViolations' | 'corrupted';

export interface CheckOptions {
  /** The queues' visibility timeout: a delete acknowledged within it of its receive used a current receipt handle. */
  visibilityTimeoutMs: number;
}

interface SendState {
  id: string;
  outcome: Outcome;
  group?: string;
  seq?: number;
  attemptsMs: number[];
}

interface ObservedDelivery extends Delivery {
  key: string;
  invokeMs: number;
  completeMs: number;
  order: number;
}

export function checkHistory(queues: readonly PlannedQueue[], history: History, options: CheckOptions): Partial<Record<AckMode, DeliveryCounts>> {
  const byMode: Partial<Record<AckMode, DeliveryCounts>> = {};
  const operationsByQueue = groupBy(history.operations, (operation) => operation.queue);
  for (const queue of queues) {
    const counts = (byMode[queue.ackMode] ??= emptyCounts());
    counts.queues += 1;
    checkQueue(queue, operationsByQueue.get(queue.key) ?? [], options, counts);
  }
  return byMode;
}

export function emptyCounts(): DeliveryCounts {
  return {
    queues: 0,
    sent: 0,
    acked: 0,
    failed: 0,
    unknown: 0,
    delivered: 0,
    lost: 0,
    recovered: 0,
    unexpected: 0,
    phantoms: 0,
    duplicates: 0,
    duplicatedMessages: 0,
    redeliveredAfterDelete: 0,
    orderViolations: 0,
    dedupViolations: 0,
    corrupted: 0,
    deletesAcked: 0,
    examples: {},
  };
}

function checkQueue(queue: PlannedQueue, operations: readonly OperationRecord[], options: CheckOptions, counts: DeliveryCounts): void {
  const sends = sendStates(operations);
  const deliveries = observedDeliveries(operations);
  const deletedAt = acknowledgedDeletes(operations, counts);
  const deliveriesById = groupBy(deliveries, (delivery) => delivery.id ?? `?${delivery.messageId}`);

  for (const send of sends.values()) {
    counts.sent += 1;
    if (send.outcome === 'ok') counts.acked += 1;
    else if (send.outcome === 'fail') counts.failed += 1;
    else counts.unknown += 1;
    const delivered = deliveriesById.has(send.id);
    if (send.outcome === 'ok' && !delivered) note(counts, 'lost', send.id);
    if (send.outcome === 'unknown' && delivered) note(counts, 'recovered', send.id);
    if (send.outcome === 'fail' && delivered) note(counts, 'unexpected', send.id);
  }

  for (const [id, copies] of deliveriesById) {
    for (const copy of copies) if (!copy.intact) note(counts, 'corrupted', copy.messageId);
    // Bodies not of this experiment are keyed `?<MessageId>`, which no send has.
    const send = sends.get(id);
    if (!send) {
      for (const messageId of new Set(copies.map((copy) => copy.messageId))) note(counts, 'phantoms', messageId);
      continue;
    }
    counts.delivered += 1;
    if (copies.length > 1) {
      counts.duplicates += copies.length - 1;
      note(counts, 'duplicatedMessages', id);
    }
    if (redeliveredAfterDelete(copies, deletedAt, options.visibilityTimeoutMs)) note(counts, 'redeliveredAfterDelete', id);
    if (queue.fifo && new Set(copies.map((copy) => copy.messageId)).size > 1 && withinDedupWindow(send)) note(counts, 'dedupViolations', id);
  }

  if (queue.fifo) {
    for (const id of orderViolations(sends, deliveriesById)) note(counts, 'orderViolations', id);
  }
}

/** Each message's best outcome over its attempts: one `ok` makes it acknowledged. */
function sendStates(operations: readonly OperationRecord[]): Map<string, SendState> {
  const states = new Map<string, SendState>();
  for (const operation of operations) {
    for (const entry of operation.sent ?? []) {
      const state = states.get(entry.id) ?? {
        id: entry.id,
        outcome: entry.outcome,
        attemptsMs: [],
        ...(entry.group !== undefined ? { group: entry.group } : {}),
        ...(entry.seq !== undefined ? { seq: entry.seq } : {}),
      };
      state.outcome = better(state.outcome, entry.outcome);
      state.attemptsMs.push(operation.invokeMs);
      states.set(entry.id, state);
    }
  }
  return states;
}

function better(a: Outcome, b: Outcome): Outcome {
  const rank: Record<Outcome, number> = { fail: 0, unknown: 1, ok: 2 };
  return rank[a] >= rank[b] ? a : b;
}

/** Deliveries of `ok` receives, in the order they were observed (completion time, then position). */
function observedDeliveries(operations: readonly OperationRecord[]): ObservedDelivery[] {
  const deliveries: ObservedDelivery[] = [];
  for (const operation of operations) {
    if (operation.outcome !== 'ok' || !operation.received) continue;
    operation.received.forEach((delivery, position) => {
      deliveries.push({ ...delivery, key: `${operation.id}:${position}`, invokeMs: operation.invokeMs, completeMs: operation.completeMs, order: 0 });
    });
  }
  deliveries.sort((a, b) => a.completeMs - b.completeMs || compareKeys(a.key, b.key));
  deliveries.forEach((delivery, order) => (delivery.order = order));
  return deliveries;
}

function compareKeys(a: string, b: string): number {
  const [opA, posA] = a.split(':').map(Number) as [number, number];
  const [opB, posB] = b.split(':').map(Number) as [number, number];
  return opA - opB || posA - posB;
}

/** Completion time of each acknowledged delete, by the delivery whose receipt handle it used. */
function acknowledgedDeletes(operations: readonly OperationRecord[], counts: DeliveryCounts): Map<string, number> {
  const deletedAt = new Map<string, number>();
  for (const operation of operations) {
    for (const entry of operation.deleted ?? []) {
      if (entry.outcome !== 'ok') continue;
      counts.deletesAcked += 1;
      deletedAt.set(entry.delivery, operation.completeMs);
    }
  }
  return deletedAt;
}

/**
 * A delivery that began after an acknowledged delete of an earlier delivery. Only deletes that
 * completed within the visibility timeout of their receive count: SQS acknowledges a delete with a
 * stale receipt handle without deleting, so a later one proves nothing.
 */
function redeliveredAfterDelete(copies: readonly ObservedDelivery[], deletedAt: ReadonlyMap<string, number>, visibilityTimeoutMs: number): boolean {
  const authoritative = copies
    .map((copy) => ({ copy, at: deletedAt.get(copy.key) }))
    .filter((entry): entry is { copy: ObservedDelivery; at: number } => entry.at !== undefined && entry.at < entry.copy.invokeMs + visibilityTimeoutMs);
  return copies.some((later) => authoritative.some(({ copy, at }) => copy !== later && later.invokeMs > at));
}

function withinDedupWindow(send: SendState): boolean {
  return Math.max(...send.attemptsMs) - Math.min(...send.attemptsMs) < DEDUPLICATION_WINDOW_MS;
}

/**
 * FIFO: per group, acknowledged messages must be first delivered in send order, and carry
 * increasing sequence numbers. Sends of unknown outcome are left out: a request stuck in a
 * forwarding node may land after later ones, as it may in SQS.
 */
function orderViolations(sends: ReadonlyMap<string, SendState>, deliveriesById: ReadonlyMap<string, ObservedDelivery[]>): Set<string> {
  const violations = new Set<string>();
  const firstByGroup = new Map<string, { send: SendState; first: ObservedDelivery }[]>();
  for (const send of sends.values()) {
    const first = deliveriesById.get(send.id)?.[0];
    if (send.outcome !== 'ok' || send.group === undefined || send.seq === undefined || !first) continue;
    const list = firstByGroup.get(send.group) ?? [];
    list.push({ send, first });
    firstByGroup.set(send.group, list);
  }
  for (const list of firstByGroup.values()) {
    let highest = -1;
    for (const { send } of [...list].sort((a, b) => a.first.order - b.first.order)) {
      if (send.seq! < highest) violations.add(send.id);
      highest = Math.max(highest, send.seq!);
    }
    let previous: bigint | undefined;
    for (const { send, first } of [...list].sort((a, b) => a.send.seq! - b.send.seq!)) {
      if (first.sequenceNumber === undefined) continue;
      const current = BigInt(first.sequenceNumber);
      if (previous !== undefined && current <= previous) violations.add(send.id);
      previous = current;
    }
  }
  return violations;
}

function note(counts: DeliveryCounts, finding: Finding, example: string): void {
  counts[finding] += 1;
  const examples = (counts.examples[finding] ??= []);
  if (examples.length < EXAMPLES) examples.push(example);
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const name = key(item);
    const list = groups.get(name);
    if (list) list.push(item);
    else groups.set(name, [item]);
  }
  return groups;
}
