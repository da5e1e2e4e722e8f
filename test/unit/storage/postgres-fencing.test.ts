/**
 * PostgreSQL storage against a real server: the schema is migrated once however many nodes start
 * at once, and a node that lost the lease writes nothing, however late its write arrives.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PostgresStorage } from '../../../server/src/storage/postgres/postgres-storage.js';
import { LeaseLostError } from '../../../server/src/storage/postgres/fencing.js';
import { MIGRATIONS, migrate } from '../../../server/src/storage/postgres/migrations.js';
import { PostgresConnection } from '../../../server/src/storage/postgres/postgres-connection.js';
import { LeaseStore } from '../../../server/src/shared-db/lease-store.js';
import { createTestDatabase, describePostgres, type TestDatabase } from '../../support/postgres.js';

describePostgres('postgres storage', () => {
  let database: TestDatabase;
  const opened: PostgresStorage[] = [];
  const open = async (nodeId: string): Promise<PostgresStorage> => {
    const storage = await PostgresStorage.open({ url: database.url, nodeId, timeoutMs: 10_000 });
    opened.push(storage);
    return storage;
  };
  /** Takes the lease as `nodeId` would on winning it: its storage writes under the new epoch. */
  const takeOver = async (storage: PostgresStorage, nodeId: string, leaseMs = 60_000) => {
    const store = new LeaseStore(storage.connection, nodeId, leaseMs);
    await database.query(`UPDATE replimq_lease SET expires_at = '-infinity'`);
    const fence = await store.acquire();
    if (!fence) throw new Error('lease not won');
    return { fence, records: await storage.reload(fence) };
  };

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    for (const storage of opened) await storage.close();
    await database.drop();
  });

  it('migrates the schema once when several nodes start together, and records the version', async () => {
    await Promise.all(['a', 'b', 'c'].map((id) => open(id)));
    const versions = await database.query('SELECT version FROM replimq_migrations ORDER BY version');
    expect(versions.map((row) => row['version'])).toEqual(MIGRATIONS.map((migration) => migration.version));
  });

  it('refuses a database migrated by a newer replimq', async () => {
    const connection = new PostgresConnection({ url: database.url, applicationName: 'test', timeoutMs: 10_000 });
    try {
      await expect(migrate(connection, MIGRATIONS.slice(0, 0))).rejects.toThrow(/newer than this replimq knows/);
    } finally {
      await connection.close();
    }
  });

  it('refuses writes without the lease', async () => {
    const storage = await open('x');
    await expect(storage.commit({ changes: new Map([['k', 'v']]) })).rejects.toBeInstanceOf(LeaseLostError);
  });

  it('a former holder writes nothing after another node took over, and the new holder loads every earlier commit', async () => {
    const first = await open('n1');
    const second = await open('n2');
    await takeOver(first, 'n1');
    await first.commit({ changes: new Map([['m/q/1', 'one']]) });

    const { records } = await takeOver(second, 'n2');
    expect(records).toEqual([['m/q/1', 'one']]);

    // n1 never heard it lost the lease (paused, cut off): its write arrives late and is refused.
    await expect(first.commit({ changes: new Map([['m/q/2', 'late'], ['m/q/1', null]]) })).rejects.toBeInstanceOf(LeaseLostError);
    // …and so is everything after it, until it wins the lease again and reloads.
    await expect(first.commit({ changes: new Map([['m/q/3', 'later']]) })).rejects.toBeInstanceOf(LeaseLostError);

    await second.commit({ changes: new Map([['m/q/4', 'four']]) });
    const rows = await database.query('SELECT key, value FROM replimq_records ORDER BY key');
    expect(rows).toEqual([{ key: 'm/q/1', value: 'one' }, { key: 'm/q/4', value: 'four' }]);
    const lease = await database.query('SELECT holder, epoch::int AS epoch FROM replimq_lease');
    expect(lease[0]?.['holder']).toBe('n2');
  });
});
