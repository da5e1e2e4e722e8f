/**
 * vitest globalSetup: the PostgreSQL the PostgreSQL suites use, once per run. The server named by
 * `REPLIMQ_TEST_POSTGRES_URL` when set (.ci/run starts one with scripts/postgres/ensure-postgres.sh);
 * otherwise one started here from this machine's PostgreSQL binaries and stopped after the run.
 * With neither, those suites skip, saying why; under CI=true that is an error instead.
 */
import type { TestProject } from 'vitest/node';
import { LocalPostgres, findPostgresBinaries } from '../../client/src/postgres/local-postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the test PostgreSQL, or '' when there is none. */
    postgresUrl: string;
    /** Why there is none. */
    postgresMissing: string;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const given = process.env['REPLIMQ_TEST_POSTGRES_URL'];
  if (given) {
    project.provide('postgresUrl', given);
    project.provide('postgresMissing', '');
    return undefined;
  }
  if (!findPostgresBinaries()) {
    const reason = 'no PostgreSQL: set REPLIMQ_TEST_POSTGRES_URL or install Debian\'s postgresql (scripts/postgres/ensure-postgres.sh)';
    if (process.env['CI'] === 'true') throw new Error(`CI=true needs the PostgreSQL suites to run, but there is ${reason}`);
    project.provide('postgresUrl', '');
    project.provide('postgresMissing', reason);
    return undefined;
  }
  // Every vitest project runs this setup: they share one server, stopped after the last.
  const shared = ((globalThis as SharedHolder)[SHARED] ??= { server: LocalPostgres.start(), users: 0 });
  shared.users++;
  const server = await shared.server;
  project.provide('postgresUrl', server.url());
  project.provide('postgresMissing', '');
  return async () => {
    if (--shared.users === 0) {
      delete (globalThis as SharedHolder)[SHARED];
      await server.stop();
    }
  };
}

const SHARED = Symbol.for('replimq.test-postgres');
type SharedHolder = typeof globalThis & { [SHARED]?: { server: Promise<LocalPostgres>; users: number } };
