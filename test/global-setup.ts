import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedDatabase } from '../src/db/embedded.ts';
import { applyMigrations } from '../src/db/migrate.ts';
import { databaseUrl, dropDatabase, quoteName, withAdminConnection } from './helpers/template.ts';

/**
 * Builds the migrated template database once per run and provides it as
 * `databaseTemplate`; test/helpers/database.ts copies it for every test file.
 * With DATABASE_URL set, the template is a database on that PostgreSQL server (the
 * database named in the URL is never touched); without it, a dump of an in-memory PGlite
 * data folder. The returned teardown removes the template.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const serverUrl = process.env.DATABASE_URL?.trim();
  return serverUrl ? setUpPostgres(project, serverUrl) : setUpEmbedded(project);
}

async function setUpPostgres(project: TestProject, serverUrl: string): Promise<() => Promise<void>> {
  const templateName = `hris_tpl_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdminConnection(serverUrl, (client) => client.query(`CREATE DATABASE ${quoteName(templateName)}`));
  try {
    await applyMigrations(databaseUrl(serverUrl, templateName));
    // No session may stay on a template while CREATE DATABASE copies it.
    await withAdminConnection(serverUrl, (client) =>
      client.query(`ALTER DATABASE ${quoteName(templateName)} WITH ALLOW_CONNECTIONS false`),
    );
  } catch (error) {
    await dropDatabase(serverUrl, templateName);
    throw error;
  }
  project.provide('databaseTemplate', { kind: 'postgresql', serverUrl, templateName });
  return () => dropDatabase(serverUrl, templateName);
}

async function setUpEmbedded(project: TestProject): Promise<() => Promise<void>> {
  const folder = await mkdtemp(path.join(tmpdir(), 'hris-test-template-'));
  try {
    const embedded = await startEmbeddedDatabase({ dataDir: null });
    try {
      await applyMigrations(embedded.url);
      const dump = await embedded.db.dumpDataDir('none');
      const dumpPath = path.join(folder, 'template.tar');
      await writeFile(dumpPath, new Uint8Array(await dump.arrayBuffer()));
      project.provide('databaseTemplate', { kind: 'embedded', dumpPath });
    } finally {
      await embedded.stop();
    }
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
  return () => rm(folder, { recursive: true, force: true });
}
