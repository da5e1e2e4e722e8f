/**
 * Group commit: batches submitted during one event-loop turn are merged and written together, so
 * a burst of N concurrent requests costs one transaction instead of N. Each submitter's promise
 * settles when the write holding its batch has finished.
 *
 * The flush runs on `setImmediate`, i.e. after the I/O callbacks of the current turn: every
 * request whose bytes arrived in the same poll phase joins the same transaction.
 */
import type { StorageBatch } from './storage.js';
import type { StateChanges } from '../engine/queue-engine.js';

/** Writes one merged batch atomically (one SQLite transaction). Synchronous by design. */
export type BatchWriter = (changes: StateChanges, meta: Record<string, string>) => void;

export interface GroupCommitOptions {
  /** Flush at once when this many batches are waiting, without waiting for the turn to end. */
  maxBatches: number;
}

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

export class GroupCommit {
  private changes: StateChanges = new Map();
  private meta: Record<string, string> = {};
  private waiters: Waiter[] = [];
  private scheduled: NodeJS.Immediate | undefined;

  constructor(
    private readonly write: BatchWriter,
    private readonly options: GroupCommitOptions = { maxBatches: 1000 },
  ) {}

  /** Queue a batch; resolves once it is written together with the rest of its group. */
  submit(batch: StorageBatch): Promise<void> {
    // Later batches overwrite earlier ones key by key: only the newest value of a record matters.
    for (const [key, value] of batch.changes ?? []) this.changes.set(key, value);
    Object.assign(this.meta, batch.meta);
    const written = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (this.waiters.length >= this.options.maxBatches) this.flush();
    else this.scheduled ??= setImmediate(() => this.flush());
    return written;
  }

  /** Batches waiting for the next write. */
  get pending(): number {
    return this.waiters.length;
  }

  /** Write everything queued now (also used on close). */
  flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    if (this.waiters.length === 0) return;
    const { changes, meta, waiters } = this;
    this.changes = new Map();
    this.meta = {};
    this.waiters = [];
    try {
      this.write(changes, meta);
    } catch (error) {
      for (const waiter of waiters) waiter.reject(error);
      return;
    }
    for (const waiter of waiters) waiter.resolve();
  }
}
