import { ConfigError, loadConfig } from '../src/config.ts';
import { EmbeddedDatabaseInUseError, startEmbeddedDatabase } from '../src/db/embedded.ts';
import { applyMigrations } from '../src/db/migrate.ts';
import path from 'node:path';
import { describeFatalError } from '../src/fatal.ts';

/**
 * Applies pending migrations from prisma/migrations with `prisma migrate deploy`: to
 * PostgreSQL when DATABASE_URL is set, otherwise to the embedded database in DATA_DIR.
 * The server applies them at start as well; this script is for deployments that migrate
 * before starting new servers.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  let url = config.DATABASE_URL;
  let stopEmbedded: (() => Promise<void>) | null = null;
  if (!url) {
    const embedded = await startEmbeddedDatabase({ dataDir: path.resolve(config.DATA_DIR, 'pglite') });
    url = embedded.url;
    stopEmbedded = () => embedded.stop();
  }
  const target = config.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `the embedded database in ${config.DATA_DIR}`;

  try {
    const { applied } = await applyMigrations(url);
    if (applied.length === 0) {
      process.stdout.write(`No pending migrations in ${target}.\n`);
    } else {
      process.stdout.write(`Applied ${applied.length} migration(s) to ${target}:\n${applied.map((name) => `  ${name}\n`).join('')}`);
    }
  } finally {
    await stopEmbedded?.();
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof EmbeddedDatabaseInUseError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Migration failed: ${describeFatalError(error)}\n`);
  }
  process.exit(1);
});
