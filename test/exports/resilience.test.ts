import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACME, type RequestFilter } from '../../plugins/personio/sandbox/index.ts';
import { candidateGlobalId } from '../helpers/seed-facts.ts';
import {
  connectOrFail,
  createHiredCandidates,
  exportCandidate,
  exportCandidates,
  startEnvironment,
  type Environment,
  employeesWithEmail,
} from './support.ts';

/** Returns the sandbox's response statuses for requests of one route. */
function statusesOf(env: Environment, filter: RequestFilter) {
  return env.sandbox.control.requests(filter).map((request) => (request.response.outcome === 'answered' ? request.response.status : request.response.outcome));
}

describe('exports under faults and concurrency', () => {
  let env: Environment;

  beforeAll(async () => {
    env = await startEnvironment({ env: { PERSONIO_TIMEOUT_MS: '1000' } });
    await connectOrFail(env.service, env.adminToken);
  });

  afterAll(async () => {
    await env?.stop();
  });

  afterEach(() => {
    env.sandbox.control.clearFaults();
  });


  it('creates one employee for two concurrent exports', async () => {
    const candidateId = candidateGlobalId('demo', 'zoe.mueller@example.com');
    const results = await Promise.all([
      exportCandidate(env.service, env.recruiterToken, candidateId),
      exportCandidate(env.service, env.adminToken, candidateId),
    ]);

    expect(results.map((result) => result.__typename).sort()).toEqual(['CandidateAlreadyExported', 'CandidatePartiallyExported']);
    expect(new Set(results.map((result) => result.employeeId)).size).toBe(1);
    expect(employeesWithEmail(env, 'zoe.mueller@example.com')).toHaveLength(1);
    expect(env.sandbox.control.documents().filter((doc) => doc.employeeId === Number(results[0].employeeId))).toHaveLength(2);
  });

  it('creates one employee for a five-fold double click', async () => {
    const candidateId = candidateGlobalId('demo', 'jose.alvarez@example.org');
    const results = await Promise.all(Array.from({ length: 5 }, () => exportCandidate(env.service, env.recruiterToken, candidateId)));

    const kinds = results.map((result) => result.__typename);
    expect(kinds.filter((kind) => kind === 'CandidatePartiallyExported')).toHaveLength(1);
    expect(kinds.filter((kind) => kind === 'CandidateAlreadyExported')).toHaveLength(4);
    expect(employeesWithEmail(env, 'jose.alvarez@example.org')).toHaveLength(1);
    const creates = env.sandbox.control.requests({ route: 'employees.create' });
    expect(creates.filter((request) => JSON.stringify(request.body).includes('jose.alvarez@example.org'))).toHaveLength(1);
  });

  it('keeps a create whose response timed out', async () => {
    // The sandbox stores the employee at once and responds after 1.5 s, beyond PERSONIO_TIMEOUT_MS.
    env.sandbox.control.respondLate('employees.create', { delayMs: 1_500 });
    const summary = await exportCandidate(env.service, env.recruiterToken, candidateGlobalId('demo', 'soren.kjaer@example.net'));

    expect(summary.__typename).toBe('CandidatePartiallyExported');
    const employees = employeesWithEmail(env, 'soren.kjaer@example.net');
    expect(employees).toHaveLength(1);
    expect(summary.employeeId).toBe(String(employees[0]!.id));
    expect(env.sandbox.control.requests({ route: 'employees.create' }).filter((request) => JSON.stringify(request.body).includes('soren.kjaer'))).toHaveLength(1);
    const ledger = await env.service.prisma.hrisExport.findMany({ where: { employeeId: summary.employeeId } });
    expect(ledger.map((row) => row.status)).toEqual(['PARTIALLY_EXPORTED']);
  });

  it('keeps a create whose connection dropped', async () => {
    env.sandbox.control.resetConnection('employees.create', { afterHandler: true });
    const summary = await exportCandidate(env.service, env.recruiterToken, candidateGlobalId('demo', 'olga.petrova@example.com'));

    expect(summary.__typename).toBe('CandidatePartiallyExported');
    expect(employeesWithEmail(env, 'olga.petrova@example.com')).toHaveLength(1);
  });

  it('recovers from tokens revoked mid-batch', async () => {
    const hires = await createHiredCandidates(env.service.prisma, { count: 6, prefix: 'revoked-tokens' });
    const authBefore = env.sandbox.control.requests({ route: 'auth' }).length;
    env.sandbox.control.invalidateTokensAfter(5);

    const batch = await exportCandidates(env.service, env.recruiterToken, { candidateIds: hires.map((hire) => hire.globalId) });

    expect(batch.status).toBe('COMPLETED');
    expect(batch.totals).toEqual([{ outcome: 'PARTIALLY_EXPORTED', count: 6 }]);
    expect(env.sandbox.control.requests({ route: 'auth' }).length).toBeGreaterThan(authBefore);
    const rejected = env.sandbox.control.requests().filter((request) => request.response.outcome === 'answered' && request.response.status === 401);
    expect(rejected.length).toBeGreaterThan(0);
    for (const hire of hires) expect(employeesWithEmail(env, hire.email)).toHaveLength(1);
  });

  for (const retryAfter of [true, false]) {
    it(`completes through a 429 storm ${retryAfter ? 'with' : 'without'} Retry-After`, async () => {
      const hires = await createHiredCandidates(env.service.prisma, { count: 4, prefix: `storm-${retryAfter}` });
      const headers: Record<string, string> = retryAfter ? { 'retry-after': '1' } : {};
      env.sandbox.control.fail('employees.list', { status: 429, times: 3, headers });
      env.sandbox.control.fail('employees.create', { status: 429, times: 2, headers });
      env.sandbox.control.fail('employees.get', { status: 429, times: 2, headers });

      const batch = await exportCandidates(env.service, env.recruiterToken, { candidateIds: hires.map((hire) => hire.globalId) });

      expect(batch.totals).toEqual([{ outcome: 'PARTIALLY_EXPORTED', count: 4 }]);
      expect(env.sandbox.control.faults()).toEqual([]);
      for (const hire of hires) expect(employeesWithEmail(env, hire.email)).toHaveLength(1);
      expect(statusesOf(env, { route: 'employees.create' }).filter((status) => status === 429).length).toBeGreaterThanOrEqual(2);
    }, 60_000);
  }

  it('reports a credential that lost its write right', async () => {
    const credentials = { clientId: 'papi-loses-write', clientSecret: 'loses-write-secret-77', appId: 'acme-gmbh' };
    const rights = { employees: { read: true, write: true }, documents: { read: true, write: true } };
    env.sandbox.control.addCredential({ ...credentials, companyId: ACME.companyId, rights });
    await connectOrFail(env.service, env.adminToken, credentials);
    try {
      // The admin unticks Employees: Write in Personio after connecting.
      env.sandbox.control.reset();
      env.sandbox.control.addCredential({ ...credentials, companyId: ACME.companyId, rights: { ...rights, employees: { read: true, write: false } } });

      const summary = await exportCandidate(env.service, env.recruiterToken, candidateGlobalId('demo', 'chloe.dubois@example.org'));

      expect(summary).toMatchObject({ __typename: 'MissingPermission', permission: 'employees:write' });
      expect(summary.message).toContain('lacks Employees: Write');
      expect(employeesWithEmail(env, 'chloe.dubois@example.org')).toEqual([]);
    } finally {
      env.sandbox.control.reset();
      await connectOrFail(env.service, env.adminToken);
    }
  });
});
