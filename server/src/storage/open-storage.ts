/**
 * Picks the storage backend the configuration asks for. SQLite and PostgreSQL are loaded only
 * when asked for: their drivers (better-sqlite3's native module, pg) cost a node that keeps its
 * queues in memory a good part of its start-up otherwise.
 */
import type { NodeConfig } from '../config.js';
import type { Storage } from './storage.js';
import { createMemoryStorage } from './memory-storage.js';

export async function openStorage(config: Pick<NodeConfig, 'storage' | 'dataDir' | 'cluster' | 'postgresUrl'> & Partial<Pick<NodeConfig, 'sync'>>): Promise<Storage> {
  switch (config.storage) {
    case 'memory':
      return createMemoryStorage();
    case 'sqlite': {
      const { openSqliteStorage } = await import('./sqlite-storage.js');
      return openSqliteStorage({
        dataDir: config.dataDir,
        nodeId: config.cluster.nodeId,
        synchronous: config.sync === 'full' ? 'FULL' : 'NORMAL',
      });
    }
    case 'postgres': {
      if (config.postgresUrl === undefined) throw new Error('postgres storage needs a postgresUrl');
      const { PostgresStorage } = await import('./postgres/postgres-storage.js');
      return PostgresStorage.open({
        url: config.postgresUrl,
        nodeId: config.cluster.nodeId,
        timeoutMs: config.cluster.replicationTimeoutMs,
      });
    }
  }
}
