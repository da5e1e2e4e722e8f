import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Builds the replimq image once per run when a Docker engine is there (CI starts one).
    globalSetup: ['test/testkit/global-setup.ts'],
  },
});
