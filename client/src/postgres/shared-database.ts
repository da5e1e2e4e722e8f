/**
 * The PostgreSQL a shared-db cluster's nodes share (`ReplimqCluster.withSharedPostgres()`): a real
 * server of the cluster's own, with the faults a test can inflict on the database side. The
 * process runtime runs it as a local process (here), the container runtime as a container on the
 * cluster network (container-postgres.ts); the faults mean the same on both.
 */
import { LocalPostgres } from './local-postgres.js';

export interface SharedDatabase {
  /** URL every node is given (`--postgres-url`); on the container runtime, valid on the cluster network. */
  readonly url: string;
  /** Ends every session of node `nodeId` (its lease and storage connections), as a network cut or
   *  an operator's `pg_terminate_backend` would; the node reconnects on its next query. */
  cutSessionsOf(nodeId: string): Promise<number>;
  /** Fast shutdown and start again: every session ends, committed data stays. */
  restart(): Promise<void>;
  /** The group's last committed command index as the database records it (`x-replimq-log-index`
   *  of the last answered write): what the assertions check shared-db answers against. */
  committedIndex(): Promise<number>;
  stop(): Promise<void>;
}

export const SHARED_DATABASE_NAME = 'replimq';

/** The node environment that puts a node on the shared database (no `--peers`: members meet in it). */
export function sharedDbEnvironment(database: SharedDatabase): Record<string, string> {
  return { REPLIMQ_STORAGE: 'postgres', REPLIMQ_POSTGRES_URL: database.url };
}

/** The `application_name` prefix of a node's sessions (`replimq:<node id>:…`, the server's naming). */
export function sessionPrefixOf(nodeId: string): string {
  return `replimq:${nodeId}:`;
}

/** SQL of `committedIndex()`: 0 before the group's first write (or its schema) exists. */
export const COMMITTED_INDEX_SQL =
  "SELECT CASE WHEN to_regclass('replimq_meta') IS NULL THEN '0' ELSE coalesce((SELECT value FROM replimq_meta WHERE key = 'commandIndex'), '0') END";

/** A local server from this machine's PostgreSQL binaries, with one database for the cluster. */
export async function startLocalSharedDatabase(): Promise<SharedDatabase> {
  const server = await LocalPostgres.start();
  let url: string;
  try {
    url = server.createDatabase(SHARED_DATABASE_NAME);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    url,
    cutSessionsOf: async (nodeId) => server.terminateSessions(sessionPrefixOf(nodeId)),
    restart: () => server.restart(),
    committedIndex: async () => Number(server.sql(COMMITTED_INDEX_SQL, SHARED_DATABASE_NAME)) || 0,
    stop: () => server.stop(),
  };
}
