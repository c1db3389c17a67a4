import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // graphql 16 ships CommonJS (index.js) and ESM (index.mjs) without an `exports` map.
    // Node, and so graphql-yoga and Pothos, load index.js, while Vite resolves our own
    // imports to index.mjs through the `module` field. Two GraphQLError classes then exist,
    // yoga's instanceof check fails and it masks every GraphQLError as "Unexpected error.".
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
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
