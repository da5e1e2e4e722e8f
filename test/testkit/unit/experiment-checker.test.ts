/**
 * The history checker on histories built by hand, each with a known anomaly it must find — and a
 * clean one where it must find nothing.
 */
import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../../client/src/experiment/checker.js';
import type { Delivery, History, OperationRecord, Outcome, SentEntry } from '../../../client/src/experiment/history.js';
import type { PlannedQueue } from '../../../client/src/experiment/plan.js';
import { summarize } from '../../../client/src/experiment/summary.js';

const VISIBILITY_MS = 5_000;
const standard: PlannedQueue = { key: 'majority-standard-0', ackMode: 'majority', fifo: false };
const fifo: PlannedQueue = { key: 'majority-fifo-0', ackMode: 'majority', fifo: true };
const lossy: PlannedQueue = { key: 'none-standard-0', ackMode: 'none', fifo: false };

/** Builds a history operation by operation; times are given, ids follow the order of calls. */
class HistoryBuilder {
  readonly operations: OperationRecord[] = [];

  send(queue: PlannedQueue, at: number, entries: (Partial<SentEntry> & { id: string; outcome?: Outcome })[], outcome: Outcome = 'ok'): this {
    const sent = entries.map((entry) => ({ outcome, ...entry, messageId: entry.messageId ?? `sqs-${entry.id}` }));
    return this.push({ kind: 'send', queue: queue.key, invokeMs: at, completeMs: at + 5, outcome, sent });
  }

  /** A receive returning these deliveries; returns the delivery keys for deletes. */
  receive(queue: PlannedQueue, at: number, received: (Partial<Delivery> & { id?: string })[], outcome: Outcome = 'ok'): string[] {
    const deliveries = received.map((delivery) => ({ intact: true, messageId: `sqs-${delivery.id}`, ...delivery }));
    const id = this.operations.length;
    this.push({ kind: 'receive', queue: queue.key, invokeMs: at, completeMs: at + 5, outcome, received: deliveries });
    return deliveries.map((_, position) => `${id}:${position}`);
  }

  delete(queue: PlannedQueue, at: number, delivery: string, id: string, outcome: Outcome = 'ok'): this {
    return this.push({ kind: 'delete', queue: queue.key, invokeMs: at, completeMs: at + 5, outcome, deleted: [{ id, messageId: `sqs-${id}`, delivery, outcome }] });
  }

  history(): History {
    return { operations: this.operations, faults: [], workloadEndMs: 60_000, drainStartMs: 60_000, drainEndMs: 70_000 };
  }

  private push(operation: Omit<OperationRecord, 'id' | 'worker' | 'node'>): this {
    this.operations.push({ id: this.operations.length, worker: 'w', node: 1, ...operation });
    return this;
  }
}

const check = (builder: HistoryBuilder, queues: PlannedQueue[] = [standard, fifo, lossy]) =>
  checkHistory(queues, builder.history(), { visibilityTimeoutMs: VISIBILITY_MS });

describe('experiment checker', () => {
  it('finds nothing in a clean history: every acknowledged message delivered once and deleted', () => {
    const history = new HistoryBuilder().send(standard, 0, [{ id: 'a' }, { id: 'b' }]);
    const [a, b] = history.receive(standard, 10, [{ id: 'a' }, { id: 'b' }]);
    history.delete(standard, 20, a!, 'a').delete(standard, 20, b!, 'b');
    const counts = check(history).majority!;
    expect(counts).toMatchObject({ sent: 2, acked: 2, delivered: 2, lost: 0, duplicates: 0, phantoms: 0, redeliveredAfterDelete: 0, deletesAcked: 2 });
  });

  it('counts an acknowledged message never delivered as lost, and breaks majority but not none', () => {
    const history = new HistoryBuilder().send(standard, 0, [{ id: 'kept' }, { id: 'gone' }]).send(lossy, 0, [{ id: 'gone-too' }]);
    history.receive(standard, 10, [{ id: 'kept' }]);
    const counts = check(history);
    expect(counts.majority).toMatchObject({ lost: 1, examples: { lost: ['gone'] } });
    expect(counts.none).toMatchObject({ lost: 1 });
    const summary = summarize({ queues: [standard, lossy], history: history.history(), visibilityTimeoutMs: VISIBILITY_MS, digests: [], undrainedQueues: [] });
    expect(summary.byAckMode.majority).toMatchObject({ kept: false, broken: ['1 acknowledged messages lost'] });
    expect(summary.byAckMode.none).toMatchObject({ kept: true, lost: 1 });
  });

  it('counts an unknown send that was delivered as recovered, and a failed one that was as unexpected', () => {
    const history = new HistoryBuilder().send(standard, 0, [{ id: 'maybe' }], 'unknown').send(standard, 0, [{ id: 'never' }], 'fail').send(standard, 0, [{ id: 'lost-in-doubt' }], 'unknown');
    history.receive(standard, 10, [{ id: 'maybe' }, { id: 'never' }]);
    expect(check(history).majority).toMatchObject({ unknown: 2, failed: 1, recovered: 1, unexpected: 1, lost: 0 });
  });

  it('counts deliveries of what nobody sent as phantoms', () => {
    const history = new HistoryBuilder().send(standard, 0, [{ id: 'a' }]);
    history.receive(standard, 10, [{ id: 'a' }, { id: 'z' }, { messageId: 'foreign' }]);
    expect(check(history).majority).toMatchObject({ phantoms: 2, delivered: 1, examples: { phantoms: ['sqs-z', 'foreign'] } });
  });

  it('reports a redelivery after the visibility timeout as a duplicate, not as a redelivery after delete', () => {
    const history = new HistoryBuilder().send(standard, 0, [{ id: 'a' }]);
    history.receive(standard, 10, [{ id: 'a' }]);
    const [second] = history.receive(standard, 6_000, [{ id: 'a' }]);
    history.delete(standard, 6_010, second!, 'a');
    const counts = check(history).majority!;
    expect(counts).toMatchObject({ duplicates: 1, duplicatedMessages: 1, redeliveredAfterDelete: 0 });
  });

  it('finds a delivery after an acknowledged delete, and ignores one after a delete with a stale receipt handle', () => {
    const history = new HistoryBuilder().send(standard, 0, [{ id: 'undone' }, { id: 'stale' }]);
    const [undone] = history.receive(standard, 10, [{ id: 'undone' }]);
    history.delete(standard, 100, undone!, 'undone');
    history.receive(standard, 1_000, [{ id: 'undone' }]);
    const [stale] = history.receive(standard, 10, [{ id: 'stale' }]);
    // Acknowledged long after its visibility timeout: SQS answers such a delete without deleting.
    history.delete(standard, 8_000, stale!, 'stale');
    history.receive(standard, 9_000, [{ id: 'stale' }]);
    expect(check(history).majority).toMatchObject({ redeliveredAfterDelete: 1, examples: { redeliveredAfterDelete: ['undone'] }, duplicates: 2 });
  });

  it('finds FIFO messages of a group delivered out of send order', () => {
    const history = new HistoryBuilder().send(fifo, 0, [0, 1, 2, 3].map((seq) => ({ id: `m${seq}`, group: 'g', dedupId: `m${seq}`, seq })));
    history.receive(fifo, 10, [{ id: 'm0' }, { id: 'm2' }]);
    history.receive(fifo, 20, [{ id: 'm1' }, { id: 'm3' }]);
    expect(check(history).majority).toMatchObject({ orderViolations: 1, examples: { orderViolations: ['m1'] } });
  });

  it('finds FIFO sequence numbers that do not grow with the send order', () => {
    const history = new HistoryBuilder().send(fifo, 0, [0, 1].map((seq) => ({ id: `m${seq}`, group: 'g', seq })));
    history.receive(fifo, 10, [
      { id: 'm0', sequenceNumber: '20' },
      { id: 'm1', sequenceNumber: '10' },
    ]);
    expect(check(history).majority).toMatchObject({ orderViolations: 1 });
  });

  it('leaves sends of unknown outcome out of the order check: they may land late', () => {
    const history = new HistoryBuilder()
      .send(fifo, 0, [{ id: 'm0', group: 'g', seq: 0 }], 'unknown')
      .send(fifo, 10, [{ id: 'm1', group: 'g', seq: 1 }]);
    history.receive(fifo, 20, [{ id: 'm1' }, { id: 'm0' }]);
    expect(check(history).majority).toMatchObject({ orderViolations: 0, recovered: 1 });
  });

  it('finds a FIFO message its deduplication id should have kept to one copy', () => {
    const history = new HistoryBuilder()
      .send(fifo, 0, [{ id: 'm0', group: 'g', dedupId: 'm0', seq: 0, messageId: 'first' }])
      .send(fifo, 10, [{ id: 'm0', group: 'g', dedupId: 'm0', seq: 0, messageId: 'second' }]);
    history.receive(fifo, 20, [{ id: 'm0', messageId: 'first' }]);
    history.receive(fifo, 30, [{ id: 'm0', messageId: 'second' }]);
    expect(check(history).majority).toMatchObject({ dedupViolations: 1, sent: 1, acked: 1 });
  });

  it('does not call a redelivery of the same FIFO message a deduplication violation', () => {
    const history = new HistoryBuilder().send(fifo, 0, [{ id: 'm0', group: 'g', seq: 0 }]);
    history.receive(fifo, 20, [{ id: 'm0' }]);
    history.receive(fifo, 6_000, [{ id: 'm0' }]);
    expect(check(history).majority).toMatchObject({ dedupViolations: 0, duplicates: 1, orderViolations: 0 });
  });

  it('counts changed bodies as corrupted', () => {
    const history = new HistoryBuilder().send(standard, 0, [{ id: 'a' }]);
    history.receive(standard, 10, [{ id: 'a', intact: false }]);
    expect(check(history).majority).toMatchObject({ corrupted: 1, lost: 0 });
  });

  it('keeps ack modes apart, and calls a run with unequal digests not converged', () => {
    const history = new HistoryBuilder().send(lossy, 0, [{ id: 'a' }]);
    history.receive(lossy, 10, [{ id: 'a' }]);
    const digests = [
      { number: 1, nodeId: 'n1', appliedIndex: 9, digest: 'x' },
      { number: 2, nodeId: 'n2', appliedIndex: 9, digest: 'y' },
    ];
    const summary = summarize({ queues: [standard, lossy], history: history.history(), visibilityTimeoutMs: VISIBILITY_MS, digests, undrainedQueues: [] });
    expect(summary.byAckMode.none).toMatchObject({ acked: 1, delivered: 1 });
    expect(summary.byAckMode.majority).toMatchObject({ acked: 0, kept: true });
    expect(summary.converged).toBe(false);
    expect(summary.promisesKept).toBe(false);
  });
});
