/**
 * The shared PostgreSQL of a container cluster (`withSharedPostgres()` on the container runtime):
 * one container on the cluster network, reachable by the nodes as `replimq-postgres`, from the
 * official image or one made from this machine's PostgreSQL (postgres-image.ts).
 *
 * The faults mean what they mean on the process runtime (shared-database.ts): `cutSessionsOf`
 * ends the node's sessions with `pg_terminate_backend` (psql inside the container), leaving its
 * cluster network alone; `restart` is a fast shutdown (SIGINT) and a start on the same data.
 */
import { GenericContainer, Wait, getContainerRuntimeClient } from 'testcontainers';
import type { StartedNetwork, StartedTestContainer } from 'testcontainers';
import { debugLog } from '../debug-log.js';
import { ReplimqTestkitError } from '../errors.js';
import { trackContainer } from '../exit-cleanup.js';
import { printProgress } from '../image-build.js';
import { ownerLabels } from '../orphan-sweep.js';
import { reaperSession } from '../reaper-session.js';
import { ensurePostgresImage } from './postgres-image.js';
import { terminateSessionsSql } from './local-postgres.js';
import { COMMITTED_INDEX_SQL, SHARED_DATABASE_NAME, sessionPrefixOf } from './shared-database.js';
import type { SharedDatabase } from './shared-database.js';

/** The database's name on the cluster network. */
export const POSTGRES_ALIAS = 'replimq-postgres';
const PORT = 5432;
/** How long a fast shutdown may take before Docker kills the server. */
const STOP_TIMEOUT_MS = 10_000;
const log = debugLog('replimq:cluster');

export async function startContainerSharedDatabase(network: StartedNetwork, startupTimeoutMs: number): Promise<SharedDatabase> {
  const client = await getContainerRuntimeClient();
  const image = await ensurePostgresImage(client, { progress: printProgress });
  const container = new PostgresContainer(image)
    .withNetwork(network)
    .withNetworkAliases(POSTGRES_ALIAS)
    // The official image's entrypoint reads these; the local one already trusts every connection.
    .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust' })
    // jit=off: the local image leaves LLVM out.
    .withCommand(['postgres', '-c', 'listen_addresses=*', '-c', 'max_connections=200', '-c', 'fsync=on', '-c', 'jit=off'])
    .withLabels(ownerLabels())
    // Over TCP: the official image's first-run server listens on its socket only.
    .withWaitStrategy(Wait.forSuccessfulCommand(`pg_isready -q -h 127.0.0.1 -p ${PORT} -U postgres`))
    .withStartupTimeout(startupTimeoutMs);
  if ((await reaperSession()).kind === 'unavailable') container.withAutoCleanup(false);
  log(`starting PostgreSQL (${image}) as ${POSTGRES_ALIAS} on ${network.getName()}`);
  const started = await container.start();
  const untrack = trackContainer(started.getId());
  const sql = (statement: string, database = 'postgres') => runSql(started, statement, database);
  try {
    await sql(`CREATE DATABASE ${SHARED_DATABASE_NAME}`);
  } catch (error) {
    await started.stop().catch(() => {});
    untrack();
    throw error;
  }
  return {
    url: `postgres://postgres@${POSTGRES_ALIAS}:${PORT}/${SHARED_DATABASE_NAME}`,
    cutSessionsOf: async (nodeId) => Number(await sql(terminateSessionsSql(sessionPrefixOf(nodeId)))) || 0,
    // testcontainers' restart waits for pg_isready again.
    restart: () => started.restart({ timeout: STOP_TIMEOUT_MS }),
    committedIndex: async () => Number(await sql(COMMITTED_INDEX_SQL, SHARED_DATABASE_NAME)) || 0,
    stop: async () => {
      await started.stop({ timeout: STOP_TIMEOUT_MS });
      untrack();
    },
  };
}

class PostgresContainer extends GenericContainer {
  constructor(image: string) {
    super(image);
    // PostgreSQL's fast shutdown, as the official image declares (SIGTERM waits for every session to end).
    this.createOpts.StopSignal = 'SIGINT';
  }
}

/** psql inside the container, as the superuser; its unaligned output (rows on lines, `|` between columns). */
async function runSql(container: StartedTestContainer, statement: string, database: string): Promise<string> {
  const result = await container.exec(['psql', '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-U', 'postgres', '-d', database, '-c', statement]);
  if (result.exitCode !== 0) throw new ReplimqTestkitError(`psql in the shared PostgreSQL failed (${result.exitCode}): ${result.stderr || result.output}`);
  return result.stdout.trim();
}
