import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSchema, createYoga } from 'graphql-yoga';
import { serveParent } from './ipc-child.ts';

/**
 * Child-process entry for the baseline of the API overhead benchmark: graphql-yoga with its
 * defaults and logging off, on 127.0.0.1, that returns a constant for `{ hello }`. It has no
 * authentication, database or schema of ours, so it shows what HTTP and GraphQL execution
 * alone cost on this machine. The parent sends `{ hello }`.
 */

await serveParent(async () => {
  const yoga = createYoga({
    schema: createSchema({ typeDefs: 'type Query { hello: String! }', resolvers: { Query: { hello: () => 'world' } } }),
    logging: false,
  });
  const server = createServer(yoga);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    ready: `http://127.0.0.1:${port}/graphql`,
    // The only query is for the CPU time of this process.
    handle: () => process.cpuUsage(),
    async stop() {
      server.close();
      server.closeAllConnections();
    },
  };
});
