import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default (cores − 1) runs one file at a time on a 2-core CI machine, while most of a
    // cluster or testkit file's time is spent waiting on elections, restarts and containers: two
    // files at a time there halves the wall-clock time without starving either.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Builds the replimq image once per run when a Docker engine is there (CI starts one).
    // The PostgreSQL the postgres suites use: REPLIMQ_TEST_POSTGRES_URL, or one started locally.
    globalSetup: ['test/testkit/global-setup.ts', 'test/support/postgres-global-setup.ts'],
    projects: [
      { extends: true, test: { name: 'replimq', include: ['test/**/*.test.ts'] } },
      // The SQS conformance suite once more on SQLite storage: every action's state changes go
      // through the group-committed record writes, so a storage bug cannot hide behind memory.
      {
        extends: true,
        test: {
          name: 'sqs-on-sqlite',
          include: ['test/integration/sqs/**/*.test.ts'],
          env: { CONFORMANCE_STORAGE: 'sqlite' },
        },
      },
      // …and on PostgreSQL, through the fenced group commit of a shared-db group of one (skipped,
      // saying why, on a machine without PostgreSQL).
      {
        extends: true,
        test: {
          name: 'sqs-on-postgres',
          include: ['test/integration/sqs/**/*.test.ts'],
          env: { CONFORMANCE_STORAGE: 'postgres' },
        },
      },
    ],
  },
});
