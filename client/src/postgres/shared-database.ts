/**
 * The PostgreSQL a shared-db cluster's nodes share (`ReplimqCluster.withSharedPostgres()`): a real
 * server of the cluster's own, with the faults a test can inflict on the database side.
 */
import { LocalPostgres } from './local-postgres.js';

export interface SharedDatabase {
  /** URL every node is given (`--postgres-url`). */
  readonly url: string;
  /** Ends every session of node `nodeId` (its lease and storage connections), as a network cut or
   *  an operator's `pg_terminate_backend` would; the node reconnects on its next query. */
  cutSessionsOf(nodeId: string): Promise<number>;
  /** Fast shutdown and start again: every session ends, committed data stays. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const DATABASE = 'replimq';

/** A local server from this machine's PostgreSQL binaries, with one database for the cluster. */
export async function startLocalSharedDatabase(): Promise<SharedDatabase> {
  const server = await LocalPostgres.start();
  let url: string;
  try {
    url = server.createDatabase(DATABASE);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    url,
    cutSessionsOf: async (nodeId) => server.terminateSessions(`replimq:${nodeId}:`),
    restart: () => server.restart(),
    stop: () => server.stop(),
  };
}
