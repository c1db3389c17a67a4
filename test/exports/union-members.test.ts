import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from '../../plugins/personio/sandbox/index.ts';
import { seedOrganizationId } from '../../src/db/seed-data.ts';
import { installedPlugins } from '../../plugins/index.ts';
import type { HrisPluginDefinition } from '../../src/hris/index.ts';
import { createFakePlugin, createFakeState } from '../fixtures/fake-hris.ts';
import { candidateGlobalId, globalId } from '../helpers/seed-facts.ts';
import type { TestService } from '../helpers/service.ts';
import {
  connectOrFail,
  createHiredCandidates,
  DEMO_USERS,
  EXPORT_SUMMARY_FIELDS,
  startEnvironment,
  type Environment,
} from './support.ts';

/**
 * One case per member of the ExportSummary union, each produced through GraphQL over HTTP.
 * The service has two plugins: Personio, talking to the sandbox, and the fake provider. The fake
 * provider produces the two members that Personio cannot: a complete export (Personio's v1 API
 * has no writable employment type) and a conflict without the existing employee's id.
 */

const EXPORT = `mutation ($input: ExportCandidateToHrisInput!) {
  exportCandidateToHris(input: $input) { ${EXPORT_SUMMARY_FIELDS} }
}`;

const MISSING_RIGHT_BODY = { success: false, error: { code: 0, message: 'personio.core.api.exceptions.api.forbidden.http.exception' } };

let personio: Environment;
const fakeState = createFakeState();
/** Started in beforeAll because the export waits 20 s for the other attempt's lease. */
let inProgress: Promise<any>;

async function exportVia(service: TestService, token: string, candidateId: string, provider = 'personio'): Promise<any> {
  const { body } = await service.graphql(EXPORT, { input: { candidateId, provider } }, token);
  expect(body.errors).toBeUndefined();
  return body.data.exportCandidateToHris;
}

/** Creates a hire with every field the ATS holds, in a job whose department and office exist in the fake HRIS. */
async function createCompleteHire(service: TestService, prefix: string) {
  const [hire] = await createHiredCandidates(service.prisma, { count: 1, prefix });
  await service.prisma.candidate.update({
    where: { id: hire!.id },
    data: {
      preferredName: 'Tess',
      phone: '+49 30 1234567',
      dateOfBirth: new Date(Date.UTC(1990, 4, 17)),
      street: 'Torstraße 1',
      postalCode: '10119',
      city: 'Berlin',
      country: 'DE',
      nationality: 'DE',
    },
  });
  return hire!;
}

/** Creates an employee in the sandbox through Personio's API, as someone entering it by hand would. */
async function createSandboxEmployee(email: string): Promise<number> {
  const headers = { 'content-type': 'application/json', 'x-personio-app-id': 'ACME_GMBH' };
  const auth = await fetch(`${personio.sandbox.url}/v1/auth`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET }),
  });
  const { data } = (await auth.json()) as { data: { token: string } };
  const created = await fetch(`${personio.sandbox.url}/v1/company/employees`, {
    method: 'POST',
    headers: { ...headers, authorization: `Bearer ${data.token}` },
    body: JSON.stringify({ employee: { email, first_name: 'Existing', last_name: 'Employee' } }),
  });
  expect(created.status).toBe(200);
  return ((await created.json()) as { data: { id: number } }).data.id;
}

async function connectFake() {
  const connected = await personio.service.graphql(
    'mutation { connectHris(input: { fakeHr: { apiKey: "secret-key-1", workspace: "northwind" } }) { __typename } }',
    {},
    personio.adminToken,
  );
  expect(connected.body.data.connectHris.__typename).toBe('ConnectHrisSuccess');
}

beforeAll(async () => {
  // The fake HRIS contains the hiring manager of the backend job, so the supervisor resolves.
  fakeState.employees.push({ id: 'manager-1', firstName: 'Hannah', lastName: 'Schmidt', email: DEMO_USERS.hannah });
  const plugins = [...installedPlugins, createFakePlugin(fakeState) as unknown as HrisPluginDefinition<never, never>];
  personio = await startEnvironment({ env: { PERSONIO_MAX_RETRIES: '1', PERSONIO_TIMEOUT_MS: '1000' }, service: { plugins } });
  await connectOrFail(personio.service, personio.adminToken);
  await connectFake();

  // Another attempt has claimed the ledger row of this hire for five more minutes.
  const [held] = await createHiredCandidates(personio.service.prisma, { count: 1, prefix: 'member-in-progress' });
  const connection = await personio.service.prisma.hrisConnection.findFirstOrThrow({ where: { status: 'CONNECTED', provider: 'personio' } });
  await personio.service.prisma.hrisExport.create({
    data: {
      organizationId: seedOrganizationId('demo'),
      connectionId: connection.id,
      candidateId: held!.id,
      status: 'PENDING',
      leaseExpiresAt: new Date(Date.now() + 5 * 60_000),
    },
  });
  inProgress = exportVia(personio.service, personio.recruiterToken, held!.globalId);
});

afterAll(async () => {
  await inProgress?.catch(() => undefined);
  await personio?.stop();
});

interface MemberCase {
  /** Runs the export and returns the summary; faults are cleared after each case. */
  run(): Promise<any>;
  check(summary: any): void;
}

const CASES: Record<string, MemberCase> = {
  CandidateExported: {
    async run() {
      const hire = await createCompleteHire(personio.service, 'member-complete');
      return exportVia(personio.service, personio.adminToken, hire.globalId, 'fake-hr');
    },
    check(summary) {
      // Only the subcompany, which the ATS has no column for, is reported as not sent.
      expect(summary.notSent.map((field: any) => [field.field, field.status])).toEqual([['subcompany', 'MISSING_IN_ATS']]);
      expect(summary.fields.find((field: any) => field.field === 'supervisor')).toMatchObject({ status: 'SENT', value: DEMO_USERS.hannah });
    },
  },
  CandidatePartiallyExported: {
    async run() {
      const [hire] = await createHiredCandidates(personio.service.prisma, { count: 1, prefix: 'member-partial' });
      return exportVia(personio.service, personio.recruiterToken, hire!.globalId);
    },
    check(summary) {
      expect(summary.notSent.map((field: any) => field.field)).toContain('employmentType');
    },
  },
  CandidateLinkedToExistingEmployee: {
    async run() {
      const [hire] = await createHiredCandidates(personio.service.prisma, { count: 1, prefix: 'member-linked' });
      const employeeId = await createSandboxEmployee(hire!.email.toUpperCase());
      const summary = await exportVia(personio.service, personio.recruiterToken, hire!.globalId);
      expect(summary.employeeId).toBe(String(employeeId));
      return summary;
    },
    check(summary) {
      expect(summary.matchedEmail).toBe('MEMBER-LINKED-1@HIRES.EXAMPLE');
    },
  },
  CandidateAlreadyExported: {
    async run() {
      const [hire] = await createHiredCandidates(personio.service.prisma, { count: 1, prefix: 'member-repeat' });
      await exportVia(personio.service, personio.recruiterToken, hire!.globalId);
      return exportVia(personio.service, personio.recruiterToken, hire!.globalId);
    },
    check(summary) {
      expect(summary).toMatchObject({ exportedBy: { email: DEMO_USERS.recruiter }, changes: [] });
    },
  },
  CandidateNotFound: {
    run: () => exportVia(personio.service, personio.recruiterToken, globalId('Candidate', '00000000-0000-4000-8000-0000000000ff')),
    check(summary) {
      expect(summary.message).toBe('No candidate with id 00000000-0000-4000-8000-0000000000ff is visible to you.');
    },
  },
  CandidateNotHired: {
    run: () => exportVia(personio.service, personio.recruiterToken, candidateGlobalId('demo', 'an.nguyen@example.com')),
    check(summary) {
      expect(summary.currentStages.length).toBeGreaterThan(0);
    },
  },
  ExportNotAllowed: {
    async run() {
      // Max Weber was hired into Kenji's job; Hannah manages only another job he applied to.
      return exportVia(personio.service, await personio.service.tokenFor(DEMO_USERS.hannah), candidateGlobalId('demo', 'max.weber@example.com'));
    },
    check(summary) {
      expect(summary.message).toBe('Hiring managers can export only candidates hired into jobs they manage.');
    },
  },
  HrisNotConnected: {
    async run() {
      // The fake provider is installed but disconnected for this case, then connected again.
      const connection = await personio.service.prisma.hrisConnection.findFirstOrThrow({ where: { provider: 'fake-hr', status: 'CONNECTED' } });
      await personio.service.graphql('mutation ($id: ID!) { disconnectHris(id: $id) { disconnected } }', { id: globalId('HrisConnection', connection.id) }, personio.adminToken);
      try {
        const [hire] = await createHiredCandidates(personio.service.prisma, { count: 1, prefix: 'member-not-connected' });
        return await exportVia(personio.service, personio.recruiterToken, hire!.globalId, 'fake-hr');
      } finally {
        await connectFake();
      }
    },
    check(summary) {
      expect(summary.message).toContain('No fake-hr connection exists');
    },
  },
  CandidateDataInvalid: {
    async run() {
      const [hire] = await createHiredCandidates(personio.service.prisma, { count: 1, prefix: 'member-invalid', email: () => 'no-at-sign.example.com' });
      return exportVia(personio.service, personio.recruiterToken, hire!.globalId);
    },
    check(summary) {
      expect(summary.problems.map((problem: any) => problem.field)).toEqual(['email']);
    },
  },
  ExportInProgress: {
    run: () => inProgress,
    check(summary) {
      expect(summary.message).toBe('Another export of this candidate is still running; try again in a minute.');
    },
  },
  MissingPermission: {
    async run() {
      personio.sandbox.control.fail('employees.create', { status: 403, body: MISSING_RIGHT_BODY });
      const [hire] = await createHiredCandidates(personio.service.prisma, { count: 1, prefix: 'member-forbidden' });
      return exportVia(personio.service, personio.recruiterToken, hire!.globalId);
    },
    check(summary) {
      expect(summary.permission).toBe('employees:write');
    },
  },
  RejectedByHris: {
    async run() {
      personio.sandbox.control.fail('employees.create', {
        status: 422,
        body: { success: false, error: { code: 422, message: 'The given data was invalid.', error_data: { last_name: ['too long'] } } },
      });
      const [hire] = await createHiredCandidates(personio.service.prisma, { count: 1, prefix: 'member-rejected' });
      return exportVia(personio.service, personio.recruiterToken, hire!.globalId);
    },
    check(summary) {
      expect(summary.field).toBe('lastName');
    },
  },
  RateLimited: {
    async run() {
      personio.sandbox.control.fail('employees.create', { status: 429, times: 2, headers: { 'retry-after': '1' } });
      const [hire] = await createHiredCandidates(personio.service.prisma, { count: 1, prefix: 'member-rate-limited' });
      return exportVia(personio.service, personio.recruiterToken, hire!.globalId);
    },
    check(summary) {
      expect(summary.retryAfterSeconds).toBe(1);
    },
  },
  HrisUnavailable: {
    async run() {
      personio.sandbox.control.fail('*', { status: 503, times: 50 });
      const [hire] = await createHiredCandidates(personio.service.prisma, { count: 1, prefix: 'member-unavailable' });
      return exportVia(personio.service, personio.recruiterToken, hire!.globalId);
    },
    check(summary) {
      expect(summary).toMatchObject({ timedOut: false, message: expect.stringContaining('Personio had a server error') });
    },
  },
  InvalidCredentials: {
    async run() {
      // The token is revoked and Personio no longer accepts the stored secret.
      personio.sandbox.control.invalidateTokens();
      personio.sandbox.control.fail('auth', { status: 401, times: 5 });
      const [hire] = await createHiredCandidates(personio.service.prisma, { count: 1, prefix: 'member-credentials' });
      return exportVia(personio.service, personio.recruiterToken, hire!.globalId);
    },
    check(summary) {
      expect(summary.message).toContain('Personio rejected the client ID or client secret');
    },
  },
  HrisConflict: {
    async run() {
      fakeState.failures.create = [{ kind: 'CONFLICT', existingEmployeeId: null, message: 'The fake HRIS has an employee with this email in another workspace.' }];
      const [hire] = await createHiredCandidates(personio.service.prisma, { count: 1, prefix: 'member-conflict' });
      return exportVia(personio.service, personio.adminToken, hire!.globalId, 'fake-hr');
    },
    check(summary) {
      expect(summary).toMatchObject({ existingEmployeeId: null, message: 'The fake HRIS has an employee with this email in another workspace.' });
    },
  },
};

describe('ExportSummary union members', () => {
  it('has a case for every member', async () => {
    const { body } = await personio.service.graphql('{ __type(name: "ExportSummary") { possibleTypes { name } } }', {}, personio.adminToken);
    const members = body.data.__type.possibleTypes.map((type: { name: string }) => type.name).sort();
    expect(Object.keys(CASES).sort()).toEqual(members);
  });

  for (const [typename, testCase] of Object.entries(CASES)) {
    it(`returns ${typename}`, async () => {
      try {
        const summary = await testCase.run();
        expect(summary.__typename).toBe(typename);
        testCase.check(summary);
      } finally {
        personio.sandbox.control.clearFaults();
      }
    }, 40_000);
  }

  it('stores an attempt for every member that reached the ledger', async () => {
    const attempts = await personio.service.prisma.hrisExportAttempt.findMany({ select: { outcome: true } });
    const outcomes = new Set(attempts.map((attempt) => attempt.outcome));
    for (const outcome of ['PARTIALLY_EXPORTED', 'LINKED_EXISTING_EMPLOYEE', 'ALREADY_EXPORTED', 'CANDIDATE_NOT_HIRED', 'EXPORT_NOT_ALLOWED', 'HRIS_NOT_CONNECTED', 'CANDIDATE_DATA_INVALID', 'EXPORT_IN_PROGRESS', 'HRIS_MISSING_PERMISSION', 'HRIS_REJECTED', 'HRIS_RATE_LIMITED', 'HRIS_UNAVAILABLE', 'HRIS_INVALID_CREDENTIALS']) {
      expect(outcomes, outcome).toContain(outcome);
    }
    expect(outcomes).toContain('EXPORTED');
    expect(outcomes).toContain('HRIS_CONFLICT');
    expect(personio.sandbox.control.employees(ACME.companyId).length).toBeGreaterThan(0);
  });
});
