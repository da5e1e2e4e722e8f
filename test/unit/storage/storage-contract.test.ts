/**
 * The storage contract, run against both backends. What differs (memory keeps nothing across a
 * reopen) is stated per backend; everything else must behave the same.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Storage } from '../../../server/src/storage/storage.js';
import { createMemoryStorage } from '../../../server/src/storage/memory-storage.js';
import { openSqliteStorage } from '../../../server/src/storage/sqlite-storage.js';

const makeTempDir = (): string => mkdtempSync(join(tmpdir(), 'replimq-storage-'));

interface Backend {
  name: string;
  open(dir: string): Storage;
  keepsRecordsAcrossReopen: boolean;
}

const BACKENDS: Backend[] = [
  { name: 'memory', open: () => createMemoryStorage(), keepsRecordsAcrossReopen: false },
  { name: 'sqlite', open: (dir) => openSqliteStorage({ dataDir: dir, nodeId: 'n1' }), keepsRecordsAcrossReopen: true },
];

const records = (storage: Storage): [string, string][] => [...storage.loadRecords()];

describe.each(BACKENDS)('$name storage', (backend) => {
  const dirs: string[] = [];
  const open = (dir = makeTempDir()): Storage => {
    dirs.push(dir);
    return backend.open(dir);
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('starts empty', async () => {
    const storage = open();
    expect(records(storage)).toEqual([]);
    expect(storage.getMeta('appliedIndex')).toBeUndefined();
    await storage.close();
  });

  it('keeps metadata committed with a batch', async () => {
    const storage = open();
    await storage.commit({ meta: { appliedIndex: '7', term: '2' } });
    await storage.commit({ meta: { appliedIndex: '8' } });
    expect(storage.getMeta('appliedIndex')).toBe('8');
    expect(storage.getMeta('term')).toBe('2');
    await storage.close();
  });

  it('applies upserts and deletions, newest value of a key winning', async () => {
    const dir = makeTempDir();
    const storage = open(dir);
    await Promise.all([
      storage.commit({ changes: new Map([['q/a', '{"v":1}'], ['m/a/1', 'one'], ['m/a/2', 'two']]) }),
      storage.commit({ changes: new Map([['q/a', '{"v":2}'], ['m/a/1', null]]) }),
    ]);
    await storage.commit({ changes: new Map([['m/a/3', 'three']]) });
    await storage.close();

    const reopened = open(dir);
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
    const storage = open(dir);
    await storage.commit({ changes: new Map([['old', 'x']]) });
    await storage.replaceRecords(new Map([['new', 'y']]), { appliedIndex: '42' });
    expect(storage.getMeta('appliedIndex')).toBe('42');
    await storage.close();
    const reopened = open(dir);
    expect(records(reopened)).toEqual(backend.keepsRecordsAcrossReopen ? [['new', 'y']] : []);
    await reopened.close();
  });

  it('writes what is pending when closed, and refuses writes afterwards', async () => {
    const dir = makeTempDir();
    const storage = open(dir);
    const pending = storage.commit({ changes: new Map([['k', 'v']]), meta: { appliedIndex: '1' } });
    await storage.close();
    await pending;
    const reopened = open(dir);
    if (backend.keepsRecordsAcrossReopen) {
      expect(records(reopened)).toEqual([['k', 'v']]);
      expect(reopened.getMeta('appliedIndex')).toBe('1');
    }
    await reopened.close();
  });
});
