import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME, startPersonioSandbox, type RunningSandbox } from '../../plugins/personio/sandbox/index.ts';
import { signToken } from '../../src/auth/jwt.ts';
import { createPrismaClient, EMBEDDED_POOL_SIZE } from '../../src/db/client.ts';
import { openDatabase } from '../../src/db/database.ts';
import { seedDemo } from '../../src/db/seed.ts';
import { seedOrganizationId } from '../../src/db/seed-data.ts';
import { createLogger } from '../../src/logger.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { TEST_ENCRYPTION_KEY, TEST_JWT_SECRET } from '../helpers/service.ts';
import { BATCH_FIELDS, createHiredCandidates, DEFAULT_PERSONIO_CREDENTIALS, demoUserId, DEMO_USERS, type CreatedHire } from '../exports/support.ts';

/**
 * The real server (`node --import tsx src/main.ts`) as a child process, killed with SIGKILL in
 * the middle of a bulk export and started again on the same database: the batch finishes on
 * the restart, with one Personio employee per candidate. The database is a fresh PostgreSQL
 * database when DATABASE_URL is set, otherwise an embedded data folder in a temporary folder.
 */

const repositoryRoot = path.resolve(import.meta.dirname, '../..');
const HIRES = 24;
/** Latency of every sandbox request, so the batch runs for several seconds. */
const SANDBOX_LATENCY_MS = 150;

interface ChildServer {
  process: ChildProcess;
  url: string;
  output(): string;
}

/** Starts src/main.ts and resolves once it logged "Server started", within 60 s. */
function startServer(env: NodeJS.ProcessEnv): Promise<ChildServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: repositoryRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let pending = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`The server did not start within 60 s. Output:\n${output.slice(-4000)}`));
    }, 60_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const entry = parseLine(line);
        if (entry?.msg === 'Server started' && typeof entry.url === 'string') {
          clearTimeout(timer);
          // The server listens on 127.0.0.1 and names it localhost; ask the address itself.
          resolve({ process: child, url: entry.url.replace('//localhost:', '//127.0.0.1:'), output: () => output });
        }
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`The server exited (code ${code}, signal ${signal}) before it started. Output:\n${output.slice(-4000)}`));
    });
  });
}

function parseLine(line: string): { msg?: string; url?: unknown } | null {
  try {
    return JSON.parse(line) as { msg?: string; url?: unknown };
  } catch {
    return null;
  }
}

async function stopServer(server: ChildServer | null, signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
  const child = server?.process;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

async function graphql(server: ChildServer, token: string, query: string, variables: object = {}): Promise<any> {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: any; errors?: unknown[] };
  if (body.errors) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data;
}

describe('bulk export killed mid-batch', () => {
  let sandbox: RunningSandbox;
  let dataDir: string;
  let postgres: TestDatabase | null = null;
  let hires: CreatedHire[];
  const servers: ChildServer[] = [];
  let serverEnv: NodeJS.ProcessEnv;

  beforeAll(async () => {
    sandbox = await startPersonioSandbox({ port: 0 });
    dataDir = await mkdtemp(path.join(tmpdir(), 'hris-kill-resume-'));

    // Seed the database the child will use: the demo organization plus the hires to export.
    let databaseUrl: string | undefined;
    if (process.env.DATABASE_URL) {
      postgres = await createTestDatabase();
      databaseUrl = postgres.url;
      const prisma = createPrismaClient(postgres.url);
      try {
        await seedDemo(prisma);
        hires = await createHiredCandidates(prisma, { count: HIRES, prefix: 'kill-resume' });
      } finally {
        await prisma.$disconnect();
      }
    } else {
      const database = await openDatabase({ databaseUrl: undefined, dataDir, logger: createLogger('silent'), maxConnections: EMBEDDED_POOL_SIZE });
      try {
        await seedDemo(database.prisma);
        hires = await createHiredCandidates(database.prisma, { count: HIRES, prefix: 'kill-resume' });
      } finally {
        await database.close();
      }
    }

    serverEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: '0',
      JWT_SECRET: TEST_JWT_SECRET,
      ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      DATA_DIR: dataDir,
      SEED_DEMO_DATA: 'false',
      PERSONIO_BASE_URL: sandbox.url,
      // A batch without a heartbeat for 4 s counts as interrupted; a claim of a killed attempt expires after 5 s.
      BATCH_STALE_AFTER_SECONDS: '4',
      EXPORT_LEASE_SECONDS: '5',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    };
  }, 120_000);

  afterAll(async () => {
    for (const server of servers) await stopServer(server, 'SIGKILL');
    await sandbox?.stop();
    await postgres?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const employeesOf = (email: string) =>
    sandbox.control.employees(ACME.companyId).filter((employee) => employee.email.toLowerCase() === email.toLowerCase());
  const hiresInSandbox = () => hires.filter((hire) => employeesOf(hire.email).length > 0).length;

  it('finishes after a restart with one employee per candidate', async () => {
    const recruiter = await signToken({ userId: demoUserId(DEMO_USERS.recruiter), organizationId: seedOrganizationId('demo') }, TEST_JWT_SECRET);
    const admin = await signToken({ userId: demoUserId(DEMO_USERS.admin), organizationId: seedOrganizationId('demo') }, TEST_JWT_SECRET);

    const first = await startServer(serverEnv);
    servers.push(first);
    const connected = await graphql(first, admin, 'mutation ($input: ConnectHrisInput!) { connectHris(input: $input) { __typename } }', {
      input: { personio: DEFAULT_PERSONIO_CREDENTIALS },
    });
    expect(connected.connectHris.__typename).toBe('ConnectHrisSuccess');

    sandbox.control.setLatency(SANDBOX_LATENCY_MS);
    const started = await graphql(
      first,
      recruiter,
      'mutation ($input: ExportCandidatesToHrisInput!) { exportCandidatesToHris(input: $input) { __typename ... on HrisExportBatch { id status } } }',
      { input: { candidateIds: hires.map((hire) => hire.globalId), waitSeconds: 0 } },
    );
    expect(started.exportCandidatesToHris).toMatchObject({ __typename: 'HrisExportBatch', status: 'RUNNING' });
    const batchId: string = started.exportCandidatesToHris.id;

    // Kill the server once a few employees exist, well before the batch can finish.
    const deadline = Date.now() + 60_000;
    while (hiresInSandbox() < 4) {
      if (Date.now() > deadline) throw new Error(`No progress within 60 s. Server output:\n${first.output().slice(-4000)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await stopServer(first, 'SIGKILL');
    const createdBeforeKill = hiresInSandbox();
    expect(createdBeforeKill).toBeLessThan(HIRES);

    // The restarted server resumes the batch by itself: at start, or once its heartbeat is stale.
    const second = await startServer(serverEnv);
    servers.push(second);
    let batch: any = null;
    const resumeDeadline = Date.now() + 90_000;
    for (;;) {
      batch = (await graphql(second, recruiter, `query ($id: ID!) { hrisExportBatch(id: $id) { ${BATCH_FIELDS} } }`, { id: batchId })).hrisExportBatch;
      if (batch?.status === 'COMPLETED') break;
      if (Date.now() > resumeDeadline) throw new Error(`The batch did not complete within 90 s after the restart: ${JSON.stringify(batch)?.slice(0, 1000)}\n${second.output().slice(-4000)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(second.output()).toContain('Bulk export resumed');

    expect(batch).toMatchObject({ total: HIRES, done: HIRES, succeeded: HIRES, failed: 0 });
    expect(batch.items.map((item: any) => item.status)).toEqual(Array(HIRES).fill('DONE'));
    for (const item of batch.items) expect(['PARTIALLY_EXPORTED', 'ALREADY_EXPORTED']).toContain(item.outcome);
    for (const hire of hires) expect(employeesOf(hire.email), hire.email).toHaveLength(1);
    const creates = sandbox.control.requests({ route: 'employees.create' });
    expect(creates.filter((request) => request.response.outcome === 'answered' && request.response.status === 200)).toHaveLength(HIRES);

    await stopServer(second, 'SIGTERM');
    expect(second.process.exitCode).toBe(0);
  }, 240_000);
});
