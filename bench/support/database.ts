import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startEmbeddedDatabase } from '../../src/db/embedded.ts';
import { applyMigrations } from '../../src/db/migrate.ts';
import { onInterrupt } from './interrupt.ts';

export type DatabaseKind = 'embedded' | 'postgresql';

/** A database that belongs to one benchmark and is removed by close(). */
export interface BenchDatabase {
  kind: DatabaseKind;
  url: string;
  /** Server version, for the report. */
  version: string;
  close(): Promise<void>;
}

/**
 * PostgreSQL server that benchmarks create their databases on. BENCH_POSTGRES_URL overrides it;
 * the database named in the URL is only used to run CREATE and DROP DATABASE.
 */
export const POSTGRES_SERVER_URL = process.env['BENCH_POSTGRES_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

function withDatabaseName(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function onAdminConnection<T>(action: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_SERVER_URL, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await action(client);
  } finally {
    await client.end();
  }
}

async function serverVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ server_version: string }>('SHOW server_version');
    return result.rows[0]?.server_version ?? 'unknown';
  } finally {
    await client.end();
  }
}

/**
 * Returns null when the PostgreSQL server accepts connections, otherwise the reason, so a
 * benchmark can report the database as skipped instead of failing the whole run.
 */
export async function postgresUnavailableReason(): Promise<string | null> {
  try {
    await onAdminConnection((client) => client.query('SELECT 1'));
    return null;
  } catch (error) {
    return `PostgreSQL at ${new URL(POSTGRES_SERVER_URL).host} refused the connection: ${(error as Error).message}`;
  }
}

/**
 * Runs `measure` once per requested database and collects its results. An unreachable
 * PostgreSQL server is listed in `skipped` instead of failing the section.
 */
export async function measureEachDatabase<Result>(
  kinds: readonly DatabaseKind[],
  measure: (kind: DatabaseKind) => Promise<Result[]>,
): Promise<{ results: Result[]; skipped: string[] }> {
  const results: Result[] = [];
  const skipped: string[] = [];
  for (const kind of kinds) {
    const unavailable = kind === 'postgresql' ? await postgresUnavailableReason() : null;
    if (unavailable) {
      skipped.push(`PostgreSQL was skipped: ${unavailable}`);
      continue;
    }
    results.push(...(await measure(kind)));
  }
  return { results, skipped };
}

async function createPostgresDatabase(migrate: boolean): Promise<BenchDatabase> {
  const name = `bench_${randomBytes(6).toString('hex')}`;
  await onAdminConnection((client) => client.query(`CREATE DATABASE "${name}"`));
  const dropDatabase = () =>
    onAdminConnection(async (client) => {
      await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
      await client.query(`DROP DATABASE IF EXISTS "${name}"`);
    });
  const forget = onInterrupt(dropDatabase);
  const drop = async () => {
    forget();
    await dropDatabase();
  };
  const url = withDatabaseName(POSTGRES_SERVER_URL, name);
  try {
    if (migrate) await applyMigrations(url);
    return { kind: 'postgresql', url, version: `PostgreSQL ${await serverVersion(url)}`, close: drop };
  } catch (error) {
    await drop();
    throw error;
  }
}

async function createEmbeddedDatabase(): Promise<BenchDatabase> {
  // In memory, as in the tests: the files of a data folder would only add disk noise.
  const embedded = await startEmbeddedDatabase({ dataDir: null });
  try {
    await applyMigrations(embedded.url);
    return { kind: 'embedded', url: embedded.url, version: `PGlite ${await serverVersion(embedded.url)} (in memory)`, close: () => embedded.stop() };
  } catch (error) {
    await embedded.stop();
    throw error;
  }
}

/**
 * Creates a database of its own for one benchmark, migrated unless `migrate` is false (which
 * only PostgreSQL supports: an empty in-memory PGlite database would be of no use).
 */
export function createBenchDatabase(kind: DatabaseKind, options: { migrate?: boolean } = {}): Promise<BenchDatabase> {
  return kind === 'postgresql' ? createPostgresDatabase(options.migrate ?? true) : createEmbeddedDatabase();
}

export function databaseLabel(kind: DatabaseKind): string {
  return kind === 'postgresql' ? 'PostgreSQL' : 'PGlite';
}
