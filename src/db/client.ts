import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.ts';

export type { PrismaClient } from '../generated/prisma/client.ts';

/**
 * Pool size for the embedded database. pglite-socket multiplexes its connections onto
 * PGlite's single session message by message, and keeps one connection's messages together
 * only inside a transaction, so two connections' extended-protocol messages (Parse, Bind,
 * Execute) interleave and fail with "unnamed prepared statement does not exist". One pooled
 * connection serializes them; queries then wait for each other, as they would in PGlite anyway.
 */
export const EMBEDDED_POOL_SIZE = 1;

export interface DatabaseClientOptions {
  /** Called with the SQL text of every statement sent, for statement-count tests and benchmarks. */
  onStatement?: (sql: string) => void;
  maxConnections?: number;
}

/** Creates a Prisma client over a pg pool, so PostgreSQL and the embedded server behave alike. */
export function createPrismaClient(url: string, options: DatabaseClientOptions = {}): PrismaClient {
  const pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 10 });
  const onStatement = options.onStatement;
  if (onStatement) {
    pool.on('connect', (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
        const first = args[0];
        onStatement(typeof first === 'string' ? first : String((first as { text?: string }).text ?? ''));
        return query(...args);
      };
    });
  }
  // disposeExternalPool: $disconnect() ends the pool. Without it the pool's connections stay
  // open, and once their server closes them the pool emits 'error' with no listener attached,
  // which crashes the process.
  return new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
}
