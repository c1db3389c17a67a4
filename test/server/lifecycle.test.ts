import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, startPersonioSandbox, type RunningSandbox } from '../../plugins/personio/sandbox/index.ts';
import { signToken } from '../../src/auth/jwt.ts';
import { createPrismaClient } from '../../src/db/client.ts';
import { seedDemo } from '../../src/db/seed.ts';
import { seedOrganizationId, seedUserId } from '../../src/db/seed-data.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { TEST_ENCRYPTION_KEY, TEST_JWT_SECRET } from '../helpers/service.ts';

// Starts `src/main.ts` as its own process, as `npm start` does, and stops it with signals.
// With DATABASE_URL set the process uses a fresh copy of the test template on PostgreSQL;
// otherwise it starts its own embedded database in a temporary data folder.

const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));
// `node --import tsx` runs the server in this one process. The tsx command line would start
// it as a grandchild, which SIGKILL of the child leaves running.
const serverArguments = ['--import', 'tsx', 'src/main.ts'];
const START_TIMEOUT_MS = 90_000;

interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** Every line the process wrote to stdout and stderr so far. */
  lines: string[];
  exited: Promise<number | null>;
}

function startServer(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, serverArguments, {
    cwd: repositoryRoot,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`The server did not start within ${START_TIMEOUT_MS} ms. Output:\n${lines.join('\n')}`));
    }, START_TIMEOUT_MS);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`The server exited with code ${code} before it started. Output:\n${lines.join('\n')}`));
    });
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        lines.push(line);
        const record = parseLogLine(line);
        if (record?.['msg'] === 'Server started') {
          clearTimeout(timer);
          resolve({ child, url: String(record['url']).replace(/\/graphql$/, ''), lines, exited });
        }
      });
    }
  });
}

function parseLogLine(line: string): Record<string, unknown> | null {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return null;
  }
}

function logMessages(server: ServerProcess): string[] {
  return server.lines.map((line) => parseLogLine(line)?.['msg']).filter((message): message is string => typeof message === 'string');
}

describe('server process', () => {
  let database: TestDatabase | null = null;
  let dataDir: string;
  let sandbox: RunningSandbox;
  let running: ServerProcess | null = null;
  let env: Record<string, string>;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'hris-lifecycle-'));
    sandbox = await startPersonioSandbox({ port: 0 });
    env = {
      JWT_SECRET: TEST_JWT_SECRET,
      ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      PERSONIO_BASE_URL: sandbox.url,
      DATA_DIR: path.join(dataDir, 'db'),
    };
    if (process.env.DATABASE_URL) {
      // On PostgreSQL the server seeds nothing by itself; `npm run db:seed` does it.
      database = await createTestDatabase();
      env['DATABASE_URL'] = database.url;
      const prisma = createPrismaClient(database.url);
      try {
        await seedDemo(prisma);
      } finally {
        await prisma.$disconnect();
      }
    }
  }, START_TIMEOUT_MS);

  afterEach(async () => {
    if (running && running.child.exitCode === null) {
      running.child.kill('SIGKILL');
      await running.exited;
      // A process killed this way leaves the lock file, which the next start takes over.
    }
    running = null;
  });

  afterAll(async () => {
    await sandbox?.stop();
    await database?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves health and readiness', { timeout: START_TIMEOUT_MS }, async () => {
    running = await startServer(env);

    const health = await fetch(`${running.url}/health`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${running.url}/ready`);
    expect(ready.status).toBe(200);
  });

  it('finishes a request in flight on SIGTERM', { timeout: START_TIMEOUT_MS }, async () => {
    running = await startServer(env);
    const token = await signToken({ userId: seedUserId('demo', 'amara.okafor@northwind.example'), organizationId: seedOrganizationId('demo') }, TEST_JWT_SECRET);
    // Every Personio request takes 700 ms, so connecting takes several seconds.
    sandbox.control.setLatency(700);

    const request = fetch(`${running.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: 'mutation ($input: ConnectHrisInput!) { connectHris(input: $input) { __typename } }',
        variables: { input: { personio: { clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET, appId: 'acme-gmbh' } } },
      }),
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    running.child.kill('SIGTERM');

    const response = await request;
    const body = (await response.json()) as { data?: { connectHris?: { __typename: string } } };
    sandbox.control.setLatency(0);
    expect(body.data?.connectHris?.__typename, JSON.stringify(body)).toBe('ConnectHrisSuccess');
    expect(await running.exited).toBe(0);
    expect(logMessages(running)).toContain('Server stopped');
  });

  it('releases the embedded data folder on SIGINT', { timeout: START_TIMEOUT_MS }, async () => {
    running = await startServer(env);
    // The embedded database lives in DATA_DIR/pglite, locked by the file next to it.
    const lockFile = path.join(env['DATA_DIR'] ?? '', 'pglite.lock');
    if (!database) expect(existsSync(lockFile)).toBe(true);

    running.child.kill('SIGINT');

    expect(await running.exited).toBe(0);
    expect(existsSync(lockFile)).toBe(false);
    expect(logMessages(running)).toEqual(expect.arrayContaining(['Server stopping: no new connections, finishing requests', 'Server stopped']));
  });

  it('reports every invalid variable and exits 1', { timeout: 30_000 }, async () => {
    const child = spawn(process.execPath, serverArguments, {
      cwd: repositoryRoot,
      env: { PATH: process.env.PATH ?? '', PORT: 'eighty', LOG_LEVEL: 'loud', NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));

    expect(code).toBe(1);
    expect(stderr).toContain('PORT');
    expect(stderr).toContain('LOG_LEVEL');
    expect(stderr).toContain('JWT_SECRET');
    expect(stderr).toContain('ENCRYPTION_KEY');
  });
});
