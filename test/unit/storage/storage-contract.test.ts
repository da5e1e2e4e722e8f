/**
 * The storage contract, run against every backend (PostgreSQL when the run has one:
 * test/support/postgres.ts). What differs (memory keeps nothing across a
 * reopen) is stated per backend; everything else must behave the same.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Storage } from '../../../server/src/storage/storage.js';
import { createMemoryStorage } from '../../../server/src/storage/memory-storage.js';
import { openSqliteStorage } from '../../../server/src/storage/sqlite-storage.js';
import { PostgresStorage } from '../../../server/src/storage/postgres/postgres-storage.js';
import { LeaseStore } from '../../../server/src/shared-db/lease-store.js';
import { createTestDatabase, POSTGRES_URL, type TestDatabase } from '../../support/postgres.js';

const makeTempDir = (): string => mkdtempSync(join(tmpdir(), 'replimq-storage-'));

interface Backend {
  name: string;
  open(dir: string): Storage | Promise<Storage>;
  keepsRecordsAcrossReopen: boolean;
}

/** PostgreSQL: a database per "directory"; the storage writes under a lease it takes, as the
 *  active node of a group of one does. */
const databases = new Map<string, TestDatabase>();
async function openPostgres(dir: string): Promise<Storage> {
  let database = databases.get(dir);
  if (!database) {
    database = await createTestDatabase();
    databases.set(dir, database);
  }
  const storage = await PostgresStorage.open({ url: database.url, nodeId: 'n1', timeoutMs: 10_000 });
  const fence = await new LeaseStore(storage.connection, 'n1', 60_000).acquire();
  if (!fence) throw new Error('the lease of a fresh database was not free');
  await storage.reload(fence);
  return storage;
}

const BACKENDS: Backend[] = [
  { name: 'memory', open: () => createMemoryStorage(), keepsRecordsAcrossReopen: false },
  { name: 'sqlite', open: (dir) => openSqliteStorage({ dataDir: dir, nodeId: 'n1' }), keepsRecordsAcrossReopen: true },
  ...(POSTGRES_URL ? [{ name: 'postgres', open: openPostgres, keepsRecordsAcrossReopen: true }] : []),
];

const records = (storage: Storage): [string, string][] => [...storage.loadRecords()];

describe.each(BACKENDS)('$name storage', (backend) => {
  const dirs: string[] = [];
  const open = (dir = makeTempDir()): Promise<Storage> => {
    dirs.push(dir);
    return Promise.resolve(backend.open(dir));
  };
  afterEach(async () => {
    for (const dir of dirs.splice(0)) {
      rmSync(dir, { recursive: true, force: true });
      await databases.get(dir)?.drop();
      databases.delete(dir);
    }
  });

  it('starts empty', async () => {
    const storage = await open();
    expect(records(storage)).toEqual([]);
    expect(storage.getMeta('appliedIndex')).toBeUndefined();
    await storage.close();
  });

  it('keeps metadata committed with a batch', async () => {
    const storage = await open();
    await storage.commit({ meta: { appliedIndex: '7', term: '2' } });
    await storage.commit({ meta: { appliedIndex: '8' } });
    expect(storage.getMeta('appliedIndex')).toBe('8');
    expect(storage.getMeta('term')).toBe('2');
    await storage.close();
  });

  it('applies upserts and deletions, newest value of a key winning', async () => {
    const dir = makeTempDir();
    const storage = await open(dir);
    await Promise.all([
      storage.commit({ changes: new Map([['q/a', '{"v":1}'], ['m/a/1', 'one'], ['m/a/2', 'two']]) }),
      storage.commit({ changes: new Map([['q/a', '{"v":2}'], ['m/a/1', null]]) }),
    ]);
    await storage.commit({ changes: new Map([['m/a/3', 'three']]) });
    await storage.close();

    const reopened = await open(dir);
    if (backend.keepsRecordsAcrossReopen) {
      expect(records(reopened)).toEqual([
        ['m/a/2', 'two'],
        ['m/a/3', 'three'],
        ['q/a', '{"v":2}'],
      ]);
    } else {
      expect(records(reopened)).toEqual([]);
    }
    await reopened.close();
  });

  it('replaces every record at once (snapshot install)', async () => {
    const dir = makeTempDir();
    const storage = await open(dir);
    await storage.commit({ changes: new Map([['old', 'x']]) });
    await storage.replaceRecords(new Map([['new', 'y']]), { appliedIndex: '42' });
    expect(storage.getMeta('appliedIndex')).toBe('42');
    await storage.close();
    const reopened = await open(dir);
    expect(records(reopened)).toEqual(backend.keepsRecordsAcrossReopen ? [['new', 'y']] : []);
    await reopened.close();
  });

  it('writes what is pending when closed, and refuses writes afterwards', async () => {
    const dir = makeTempDir();
    const storage = await open(dir);
    const pending = storage.commit({ changes: new Map([['k', 'v']]), meta: { appliedIndex: '1' } });
    await storage.close();
    await pending;
    const reopened = await open(dir);
    if (backend.keepsRecordsAcrossReopen) {
      expect(records(reopened)).toEqual([['k', 'v']]);
      expect(reopened.getMeta('appliedIndex')).toBe('1');
    }
    await reopened.close();
  });
});
