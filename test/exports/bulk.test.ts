import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { installedPlugins } from '../../plugins/index.ts';
import { ACME, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from '../../plugins/personio/sandbox/index.ts';
import { loadConfig } from '../../src/config.ts';
import { createPrismaClient, EMBEDDED_POOL_SIZE } from '../../src/db/client.ts';
import { DEMO_SEED_FACTS, seedOrganizationId } from '../../src/db/seed-data.ts';
import { createLogger } from '../../src/logger.ts';
import { createService } from '../../src/server.ts';
import { jobGlobalId } from '../helpers/seed-facts.ts';
import { TEST_ENCRYPTION_KEY, TEST_JWT_SECRET } from '../helpers/service.ts';
import { createStatementCounter } from '../helpers/statements.ts';
import {
  connectOrFail,
  createHiredCandidates,
  demoUserId,
  DEMO_USERS,
  exportCandidate,
  exportCandidates,
  startEnvironment,
  waitForBatch,
  type Environment,
  employeesWithEmail,
} from './support.ts';

describe('bulk exports', () => {
  let env: Environment;

  beforeAll(async () => {
    env = await startEnvironment({ env: { PERSONIO_MAX_RETRIES: '1' } });
    await connectOrFail(env.service, env.adminToken);
  });

  afterAll(async () => {
    await env?.stop();
  });

  afterEach(() => {
    env.sandbox.control.clearFaults();
  });


  /** Emails in the create requests the sandbox received since `from`. */
  const createdEmails = (from: number) =>
    env.sandbox.control
      .requests({ route: 'employees.create' })
      .slice(from)
      .map((request) => ((request.body.kind === 'json' ? request.body.value : null) as { employee?: { email?: string } } | null)?.employee?.email);

  it('exports the others when the HRIS rejects one', async () => {
    const hires = await createHiredCandidates(env.service.prisma, { count: 5, prefix: 'one-rejected' });
    env.sandbox.control.fail('employees.create', {
      status: 422,
      body: { success: false, error: { code: 422, message: 'The given data was invalid.', error_data: { first_name: ['invalid'] } } },
    });
    const createsBefore = env.sandbox.control.requests({ route: 'employees.create' }).length;

    const batch = await exportCandidates(env.service, env.recruiterToken, { candidateIds: hires.map((hire) => hire.globalId) });

    expect(batch.__typename).toBe('HrisExportBatch');
    expect(batch).toMatchObject({ status: 'COMPLETED', total: 5, done: 5, succeeded: 4, failed: 1 });
    expect(batch.totals).toEqual([
      { outcome: 'HRIS_REJECTED', count: 1 },
      { outcome: 'PARTIALLY_EXPORTED', count: 4 },
    ]);
    const rejected = batch.items.filter((item: any) => item.outcome === 'HRIS_REJECTED');
    expect(rejected).toHaveLength(1);
    expect(rejected[0].summary).toMatchObject({ __typename: 'RejectedByHris', field: 'firstName' });
    const rejectedEmail = hires.find((hire) => hire.id === rejected[0].candidateId)!.email;
    expect(employeesWithEmail(env, rejectedEmail)).toEqual([]);
    for (const hire of hires.filter((candidate) => candidate.email !== rejectedEmail)) {
      expect(employeesWithEmail(env, hire.email)).toHaveLength(1);
    }

    // The second run creates only the candidate the HRIS rejected.
    const again = await exportCandidates(env.service, env.recruiterToken, { candidateIds: hires.map((hire) => hire.globalId) });
    expect(again.totals).toEqual([
      { outcome: 'ALREADY_EXPORTED', count: 4 },
      { outcome: 'PARTIALLY_EXPORTED', count: 1 },
    ]);
    expect(createdEmails(createsBefore + 5)).toEqual([rejectedEmail]);

    // A third run sends no create at all.
    const createsBeforeThird = env.sandbox.control.requests({ route: 'employees.create' }).length;
    const third = await exportCandidates(env.service, env.recruiterToken, { candidateIds: hires.map((hire) => hire.globalId) });
    expect(third.totals).toEqual([{ outcome: 'ALREADY_EXPORTED', count: 5 }]);
    expect(env.sandbox.control.requests({ route: 'employees.create' })).toHaveLength(createsBeforeThird);
    expect(env.sandbox.control.requests({ route: 'employees.update' })).toHaveLength(0);
  });

  it("exports every hire of a job", async () => {
    const batch = await exportCandidates(env.service, env.recruiterToken, { jobId: jobGlobalId('demo', 'people-partner') });

    expect(batch.status).toBe('COMPLETED');
    expect(batch.total).toBe(DEMO_SEED_FACTS.hiredPerJob['People Partner']);
    expect(batch.totals).toEqual([{ outcome: 'PARTIALLY_EXPORTED', count: 3 }]);
    for (const fact of DEMO_SEED_FACTS.hired.filter((hire) => hire.jobTitle === 'People Partner')) {
      expect(employeesWithEmail(env, fact.candidateEmail)).toHaveLength(1);
    }
  });

  it('returns a running batch when told not to wait', async () => {
    const hires = await createHiredCandidates(env.service.prisma, { count: 3, prefix: 'no-wait' });
    const batch = await exportCandidates(env.service, env.recruiterToken, { candidateIds: hires.map((hire) => hire.globalId), waitSeconds: 0 });

    expect(batch.status).toBe('RUNNING');
    const finished = await waitForBatch(env.service, env.recruiterToken, batch.id);
    expect(finished.totals).toEqual([{ outcome: 'PARTIALLY_EXPORTED', count: 3 }]);
    expect(finished.finishedAt).toEqual(expect.any(String));
  });

  it('re-run touches only candidates not yet exported', async () => {
    const hires = await createHiredCandidates(env.service.prisma, { count: 4, prefix: 're-run' });
    const [first, second] = hires;
    for (const hire of [first!, second!]) await exportCandidate(env.service, env.recruiterToken, hire.globalId);
    const ledgerBefore = await env.service.prisma.hrisExport.findMany({ where: { candidateId: { in: [first!.id, second!.id] } }, orderBy: { candidateId: 'asc' } });
    const lastSequence = env.sandbox.control.requests().at(-1)?.sequence ?? 0;
    const createsBefore = env.sandbox.control.requests({ route: 'employees.create' }).length;

    const batch = await exportCandidates(env.service, env.recruiterToken, { candidateIds: hires.map((hire) => hire.globalId) });

    expect(batch.totals).toEqual([
      { outcome: 'ALREADY_EXPORTED', count: 2 },
      { outcome: 'PARTIALLY_EXPORTED', count: 2 },
    ]);
    // No request names an exported candidate: no lookup, create, update or upload for them.
    const sent = env.sandbox.control.requests().filter((request) => request.sequence > lastSequence);
    for (const hire of [first!, second!]) {
      expect(sent.filter((request) => JSON.stringify([request.query, request.body]).includes(hire.email))).toEqual([]);
    }
    expect(createdEmails(createsBefore).sort()).toEqual([hires[2]!.email, hires[3]!.email].sort());
    expect(sent.filter((request) => request.route === 'employees.update')).toEqual([]);
    // Their ledger rows are left as they were.
    const ledgerAfter = await env.service.prisma.hrisExport.findMany({ where: { candidateId: { in: [first!.id, second!.id] } }, orderBy: { candidateId: 'asc' } });
    expect(ledgerAfter).toEqual(ledgerBefore);
    for (const hire of hires) expect(employeesWithEmail(env, hire.email)).toHaveLength(1);
  });

  it('rejects invalid bulk input', async () => {
    const result = await exportCandidates(env.service, env.recruiterToken, {
      candidateIds: ['not-an-id'],
      jobId: jobGlobalId('demo', 'backend'),
    });
    expect(result.__typename).toBe('InvalidInput');
    expect(result.problems.map((problem: any) => problem.field)).toEqual(['input', 'input.candidateIds[0]']);
  });
});

/** Status of the stored item at `position` in the interrupted batch: two done, one running, the rest queued. */
function itemStatusAt(position: number): 'DONE' | 'RUNNING' | 'QUEUED' {
  if (position < 2) return 'DONE';
  if (position === 2) return 'RUNNING';
  return 'QUEUED';
}

describe('resuming an interrupted bulk export', () => {
  let env: Environment;

  beforeAll(async () => {
    env = await startEnvironment();
    await connectOrFail(env.service, env.adminToken);
  });

  afterAll(async () => {
    await env?.stop();
  });

  /** Creates an employee in the sandbox the way a client of Personio's API does. */
  async function createSandboxEmployee(email: string, firstName: string, lastName: string): Promise<number> {
    const auth = await fetch(`${env.sandbox.url}/v1/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-personio-app-id': 'ACME_GMBH' },
      body: JSON.stringify({ client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET }),
    });
    const { data } = (await auth.json()) as { data: { token: string } };
    const created = await fetch(`${env.sandbox.url}/v1/company/employees`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${data.token}`, 'x-personio-app-id': 'ACME_GMBH' },
      body: JSON.stringify({ employee: { email, first_name: firstName, last_name: lastName } }),
    });
    // Personio returns 200, not 201, for a created employee.
    expect(created.status).toBe(200);
    return ((await created.json()) as { data: { id: number } }).data.id;
  }

  it('finishes on the next start without a duplicate', async () => {
    const prisma = env.service.prisma;
    const hires = await createHiredCandidates(prisma, { count: 6, prefix: 'interrupted' });
    const connection = await prisma.hrisConnection.findFirstOrThrow({ where: { status: 'CONNECTED' } });
    const organizationId = seedOrganizationId('demo');

    // Items 0 and 1 were exported before the process stopped.
    const done = [];
    for (const hire of hires.slice(0, 2)) done.push(await exportCandidate(env.service, env.recruiterToken, hire.globalId));
    // Item 2 was being exported: Personio created the employee, the ledger row stayed PENDING
    // and its lease ran out.
    const interrupted = hires[2]!;
    const existingId = await createSandboxEmployee(interrupted.email, 'Test', 'interrupted 3');
    await prisma.hrisExport.create({
      data: {
        organizationId,
        connectionId: connection.id,
        candidateId: interrupted.id,
        status: 'PENDING',
        exportedById: demoUserId(DEMO_USERS.recruiter),
        leaseExpiresAt: new Date(Date.now() - 60_000),
      },
    });
    const batch = await prisma.hrisExportBatch.create({
      data: {
        organizationId,
        connectionId: connection.id,
        requestedById: demoUserId(DEMO_USERS.recruiter),
        status: 'RUNNING',
        heartbeatAt: new Date(Date.now() - 10 * 60_000),
      },
    });
    await prisma.hrisExportBatchItem.createMany({
      data: hires.map((hire, position) => ({
        batchId: batch.id,
        position,
        candidateId: hire.id,
        status: itemStatusAt(position),
        ...(position < 2 ? { outcome: 'PARTIALLY_EXPORTED', summary: { kind: 'PARTIALLY_EXPORTED', candidateId: hire.id } } : {}),
      })),
    });
    const createsBefore = env.sandbox.control.requests({ route: 'employees.create' }).length;

    // A second process starts on the same database and resumes the batch.
    const dataDir = await mkdtemp(path.join(tmpdir(), 'hris-resume-'));
    const config = loadConfig(
      {
        NODE_ENV: 'test',
        JWT_SECRET: TEST_JWT_SECRET,
        ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
        DATA_DIR: dataDir,
        SEED_DEMO_DATA: 'false',
        PERSONIO_BASE_URL: env.sandbox.url,
      },
      installedPlugins.map((plugin) => ({ key: plugin.manifest.key, schema: plugin.settingsSchema })),
    );
    const embedded = !process.env.DATABASE_URL;
    const secondPrisma = createPrismaClient(env.service.url, embedded ? { maxConnections: EMBEDDED_POOL_SIZE } : {});
    const second = await createService({
      config,
      logger: createLogger('silent'),
      plugins: installedPlugins,
      database: { kind: embedded ? 'embedded' : 'postgresql', url: env.service.url, prisma: secondPrisma, close: () => secondPrisma.$disconnect() },
    });
    try {
      await second.services.batches.drain();
    } finally {
      await second.close();
      await secondPrisma.$disconnect();
      await rm(dataDir, { recursive: true, force: true });
    }

    const stored = await prisma.hrisExportBatch.findUniqueOrThrow({ where: { id: batch.id }, include: { items: { orderBy: { position: 'asc' } } } });
    expect(stored.status).toBe('COMPLETED');
    expect(stored.items.map((item) => [item.status, item.outcome])).toEqual([
      ['DONE', 'PARTIALLY_EXPORTED'],
      ['DONE', 'PARTIALLY_EXPORTED'],
      ['DONE', 'PARTIALLY_EXPORTED'],
      ['DONE', 'PARTIALLY_EXPORTED'],
      ['DONE', 'PARTIALLY_EXPORTED'],
      ['DONE', 'PARTIALLY_EXPORTED'],
    ]);
    // Items finished before the stop keep their stored result.
    expect(stored.items[0]!.summary).toEqual({ kind: 'PARTIALLY_EXPORTED', candidateId: hires[0]!.id });

    for (const hire of hires) expect(employeesWithEmail(env, hire.email), hire.email).toHaveLength(1);
    expect(createdEmails(createsBefore).sort()).toEqual(hires.slice(3).map((hire) => hire.email).sort());

    const resumed = (stored.items[2]!.summary ?? {}) as { employeeId?: string; fields?: { status: string }[] };
    expect(resumed.employeeId).toBe(String(existingId));
    expect(new Set(resumed.fields?.map((field) => field.status))).toContain('UNVERIFIED');
    const ledger = await prisma.hrisExport.findFirstOrThrow({ where: { candidateId: interrupted.id } });
    expect(ledger).toMatchObject({ status: 'PARTIALLY_EXPORTED', employeeId: String(existingId) });
    expect(done.map((summary) => summary.__typename)).toEqual(['CandidatePartiallyExported', 'CandidatePartiallyExported']);
  }, 60_000);


  const createdEmails = (from: number) =>
    env.sandbox.control
      .requests({ route: 'employees.create' })
      .slice(from)
      .map((request) => ((request.body.kind === 'json' ? request.body.value : null) as { employee?: { email?: string } } | null)?.employee?.email);
});

describe('statements of a bulk export', () => {
  const counter = createStatementCounter();
  let env: Environment;

  beforeAll(async () => {
    env = await startEnvironment({ service: { onStatement: counter.onStatement } });
    await connectOrFail(env.service, env.adminToken);
  });

  afterAll(async () => {
    await env?.stop();
  });

  /** Counts statements by verb and table, for example "INSERT HrisExportAttempt" or "SELECT". */
  function classify(statements: readonly string[]) {
    const counts: Record<string, number> = {};
    for (const sql of statements) {
      const verb = sql.trim().split(/\s+/)[0]!.toUpperCase();
      const table = /(?:INTO|UPDATE)\s+"public"\."(\w+)"/.exec(sql)?.[1];
      const key = verb === 'INSERT' || verb === 'UPDATE' ? `${verb} ${table}` : verb;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  }

  async function measure(count: number, prefix: string) {
    const hires = await createHiredCandidates(env.service.prisma, { count, prefix });
    const lastSequence = env.sandbox.control.requests().at(-1)?.sequence ?? 0;
    counter.start();
    const batch = await exportCandidates(env.service, env.recruiterToken, { candidateIds: hires.map((hire) => hire.globalId), waitSeconds: 120 });
    counter.stop();
    expect(batch.totals).toEqual([{ outcome: 'PARTIALLY_EXPORTED', count }]);
    // The job's hiring manager is looked up in the HRIS once per batch, not once per candidate.
    const managerLookups = env.sandbox.control
      .requests({ route: 'employees.list' })
      .filter((request) => request.sequence > lastSequence && request.query['email'] === DEMO_USERS.hannah);
    expect(managerLookups).toHaveLength(1);
    return classify(counter.statements());
  }

  it('reads a constant number of rows per batch', async () => {
    // Candidates without documents: each document costs one more SELECT of its bytes.
    const five = await measure(5, 'five');
    const fifty = await measure(50, 'fifty');
    console.info(`Statements of a bulk export: 5 candidates ${JSON.stringify(five)}; 50 candidates ${JSON.stringify(fifty)}`);

    expect(fifty['SELECT']).toBe(five['SELECT']);

    // Writes per candidate: claim the ledger row, store its result, record the attempt, finish the item.
    const perCandidate = ['INSERT HrisExport', 'UPDATE HrisExport', 'INSERT HrisExportAttempt', 'UPDATE HrisExportBatchItem'];
    for (const key of perCandidate) {
      expect(five[key], key).toBe(5);
      expect(fifty[key], key).toBe(50);
    }
    // Each candidate's claim and result are short transactions of their own.
    expect((fifty['BEGIN'] ?? 0) - (five['BEGIN'] ?? 0)).toBe(2 * 45);
  }, 120_000);
});
