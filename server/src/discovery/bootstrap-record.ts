/**
 * What a SQLite node remembers of its bootstrap, in `<data dir>/cluster-bootstrap.json`: the
 * lock (written, and synced, before the node tells anyone it holds it: a node that restarts
 * while the cluster forms must not lock on another set) and, once formed, the members with
 * their addresses. A formed record is the node's configuration from then on: discovery is not
 * run again (docs/DESIGN.md, "Discovery"). Memory nodes keep both in memory only.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { PeerAddress } from '../config.js';

export const BOOTSTRAP_RECORD_FILE = 'cluster-bootstrap.json';

export interface BootstrapRecord {
  expect: number;
  lock: string[];
  /** Present once the cluster formed. */
  members?: PeerAddress[];
}

export interface BootstrapRecordStore {
  read(): BootstrapRecord | undefined;
  write(record: BootstrapRecord): void;
}

export function memoryRecordStore(): BootstrapRecordStore {
  let record: BootstrapRecord | undefined;
  return { read: () => record, write: (next) => void (record = next) };
}

export function fileRecordStore(dataDir: string): BootstrapRecordStore {
  const path = join(dataDir, BOOTSTRAP_RECORD_FILE);
  return {
    read() {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
      const parsed = JSON.parse(text) as BootstrapRecord;
      if (!Number.isInteger(parsed.expect) || !Array.isArray(parsed.lock)) throw new Error(`${path} is not a bootstrap record`);
      return parsed;
    },
    write(record) {
      mkdirSync(dataDir, { recursive: true });
      const temporary = `${path}.tmp`;
      const fd = openSync(temporary, 'w');
      try {
        writeSync(fd, `${JSON.stringify(record, null, 2)}\n`);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temporary, path);
      const dir = openSync(dataDir, 'r');
      try {
        fsyncSync(dir);
      } finally {
        closeSync(dir);
      }
    },
  };
}
