import pg from 'pg';

/**
 * The migrated database that test/global-setup.ts builds once per run. Every test file
 * copies it: PostgreSQL copies a template database, PGlite loads a dump of its data folder.
 */
export type DatabaseTemplate =
  | { kind: 'postgresql'; serverUrl: string; templateName: string }
  | { kind: 'embedded'; dumpPath: string };

declare module 'vitest' {
  export interface ProvidedContext {
    databaseTemplate: DatabaseTemplate;
  }
}

/** Returns `serverUrl` with its database name replaced, keeping user, host and query. */
export function databaseUrl(serverUrl: string, databaseName: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${databaseName}`;
  return url.toString();
}

/** Runs `action` on a connection to the server's `postgres` database, for CREATE and DROP DATABASE. */
export async function withAdminConnection<T>(serverUrl: string, action: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl(serverUrl, 'postgres') });
  await client.connect();
  try {
    return await action(client);
  } finally {
    await client.end();
  }
}

/** Quotes a database name that the harness generated (letters, digits and underscores only). */
export function quoteName(name: string): string {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`Unexpected database name "${name}".`);
  return `"${name}"`;
}

/** Terminates every session on the database, then drops it. */
export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await withAdminConnection(serverUrl, async (client) => {
    await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
    await client.query(`DROP DATABASE IF EXISTS ${quoteName(name)}`);
  });
}
