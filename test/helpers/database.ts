import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { inject } from 'vitest';
import { startEmbeddedDatabase } from '../../src/db/embedded.ts';
import { databaseUrl, dropDatabase, quoteName, withAdminConnection } from './template.ts';

export interface TestDatabase {
  url: string;
  kind: 'postgresql' | 'embedded';
  /** Drops the PostgreSQL database or stops the in-memory PGlite instance. */
  close(): Promise<void>;
}

// PostgreSQL rejects CREATE DATABASE ... TEMPLATE while another session is connected to the
// template. Nothing connects to it after global setup, but a retry covers a slow disconnect.
const TEMPLATE_BUSY_RETRIES = 5;
const TEMPLATE_BUSY_DELAY_MS = 200;

async function createPostgresDatabase(serverUrl: string, templateName: string): Promise<TestDatabase> {
  const name = `test_${randomBytes(6).toString('hex')}`;
  for (let attempt = 0; ; attempt++) {
    try {
      await withAdminConnection(serverUrl, (client) => client.query(`CREATE DATABASE ${quoteName(name)} TEMPLATE ${quoteName(templateName)}`));
      break;
    } catch (error) {
      const busy = (error as { code?: string }).code === '55006';
      if (!busy || attempt >= TEMPLATE_BUSY_RETRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, TEMPLATE_BUSY_DELAY_MS));
    }
  }
  return {
    url: databaseUrl(serverUrl, name),
    kind: 'postgresql',
    close: () => dropDatabase(serverUrl, name),
  };
}

async function createEmbeddedDatabase(dumpPath: string): Promise<TestDatabase> {
  const dump = new Blob([await readFile(dumpPath)]);
  const embedded = await startEmbeddedDatabase({ dataDir: null, loadDataDir: dump });
  return { url: embedded.url, kind: 'embedded', close: () => embedded.stop() };
}

/**
 * Creates an empty, migrated database of its own for the calling test file: a copy of the
 * run's template on PostgreSQL when DATABASE_URL is set, otherwise an in-memory PGlite
 * instance loaded from the template dump. Nothing is seeded.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = inject('databaseTemplate');
  if (!template) {
    throw new Error('No database template was provided: run the tests through vitest.config.ts, whose globalSetup builds it.');
  }
  return template.kind === 'postgresql'
    ? createPostgresDatabase(template.serverUrl, template.templateName)
    : createEmbeddedDatabase(template.dumpPath);
}
