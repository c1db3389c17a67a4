import path from 'node:path';
import type { Logger } from 'pino';
import { createPrismaClient, EMBEDDED_POOL_SIZE, type DatabaseClientOptions, type PrismaClient } from './client.ts';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded.ts';
import { applyMigrations } from './migrate.ts';

export interface Database {
  kind: 'postgresql' | 'embedded';
  url: string;
  prisma: PrismaClient;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions extends DatabaseClientOptions {
  databaseUrl: string | undefined;
  /** Data folder; the embedded database lives in its `pglite` subfolder. */
  dataDir: string;
  logger: Logger;
}

/**
 * Opens PostgreSQL when a URL is given, otherwise starts the embedded PGlite database in the
 * data folder; then applies pending migrations to either.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const { logger } = options;
  let embedded: EmbeddedDatabase | null = null;
  let url = options.databaseUrl;
  if (!url) {
    const dataDir = path.resolve(options.dataDir, 'pglite');
    embedded = await startEmbeddedDatabase({ dataDir });
    url = embedded.url;
    logger.info({ dataDir }, 'Embedded database started');
  }

  try {
    const { applied } = await applyMigrations(url);
    if (applied.length > 0) logger.info({ migrations: applied }, 'Database migrations applied');
  } catch (error) {
    await embedded?.stop();
    throw error;
  }

  const prisma = createPrismaClient(url, {
    ...options,
    maxConnections: embedded ? EMBEDDED_POOL_SIZE : options.maxConnections,
  });
  return {
    kind: embedded ? 'embedded' : 'postgresql',
    url,
    prisma,
    async close() {
      await prisma.$disconnect();
      await embedded?.stop();
    },
  };
}
