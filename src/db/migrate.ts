import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { OperatorError } from '../fatal.ts';

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const migrationsDir = path.join(repositoryRoot, 'prisma/migrations');

async function listMigrations(): Promise<string[]> {
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/**
 * Opens a pg connection. A database that does not exist or a server that refuses connections
 * becomes an OperatorError that names the database and the fix.
 */
export async function connectToDatabase(databaseUrl: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: databaseUrl });
  try {
    await client.connect();
    return client;
  } catch (error) {
    await client.end().catch(() => {});
    const url = new URL(databaseUrl);
    const server = `${url.hostname}:${url.port || '5432'}`;
    const name = decodeURIComponent(url.pathname.slice(1));
    const code = (error as { code?: string }).code;
    if (code === '3D000') {
      throw new OperatorError(`The database "${name}" does not exist on the PostgreSQL server ${server}. Create it (for example \`createdb -h ${url.hostname} ${name}\`) or correct DATABASE_URL.`);
    }
    if (code === 'ECONNREFUSED') {
      throw new OperatorError(`The PostgreSQL server ${server} refused the connection. Start it, or correct the host and port in DATABASE_URL.`);
    }
    throw error;
  }
}

/** Returns the migrations folders that the database has not finished applying. */
export async function pendingMigrations(databaseUrl: string): Promise<string[]> {
  const all = await listMigrations();
  const client = await connectToDatabase(databaseUrl);
  try {
    const table = await client.query<{ exists: boolean }>(
      `SELECT to_regclass('_prisma_migrations') IS NOT NULL AS "exists"`,
    );
    if (!table.rows[0]?.exists) return all;
    const applied = await client.query<{ migration_name: string }>(
      `SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const done = new Set(applied.rows.map((row) => row.migration_name));
    return all.filter((name) => !done.has(name));
  } finally {
    await client.end();
  }
}

/**
 * Applies pending migrations with `prisma migrate deploy`, the same command operators run
 * against production. Skips the child process when nothing is pending, which keeps the
 * start of an existing database fast.
 */
export async function applyMigrations(databaseUrl: string): Promise<{ applied: string[] }> {
  const pending = await pendingMigrations(databaseUrl);
  if (pending.length === 0) return { applied: [] };

  const prismaCli = createRequire(import.meta.url).resolve('prisma/build/index.js');
  await new Promise<void>((resolve, reject) => {
    execFile(
      process.execPath,
      [prismaCli, 'migrate', 'deploy'],
      { cwd: repositoryRoot, env: { ...process.env, DATABASE_URL: databaseUrl }, maxBuffer: 10 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`prisma migrate deploy failed: ${stderr.trim() || stdout.trim() || error.message}`));
        } else {
          resolve();
        }
      },
    );
  });
  return { applied: pending };
}
