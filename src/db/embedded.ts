import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * PGlite runs PostgreSQL in-process; pglite-socket serves it over the wire protocol on
 * loopback, so the same pg adapter and Prisma migrations work for PGlite and PostgreSQL.
 * PGlite has one session: while one connection holds a transaction, the others wait.
 */
export interface EmbeddedDatabase {
  url: string;
  dataDir: string | null;
  db: PGlite;
  stop(): Promise<void>;
}

export interface EmbeddedDatabaseOptions {
  /** Folder for the database files; null keeps the database in memory. */
  dataDir: string | null;
  /** A tarball from `PGlite.dumpDataDir()` to start from (in-memory databases only). */
  loadDataDir?: Blob;
  /** Connections the socket server multiplexes onto PGlite's single session. */
  maxConnections?: number;
}

export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const db = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
  });
  const server = new PGLiteSocketServer({
    db,
    host: '127.0.0.1',
    port: 0,
    maxConnections: options.maxConnections ?? 16,
  });
  await server.start();
  const url = `postgresql://postgres@${server.getServerConn()}/postgres?sslmode=disable`;

  return {
    url,
    dataDir: options.dataDir,
    db,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
