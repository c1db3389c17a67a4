import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds the migrated template database that every test file copies.
    globalSetup: ['test/global-setup.ts'],
    // Child processes rather than worker threads: each test file starts its own PGlite
    // instance or pg pools, and a crash in one must not take the others down.
    pool: 'forks',
    // Each worker runs its own database besides the tests; two workers fit a 2-core machine.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
