/**
 * One PostgreSQL session that comes back after it breaks: the first query after a lost
 * connection (terminated backend, server restart, network cut) opens a new one.
 *
 * Every query has a client-side deadline (`query_timeout`) and every connect attempt one too, so a
 * database that stops answering turns into an error within a bounded time, never a hang. A query
 * that fails because the session broke is not retried here: whoever asked decides, because a
 * write whose COMMIT was in flight may or may not have landed.
 */
import pg from 'pg';

export interface PostgresConnectionOptions {
  url: string;
  /** `application_name` of the session: shows in `pg_stat_activity` (and lets an operator, or a
   *  test, terminate one node's sessions). */
  applicationName: string;
  /** Deadline of one query, and of opening the session. */
  timeoutMs: number;
}

/** Rows as the driver returns them: column name → value. */
export type Row = Record<string, unknown>;

export class PostgresConnection {
  private client: pg.Client | undefined;
  private connecting: Promise<pg.Client> | undefined;
  private lastFailure: string | undefined;
  private closed = false;
  /** Sessions opened so far (1 for a connection that never broke). */
  opened = 0;
  failures = 0;

  constructor(private readonly options: PostgresConnectionOptions) {}

  /** A session is open and the last query on it did not fail for connection reasons. */
  get connected(): boolean {
    return this.client !== undefined;
  }

  get lastError(): string | undefined {
    return this.lastFailure;
  }

  async query(text: string, values?: readonly unknown[]): Promise<Row[]> {
    const client = await this.session();
    try {
      const result = await client.query({ text, values: values as unknown[] | undefined });
      return result.rows as Row[];
    } catch (error) {
      this.failed(client, error);
      throw error;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client ?? (await this.connecting?.catch(() => undefined));
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private session(): Promise<pg.Client> {
    if (this.closed) return Promise.reject(new Error('the database connection is closed'));
    if (this.client) return Promise.resolve(this.client);
    return (this.connecting ??= this.open().finally(() => (this.connecting = undefined)));
  }

  private async open(): Promise<pg.Client> {
    const { url, applicationName, timeoutMs } = this.options;
    const client = new pg.Client({
      connectionString: url,
      application_name: applicationName,
      connectionTimeoutMillis: timeoutMs,
      query_timeout: timeoutMs,
      // A server that vanished without closing the socket is noticed by the kernel, not only by
      // the next query's deadline.
      keepAlive: true,
      keepAliveInitialDelayMillis: 1000,
    });
    // A session terminated while idle reports here; without a listener it would crash the process.
    client.on('error', (error) => this.failed(client, error));
    try {
      await client.connect();
    } catch (error) {
      this.failures++;
      this.lastFailure = describe(error);
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      throw new Error('the database connection is closed');
    }
    this.opened++;
    this.client = client;
    return client;
  }

  /** A query error that leaves the session usable (a constraint, a syntax error) keeps it; any
   *  other drops it, so the next query reconnects. */
  private failed(client: pg.Client, error: unknown): void {
    this.lastFailure = describe(error);
    if (isStatementError(error)) return;
    this.failures++;
    if (this.client === client) this.client = undefined;
    client.end().catch(() => undefined);
  }
}

/** SQLSTATE classes that a session survives: data (22), integrity (23), syntax/access (42). */
function isStatementError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(22|23|42)/.test(code);
}

export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
