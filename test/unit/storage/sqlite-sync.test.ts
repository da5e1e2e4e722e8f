/** `--sync`: the SQLite file is opened with the synchronous mode asked for (read back from SQLite). */
import { afterEach, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../../../server/src/config.js';
import { openStorage } from '../../../server/src/storage/open-storage.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

it.each(['normal', 'full'] as const)('opens SQLite with synchronous=%s and still commits', async (sync) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'replimq-sync-'));
  dirs.push(dataDir);
  const storage = openStorage({ ...defaultConfig(), storage: 'sqlite', dataDir, sync });
  try {
    expect(storage.sync).toBe(sync);
    await storage.commit({ changes: new Map([['k', 'v']]) });
    expect([...storage.loadRecords()]).toEqual([['k', 'v']]);
  } finally {
    await storage.close();
  }
});
