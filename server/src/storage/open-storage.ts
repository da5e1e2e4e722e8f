/** Picks the storage backend the configuration asks for. */
import type { NodeConfig } from '../config.js';
import type { Storage } from './storage.js';
import { createMemoryStorage } from './memory-storage.js';
import { openSqliteStorage } from './sqlite-storage.js';

export function openStorage(config: Pick<NodeConfig, 'storage' | 'dataDir' | 'cluster'> & Partial<Pick<NodeConfig, 'sync'>>): Storage {
  switch (config.storage) {
    case 'memory':
      return createMemoryStorage();
    case 'sqlite':
      return openSqliteStorage({
        dataDir: config.dataDir,
        nodeId: config.cluster.nodeId,
        synchronous: config.sync === 'full' ? 'FULL' : 'NORMAL',
      });
  }
}
