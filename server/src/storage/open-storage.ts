/** Picks the storage backend the configuration asks for. */
import type { NodeConfig } from '../config.js';
import type { Storage } from './storage.js';
import { createMemoryStorage } from './memory-storage.js';
import { openSqliteStorage } from './sqlite-storage.js';
import { PostgresStorage } from './postgres/postgres-storage.js';

export async function openStorage(config: Pick<NodeConfig, 'storage' | 'dataDir' | 'cluster' | 'postgresUrl'> & Partial<Pick<NodeConfig, 'sync'>>): Promise<Storage> {
  switch (config.storage) {
    case 'memory':
      return createMemoryStorage();
    case 'sqlite':
      return openSqliteStorage({
        dataDir: config.dataDir,
        nodeId: config.cluster.nodeId,
        synchronous: config.sync === 'full' ? 'FULL' : 'NORMAL',
      });
    case 'postgres':
      if (config.postgresUrl === undefined) throw new Error('postgres storage needs a postgresUrl');
      return PostgresStorage.open({
        url: config.postgresUrl,
        nodeId: config.cluster.nodeId,
        timeoutMs: config.cluster.replicationTimeoutMs,
      });
  }
}
