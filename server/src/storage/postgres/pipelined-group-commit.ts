/**
 * Group commit over an asynchronous database: one write in flight at a time, and every batch
 * submitted meanwhile joins the next one. Under load a group therefore holds everything that
 * arrived during one round trip to the database, not only one event-loop turn's worth.
 *
 * Groups land strictly in order. When one fails, the state the later groups were computed from
 * may not be in the database, so they must not be written either: every batch waiting, and every
 * batch submitted afterwards, is rejected until `resume()` says the caller has reloaded its state.
 */
import type { StateChanges } from '../../engine/queue-engine.js';
import type { StorageBatch } from '../storage.js';

export type AsyncBatchWriter = (changes: StateChanges, meta: Record<string, string>) => Promise<void>;

interface Group {
  changes: StateChanges;
  meta: Record<string, string>;
  waiters: { resolve(): void; reject(error: unknown): void }[];
}

export class PipelinedGroupCommit {
  private next: Group = emptyGroup();
  private inFlight: Promise<void> | undefined;
  private scheduled: NodeJS.Immediate | undefined;
  private failure: unknown;

  constructor(private readonly write: AsyncBatchWriter) {}

  /** Resolves once the group holding this batch is committed. */
  submit(batch: StorageBatch): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    // Later batches overwrite earlier ones key by key: only the newest value of a record matters.
    const group = this.next;
    if (batch.changes) for (const [key, value] of batch.changes) group.changes.set(key, value);
    if (batch.meta) Object.assign(group.meta, batch.meta);
    const written = new Promise<void>((resolve, reject) => group.waiters.push({ resolve, reject }));
    // The first batch of a quiet moment waits for the end of its turn, so the turn's other
    // requests join it; while a write is in flight, its completion starts the next.
    if (!this.inFlight) this.scheduled ??= setImmediate(() => this.start());
    return written;
  }

  /** Batches waiting for a write, the one in flight included. */
  get pending(): number {
    return this.next.waiters.length;
  }

  /** Settles once nothing is in flight or waiting (close, hand-over). Never rejects. */
  async drain(): Promise<void> {
    while (this.inFlight || this.next.waiters.length > 0) {
      if (!this.inFlight) this.start();
      await this.inFlight?.catch(() => undefined);
    }
  }

  /** After a failure: accept batches again (the caller's state is the database's once more). */
  resume(): void {
    this.failure = undefined;
  }

  /** Refuse everything waiting and everything to come, with `error`, until `resume()`. */
  fail(error: unknown): void {
    this.failure = error;
    const { waiters } = this.next;
    this.next = emptyGroup();
    for (const waiter of waiters) waiter.reject(error);
  }

  private start(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    if (this.inFlight || this.next.waiters.length === 0) return;
    const group = this.next;
    this.next = emptyGroup();
    this.inFlight = this.write(group.changes, group.meta).then(
      () => {
        this.inFlight = undefined;
        for (const waiter of group.waiters) waiter.resolve();
        if (this.next.waiters.length > 0) this.start();
      },
      (error: unknown) => {
        this.inFlight = undefined;
        for (const waiter of group.waiters) waiter.reject(error);
        this.fail(error);
      },
    );
  }
}

function emptyGroup(): Group {
  return { changes: new Map(), meta: {}, waiters: [] };
}
