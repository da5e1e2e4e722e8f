/**
 * The schema of postgres storage, as numbered migrations applied in order on start and recorded
 * in `replimq_migrations`. Several nodes start against one database at once: each run holds a
 * transaction-scoped advisory lock, so exactly one of them applies a migration and the others
 * see it done. A database migrated by a newer replimq (a version this one does not know) is
 * refused rather than written with an older idea of the schema.
 *
 * Tables:
 * - `replimq_records`: the engine's state records (key → JSON), the same records SQLite keeps.
 * - `replimq_meta`: the group's metadata (the last command's clock and index).
 * - `replimq_lease`: one row, the active node: holder, epoch (the fencing token), expiry.
 * - `replimq_members`: every node of the group and the gRPC address standbys forward to.
 */
import type { PostgresConnection } from './postgres-connection.js';

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'records, metadata, lease and members',
    sql: `
      CREATE TABLE replimq_records (key text PRIMARY KEY, value text NOT NULL);
      CREATE TABLE replimq_meta (key text PRIMARY KEY, value text NOT NULL);
      CREATE TABLE replimq_lease (
        id smallint PRIMARY KEY CHECK (id = 1),
        holder text,
        epoch bigint NOT NULL,
        expires_at timestamptz NOT NULL,
        acquired_at timestamptz
      );
      INSERT INTO replimq_lease (id, holder, epoch, expires_at) VALUES (1, NULL, 0, '-infinity');
      CREATE TABLE replimq_members (
        node_id text PRIMARY KEY,
        forward_address text NOT NULL,
        sqs_url text,
        started_at timestamptz NOT NULL,
        seen_at timestamptz NOT NULL
      );
    `,
  },
];

/** Any constant: the key of the advisory lock that serialises migrations across nodes. */
const MIGRATION_LOCK = 0x7265706c; // 'repl'

/** Applies what is missing; returns the schema version the database is at. */
export async function migrate(connection: PostgresConnection, migrations: readonly Migration[] = MIGRATIONS): Promise<number> {
  await connection.query('BEGIN');
  try {
    await connection.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await connection.query(`CREATE TABLE IF NOT EXISTS replimq_migrations (
      version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const rows = await connection.query('SELECT coalesce(max(version), 0)::int AS version FROM replimq_migrations');
    const current = Number(rows[0]?.['version'] ?? 0);
    const latest = migrations[migrations.length - 1]?.version ?? 0;
    if (current > latest) {
      throw new Error(`the database schema is at version ${current}, newer than this replimq knows (${latest}): upgrade replimq`);
    }
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      await connection.query(migration.sql);
      await connection.query('INSERT INTO replimq_migrations (version, description) VALUES ($1, $2)', [migration.version, migration.description]);
    }
    await connection.query('COMMIT');
    return latest;
  } catch (error) {
    await connection.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
