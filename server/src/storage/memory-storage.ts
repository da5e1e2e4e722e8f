/**
 * Storage that keeps nothing: the engine's own in-memory state is the only copy, so a restart
 * starts empty. Metadata is kept so the replicator and the cluster layer see the same behaviour
 * on both backends within one process lifetime.
 */
import type { Storage, StorageBatch } from './storage.js';

export function createMemoryStorage(): Storage {
  const meta = new Map<string, string>();
  const writeMeta = (values: Readonly<Record<string, string>> | undefined): void => {
    // Runs for every command: no entries array, no empty object when there is nothing to write.
    if (values === undefined) return;
    for (const key in values) meta.set(key, values[key]!);
  };
  return {
    kind: 'memory',
    loadRecords: () => new Map<string, string>().entries(),
    getMeta: (key) => meta.get(key),
    commit: (batch: StorageBatch) => {
      writeMeta(batch.meta);
      return Promise.resolve();
    },
    replaceRecords: (_records, values) => {
      writeMeta(values);
      return Promise.resolve();
    },
    close: () => Promise.resolve(),
  };
}
