/**
 * PostgreSQL storage: the engine's records in `replimq_records`, metadata in `replimq_meta`
 * (schema in migrations.ts), written by a pipelined group commit (pipelined-group-commit.ts).
 *
 * One group is ONE statement: a lock on the lease row that checks the fencing token, the deletes,
 * the upserts and the metadata, as data-modifying CTEs that write only if the fence matched. One
 * round trip per group, atomic as any statement, and nothing lands under a lost lease. (The
 * driver measurements behind this shape are in docs/DESIGN.md.)
 *
 * The records are read when the storage opens (for `loadRecords`), and again by `reload()` when
 * this node takes the lease over: another node may have written since.
 */
import type { StateChanges } from '../../engine/queue-engine.js';
import type { Storage, StorageBatch } from '../storage.js';
import { LeaseLostError, type Fence } from './fencing.js';
import { migrate } from './migrations.js';
import { PostgresConnection } from './postgres-connection.js';
import { PipelinedGroupCommit } from './pipelined-group-commit.js';

export interface PostgresStorageOptions {
  url: string;
  nodeId: string;
  /** Deadline of one query or connect attempt. */
  timeoutMs: number;
}

/** The fenced group commit (exported for the driver measurement, bench/src/postgres-drivers.ts). */
export const WRITE_GROUP = `
  WITH fence AS (
    SELECT 1 FROM replimq_lease WHERE id = 1 AND holder = $1 AND epoch = $2::bigint FOR SHARE
  ), deleted AS (
    DELETE FROM replimq_records WHERE key = ANY($3::text[]) AND EXISTS (SELECT 1 FROM fence)
  ), upserted AS (
    INSERT INTO replimq_records (key, value)
    SELECT k, v FROM unnest($4::text[], $5::text[]) AS t(k, v) WHERE EXISTS (SELECT 1 FROM fence)
    ON CONFLICT (key) DO UPDATE SET value = excluded.value
  ), meta AS (
    INSERT INTO replimq_meta (key, value)
    SELECT k, v FROM unnest($6::text[], $7::text[]) AS t(k, v) WHERE EXISTS (SELECT 1 FROM fence)
    ON CONFLICT (key) DO UPDATE SET value = excluded.value
  )
  SELECT count(*)::int AS fenced FROM fence`;

const CHECK_FENCE = 'SELECT 1 FROM replimq_lease WHERE id = 1 AND holder = $1 AND epoch = $2::bigint FOR SHARE';
const UPSERT_RECORDS = `INSERT INTO replimq_records (key, value) SELECT * FROM unnest($1::text[], $2::text[])
  ON CONFLICT (key) DO UPDATE SET value = excluded.value`;
const UPSERT_META = `INSERT INTO replimq_meta (key, value) SELECT * FROM unnest($1::text[], $2::text[])
  ON CONFLICT (key) DO UPDATE SET value = excluded.value`;
const REPLACE_CHUNK = 5000;

export class PostgresStorage implements Storage {
  readonly kind = 'postgres' as const;
  private readonly group: PipelinedGroupCommit;
  private fence: Fence | undefined;
  private loaded: [string, string][];
  private readonly meta: Map<string, string>;
  private closed = false;
  commits = 0;
  recordsWritten = 0;

  private constructor(
    /** The session every write and load goes through (one, so writes land in order). */
    readonly connection: PostgresConnection,
    state: { records: [string, string][]; meta: Map<string, string> },
  ) {
    this.loaded = state.records;
    this.meta = state.meta;
    this.group = new PipelinedGroupCommit((changes, meta) => this.writeGroup(changes, meta));
  }

  /** Connects, migrates the schema, reads the state. */
  static async open(options: PostgresStorageOptions): Promise<PostgresStorage> {
    const connection = new PostgresConnection({
      url: options.url,
      applicationName: `replimq:${options.nodeId}:storage`,
      timeoutMs: options.timeoutMs,
    });
    try {
      await migrate(connection);
      return new PostgresStorage(connection, await readState(connection));
    } catch (error) {
      await connection.close();
      throw error;
    }
  }

  *loadRecords(): IterableIterator<[string, string]> {
    const records = this.loaded;
    this.loaded = [];
    yield* records;
  }

  getMeta(key: string): string | undefined {
    return this.meta.get(key);
  }

  commit(batch: StorageBatch): Promise<void> {
    if (this.closed) return Promise.reject(new Error('storage is closed'));
    if (!this.fence) return Promise.reject(new LeaseLostError('this node does not hold the lease'));
    if (batch.meta) for (const key in batch.meta) this.meta.set(key, batch.meta[key]!);
    return this.group.submit(batch);
  }

  async replaceRecords(records: Iterable<[string, string]>, meta: Readonly<Record<string, string>> = {}): Promise<void> {
    const fence = this.requireFence();
    await this.group.drain();
    const { connection } = this;
    await connection.query('BEGIN');
    try {
      if ((await connection.query(CHECK_FENCE, [fence.holder, fence.epoch])).length === 0) throw lost(fence);
      await connection.query('DELETE FROM replimq_records');
      let keys: string[] = [];
      let values: string[] = [];
      for (const [key, value] of records) {
        keys.push(key);
        values.push(value);
        if (keys.length < REPLACE_CHUNK) continue;
        await connection.query(UPSERT_RECORDS, [keys, values]);
        keys = [];
        values = [];
      }
      if (keys.length > 0) await connection.query(UPSERT_RECORDS, [keys, values]);
      await connection.query(UPSERT_META, [Object.keys(meta), Object.values(meta)]);
      await connection.query('COMMIT');
    } catch (error) {
      await connection.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    for (const key in meta) this.meta.set(key, meta[key]!);
  }

  /**
   * This node won the lease with `fence`: writes carry it from now on, and the state returned is
   * the database's as of now (everything every earlier holder committed). Writes queued under an
   * earlier fence were refused when it was dropped.
   */
  async reload(fence: Fence): Promise<[string, string][]> {
    await this.group.drain();
    const state = await readState(this.connection);
    this.meta.clear();
    for (const [key, value] of state.meta) this.meta.set(key, value);
    this.fence = fence;
    this.group.resume();
    return state.records;
  }

  /** The lease is gone (or in doubt): refuse every write waiting and to come. */
  dropFence(reason: string): void {
    const fence = this.fence;
    this.fence = undefined;
    this.group.fail(new LeaseLostError(fence ? `lease epoch ${fence.epoch} lost: ${reason}` : reason));
  }

  /** Settles once every write submitted so far has landed or failed. */
  flush(): Promise<void> {
    return this.group.drain();
  }

  get pendingBatches(): number {
    return this.group.pending;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.group.drain();
    await this.connection.close();
  }

  private async writeGroup(changes: StateChanges, meta: Record<string, string>): Promise<void> {
    const fence = this.requireFence();
    const deleted: string[] = [];
    const keys: string[] = [];
    const values: string[] = [];
    for (const [key, value] of changes) {
      if (value === null) deleted.push(key);
      else {
        keys.push(key);
        values.push(value);
      }
    }
    const rows = await this.connection.query(WRITE_GROUP, [
      fence.holder,
      fence.epoch,
      deleted,
      keys,
      values,
      Object.keys(meta),
      Object.values(meta),
    ]);
    if (Number(rows[0]?.['fenced'] ?? 0) === 0) throw lost(fence);
    this.commits++;
    this.recordsWritten += changes.size;
  }

  private requireFence(): Fence {
    if (!this.fence) throw new LeaseLostError('this node does not hold the lease');
    return this.fence;
  }
}

function lost(fence: Fence): LeaseLostError {
  return new LeaseLostError(`lease epoch ${fence.epoch} is no longer ${fence.holder}'s: another node took over`);
}

/** Records and metadata as one consistent snapshot. */
async function readState(connection: PostgresConnection): Promise<{ records: [string, string][]; meta: Map<string, string> }> {
  await connection.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    const rows = await connection.query('SELECT key, value FROM replimq_records ORDER BY key');
    const metaRows = await connection.query('SELECT key, value FROM replimq_meta');
    await connection.query('COMMIT');
    return {
      records: rows.map((row) => [String(row['key']), String(row['value'])]),
      meta: new Map(metaRows.map((row) => [String(row['key']), String(row['value'])])),
    };
  } catch (error) {
    await connection.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
