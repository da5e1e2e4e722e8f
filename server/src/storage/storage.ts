/**
 * Where a node keeps its state between restarts. The engine describes its state as key/value
 * records (`QueueEngine.takeChanges()` / `exportRecords()`), so a backend stores opaque strings
 * and never needs to know what a queue or a message is.
 *
 * Writes are group-committed: every `commit()` made in one event-loop turn lands in one
 * transaction, and each caller's promise resolves once that transaction is durable. A replicator
 * answers the client only after its command's changes have been committed.
 */
import type { StateChanges } from '../engine/queue-engine.js';
import type { StorageKind, SyncMode } from '../config.js';

/** What one applied command (or a handful of them) leaves to persist. */
export interface StorageBatch {
  /** Engine records changed by the command: a JSON string, or `null` for a deleted record. */
  changes?: StateChanges;
  /** Replication metadata written in the same transaction (applied index, term, vote, …). */
  meta?: Readonly<Record<string, string>>;
}

export interface Storage {
  readonly kind: StorageKind;
  /** SQLite's `synchronous` as SQLite reports it after opening; undefined for memory storage. */
  readonly sync?: SyncMode;
  /** Every state record kept, in key order (empty for a new node or memory storage). */
  loadRecords(): IterableIterator<[string, string]>;
  /** Metadata last committed under this key (the replicator's applied index, raft term, vote). */
  getMeta(key: string): string | undefined;
  /** Persist a batch; resolves once it is durable, together with the rest of its group. */
  commit(batch: StorageBatch): Promise<void>;
  /** Replace every record at once (a raft snapshot installed from the leader). */
  replaceRecords(records: Iterable<[string, string]>, meta?: Readonly<Record<string, string>>): Promise<void>;
  /** Write what is pending and release the backend (file handles). Idempotent. */
  close(): Promise<void>;
}

/** Metadata key of the last log index whose changes are in storage. */
export const APPLIED_INDEX_META = 'appliedIndex';
