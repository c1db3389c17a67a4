import { ConfigError, loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { EmbeddedDatabaseInUseError } from '../src/db/embedded.ts';
import { seedDemo } from '../src/db/seed.ts';
import { createLogger } from '../src/logger.ts';
import { describeFatalError } from '../src/fatal.ts';

/**
 * Writes the demo organizations into the configured database: PostgreSQL when DATABASE_URL
 * is set, otherwise the embedded database in DATA_DIR. Applies pending migrations first.
 * Organizations that exist already are left as they are, so running it twice is safe.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL ?? 'warn');
  const target = config.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `the embedded database in ${config.DATA_DIR}`;
  process.stderr.write(`Seeding ${target}.\n`);

  const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, logger });
  try {
    const result = await seedDemo(database.prisma, {
      log: (message, fields) => {
        const { slug, ...counts } = (fields ?? {}) as { slug?: string; organizationId?: string; durationMs?: number };
        delete counts.organizationId;
        delete counts.durationMs;
        const details = Object.entries(counts).map(([name, count]) => `${count} ${name}`).join(', ');
        process.stdout.write(`${slug ?? '?'}: ${message}${details ? ` (${details})` : ''}.\n`);
      },
    });
    process.stdout.write(result.created ? 'Demo data seeded.\n' : 'Nothing to do: every demo organization exists already.\n');
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof EmbeddedDatabaseInUseError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Seeding failed: ${describeFatalError(error)}\n`);
  }
  process.exit(1);
});
