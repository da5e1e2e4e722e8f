/**
 * The test PostgreSQL (postgres-global-setup.ts) as the suites use it: a fresh database of their
 * own per file, so files run in parallel, and `describePostgres`, which skips with the reason
 * when the run has no PostgreSQL.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, inject } from 'vitest';

export const POSTGRES_URL: string = inject('postgresUrl');
export const POSTGRES_MISSING: string = inject('postgresMissing');

/** `describe`, or `describe.skip` with the reason in the title. */
export function describePostgres(title: string, body: () => void): void {
  if (POSTGRES_URL) describe(title, body);
  else describe.skip(`${title} (skipped: ${POSTGRES_MISSING})`, body);
}

export interface TestDatabase {
  url: string;
  name: string;
  /** Runs SQL on it (for checks and faults), as the superuser. */
  query(text: string, values?: unknown[]): Promise<Record<string, unknown>[]>;
  /** Ends every session of node `nodeId` on it (as `pg_terminate_backend` by an operator). */
  terminateSessionsOf(nodeId: string): Promise<number>;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  if (!POSTGRES_URL) throw new Error(`no test PostgreSQL: ${POSTGRES_MISSING}`);
  const name = `replimq_test_${randomBytes(6).toString('hex')}`;
  await withClient(POSTGRES_URL, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = databaseUrl(POSTGRES_URL, name);
  const query = (text: string, values?: unknown[]) => withClient(url, async (client) => (await client.query(text, values)).rows as Record<string, unknown>[]);
  return {
    url,
    name,
    query,
    terminateSessionsOf: async (nodeId) => {
      const rows = await query(
        `SELECT count(pg_terminate_backend(pid))::int AS ended FROM pg_stat_activity
          WHERE datname = $1 AND application_name LIKE $2 AND pid <> pg_backend_pid()`,
        [name, `replimq:${nodeId}:%`],
      );
      return Number(rows[0]?.['ended'] ?? 0);
    },
    drop: () => withClient(POSTGRES_URL, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}
