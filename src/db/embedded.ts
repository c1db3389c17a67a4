import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { OperatorError } from '../fatal.ts';

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

/** Thrown when another running process has the data folder of an embedded database open. */
export class EmbeddedDatabaseInUseError extends OperatorError {
  override name = 'EmbeddedDatabaseInUseError';
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `The embedded database in ${dataDir} is in use by process ${pid}, probably a running server. ` +
        'PGlite allows one process per data folder: stop that process first, or set DATABASE_URL to use PostgreSQL.',
    );
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the lock file `<dataDir>.lock`, which holds the owner's process id. PGlite itself
 * opens a data folder that another process has open, and two PostgreSQL instances writing
 * the same files corrupt them, so the lock turns that into an error. A lock left by a
 * process that no longer runs is taken over. Returns the function that releases the lock.
 */
async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const lockPath = `${path.resolve(dataDir)}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return () => unlink(lockPath).catch(() => {});
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number.parseInt(await readFile(lockPath, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(owner) && owner > 0 && isRunning(owner)) {
      throw new EmbeddedDatabaseInUseError(path.resolve(dataDir), owner);
    }
    await unlink(lockPath).catch(() => {});
  }
  throw new Error(`Could not take the lock file ${lockPath}: another process keeps creating it.`);
}

export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  let unlock: (() => Promise<void>) | null = null;
  if (options.dataDir) {
    await mkdir(options.dataDir, { recursive: true });
    unlock = await lockDataDir(options.dataDir);
  }
  let db: PGlite | null = null;
  try {
    db = await PGlite.create({
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
    const database = db;

    return {
      url,
      dataDir: options.dataDir,
      db: database,
      async stop() {
        await server.stop();
        await database.close();
        await unlock?.();
      },
    };
  } catch (error) {
    await db?.close().catch(() => {});
    await unlock?.();
    throw error;
  }
}
