import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACME } from '../../plugins/personio/sandbox/index.ts';
import {
  connectOrFail,
  connectPersonio,
  createHiredCandidates,
  exportCandidate,
  exportCandidates,
  startEnvironment,
  type Environment,
} from '../exports/support.ts';
import { injectFault, PERSISTENT, type FaultKind } from '../fixtures/sandbox-faults.ts';

/**
 * Every failure switch of the Personio sandbox, on connect, single export and bulk export.
 * Each fault must end in a typed union member (never a GraphQL error), leave the service
 * responding, create at most one employee, and leave one HrisExportAttempt per export attempt.
 *
 * The service runs with PERSONIO_TIMEOUT_MS=500 and PERSONIO_MAX_RETRIES=1.
 */

/** Expected result of each fault at each place. */
interface FaultCase {
  kind: FaultKind;
  /** connectHris result on a fresh credential, all Personio routes failing. */
  connect: { typename: string; fields?: Record<string, unknown> };
  /** exportCandidateToHris result with the create failing; more than one when timing decides. */
  single: string[];
  /** Outcome label of every bulk item with every Personio route failing. */
  bulk: string;
}

const CASES: FaultCase[] = [
  {
    kind: 'timeout',
    connect: { typename: 'HrisUnavailable', fields: { timedOut: true } },
    // The create is stored after the client gave up; the look-up that follows may or may not see it.
    single: ['CandidatePartiallyExported', 'HrisUnavailable'],
    bulk: 'HRIS_UNAVAILABLE',
  },
  { kind: 'server error', connect: { typename: 'HrisUnavailable', fields: { timedOut: false } }, single: ['HrisUnavailable'], bulk: 'HRIS_UNAVAILABLE' },
  { kind: 'connection reset', connect: { typename: 'HrisUnavailable', fields: { timedOut: false } }, single: ['HrisUnavailable'], bulk: 'HRIS_UNAVAILABLE' },
  { kind: 'tokens invalidated', connect: { typename: 'ConnectHrisSuccess' }, single: ['CandidatePartiallyExported'], bulk: 'PARTIALLY_EXPORTED' },
  { kind: '429 with Retry-After', connect: { typename: 'RateLimited', fields: { retryAfterSeconds: 1 } }, single: ['RateLimited'], bulk: 'HRIS_RATE_LIMITED' },
  // Without Retry-After, a rate-limited auth endpoint is taken to be locked for Personio's documented 60 s.
  { kind: '429 without Retry-After', connect: { typename: 'RateLimited', fields: { retryAfterSeconds: 60 } }, single: ['RateLimited'], bulk: 'HRIS_RATE_LIMITED' },
  { kind: 'malformed JSON', connect: { typename: 'HrisUnavailable', fields: { timedOut: false } }, single: ['HrisUnavailable'], bulk: 'HRIS_UNAVAILABLE' },
  { kind: 'schema violation', connect: { typename: 'HrisUnavailable', fields: { timedOut: false } }, single: ['HrisUnavailable'], bulk: 'HRIS_UNAVAILABLE' },
];

const slug = (kind: FaultKind) => kind.toLowerCase().replace(/[^a-z0-9]+/g, '-');

describe('HRIS faults', () => {
  let env: Environment;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    env = await startEnvironment({ env: { PERSONIO_TIMEOUT_MS: '500', PERSONIO_MAX_RETRIES: '1' } });
    await connectOrFail(env.service, env.adminToken);
  });

  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await env?.stop();
  });

  afterEach(async () => {
    env.sandbox.control.clearFaults();
    // The service still responds, and no promise was rejected without a handler.
    const health = await env.service.app.fetch('http://test/health');
    expect(health.status).toBe(200);
    expect(unhandled).toEqual([]);
  });

  const employeesWithEmail = (email: string) =>
    env.sandbox.control.employees(ACME.companyId).filter((employee) => employee.email.toLowerCase() === email.toLowerCase());

  const lastSequence = () => env.sandbox.control.requests().at(-1)?.sequence ?? 0;

  /** Asserts that the case met its fault: a 401 after the revocation, or calls taken from the scheduled fault. */
  function expectFaultMet(kind: FaultKind, sinceSequence: number) {
    if (kind === 'tokens invalidated') {
      const answered = env.sandbox.control.requests().filter((request) => request.sequence > sinceSequence && request.response.outcome === 'answered');
      expect(answered.some((request) => request.response.outcome === 'answered' && request.response.status === 401)).toBe(true);
      return;
    }
    expect(env.sandbox.control.faults()[0]?.remaining).toBeLessThan(PERSISTENT);
  }

  describe('on connect', () => {
    for (const [index, testCase] of CASES.entries()) {
      it(`${testCase.kind}: ${testCase.connect.typename}`, async () => {
        // A credential without a cached token, so the auth request is made and meets the fault.
        const credentials = { clientId: `papi-fault-${index}`, clientSecret: `fault-secret-${index}-6d5c4b3a`, appId: 'acme-gmbh' };
        env.sandbox.control.addCredential({
          ...credentials,
          companyId: ACME.companyId,
          rights: { employees: { read: true, write: true }, documents: { read: true, write: true } },
        });
        const connectionsBefore = await env.service.prisma.hrisConnection.findMany({ orderBy: { id: 'asc' } });
        const since = lastSequence();
        injectFault(env.sandbox, testCase.kind, '*');

        const { status, body } = await connectPersonio(env.service, env.adminToken, credentials);
        expectFaultMet(testCase.kind, since);

        expect(status).toBe(200);
        expect(body.errors).toBeUndefined();
        expect(body.data.connectHris).toMatchObject({ __typename: testCase.connect.typename, ...testCase.connect.fields });
        const connectionsAfter = await env.service.prisma.hrisConnection.findMany({ orderBy: { id: 'asc' } });
        if (testCase.connect.typename === 'ConnectHrisSuccess') {
          expect(connectionsAfter.map((connection) => connection.accountLabel)).toContain(`${credentials.clientId} · acme-gmbh`);
          // Restore the default credential for the export cases.
          env.sandbox.control.clearFaults();
          await connectOrFail(env.service, env.adminToken);
        } else {
          // A failed connect stores nothing and leaves the working connection as it was.
          expect(connectionsAfter).toEqual(connectionsBefore);
        }
      });
    }
  });

  describe('on a single export', () => {
    for (const testCase of CASES) {
      it(`${testCase.kind}: ${testCase.single.join(' or ')}`, async () => {
        const [hire] = await createHiredCandidates(env.service.prisma, { count: 1, prefix: `fault-single-${slug(testCase.kind)}` });
        const since = lastSequence();
        injectFault(env.sandbox, testCase.kind, 'employees.create');

        const summary = await exportCandidate(env.service, env.recruiterToken, hire!.globalId);
        expectFaultMet(testCase.kind, since);

        expect(testCase.single).toContain(summary.__typename);
        expect(summary.message ?? summary.employeeId).toEqual(expect.any(String));
        expect(employeesWithEmail(hire!.email).length).toBeLessThanOrEqual(1);
        const attempts = await env.service.prisma.hrisExportAttempt.findMany({ where: { candidateId: hire!.id } });
        expect(attempts).toHaveLength(1);
        const ledger = await env.service.prisma.hrisExport.findFirstOrThrow({ where: { candidateId: hire!.id } });
        if (summary.__typename === 'CandidatePartiallyExported') {
          expect(ledger).toMatchObject({ status: 'PARTIALLY_EXPORTED', employeeId: summary.employeeId });
        } else {
          // The failed attempt released its claim, so the next export may try again.
          expect(ledger).toMatchObject({ status: 'FAILED', leaseExpiresAt: null });
        }
      }, 30_000);
    }
  });

  describe('on a bulk export', () => {
    for (const testCase of CASES) {
      it(`${testCase.kind}: every item ${testCase.bulk}`, async () => {
        const hires = await createHiredCandidates(env.service.prisma, { count: 3, prefix: `fault-bulk-${slug(testCase.kind)}` });
        const since = lastSequence();
        injectFault(env.sandbox, testCase.kind, '*');

        const batch = await exportCandidates(env.service, env.recruiterToken, { candidateIds: hires.map((hire) => hire.globalId) });

        expectFaultMet(testCase.kind, since);
        expect(batch.__typename).toBe('HrisExportBatch');
        expect(batch).toMatchObject({ status: 'COMPLETED', total: 3, done: 3 });
        expect(batch.totals).toEqual([{ outcome: testCase.bulk, count: 3 }]);
        for (const item of batch.items) expect(item.summary.__typename).toEqual(expect.any(String));
        const attempts = await env.service.prisma.hrisExportAttempt.findMany({ where: { candidateId: { in: hires.map((hire) => hire.id) } } });
        expect(attempts).toHaveLength(3);
        for (const attempt of attempts) expect(attempt).toMatchObject({ outcome: testCase.bulk, batchId: batch.id });
        for (const hire of hires) expect(employeesWithEmail(hire.email).length).toBeLessThanOrEqual(1);
      }, 60_000);
    }
  });
});
