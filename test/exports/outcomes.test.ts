import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACME, DEFAULT_COMPANIES_CONFIG, type CompaniesConfigInput } from '../../plugins/personio/sandbox/index.ts';
import { seedCandidateId, seedOrganizationId } from '../../src/db/seed-data.ts';
import { candidateGlobalId, globalId } from '../helpers/seed-facts.ts';
import {
  connectOrFail,
  createHiredCandidates,
  DEMO_USERS,
  exportCandidate,
  startEnvironment,
  type Environment,
  employeesWithEmail,
} from './support.ts';

/** Id of the Acme employee whose email is Hannah Schmidt's, so her jobs' hires get a supervisor. */
const HANNAH_EMPLOYEE_ID = 3001;
/** Id of an Acme employee that already has Zoë Müller's email, in upper case. */
const EXISTING_ZOE_ID = 3002;

/**
 * Acme GmbH plus: custom attributes that hold phone, nationality and address; Hannah Schmidt
 * as an employee; and an employee with ZOE.MUELLER@EXAMPLE.COM.
 */
function companiesConfig(): CompaniesConfigInput {
  const config = structuredClone(DEFAULT_COMPANIES_CONFIG);
  const company = config.companies[0]!;
  company.customAttributes = [
    ...(company.customAttributes ?? []),
    { key: 'dynamic_5001', label: 'Phone', type: 'standard', universalId: null },
    { key: 'dynamic_5002', label: 'Nationality', type: 'standard', universalId: null },
    { key: 'dynamic_5003', label: 'Home address', type: 'multiline', universalId: null },
  ];
  company.employees = [
    ...(company.employees ?? []),
    { id: HANNAH_EMPLOYEE_ID, email: 'hannah.schmidt@northwind.example', firstName: 'Hannah', lastName: 'Schmidt', department: 'Engineering', office: 'Berlin' },
    { id: EXISTING_ZOE_ID, email: 'ZOE.MUELLER@EXAMPLE.COM', firstName: 'Zoë', lastName: 'Müller', department: 'Engineering', office: 'Berlin' },
  ];
  return config;
}

/** The response Personio sends when a credential lacks an area right: 403 with error code 0. */
const MISSING_RIGHT_BODY = { success: false, error: { code: 0, message: 'personio.core.api.exceptions.api.forbidden.http.exception' } };

describe('export outcomes', () => {
  let env: Environment;

  beforeAll(async () => {
    env = await startEnvironment({
      sandbox: { config: companiesConfig() },
      env: { PERSONIO_MAX_RETRIES: '1', PERSONIO_TIMEOUT_MS: '1000' },
    });
    await connectOrFail(env.service, env.adminToken);
  });

  afterAll(async () => {
    await env?.stop();
  });

  afterEach(() => {
    env.sandbox.control.clearFaults();
  });


  it('sends every field that maps', async () => {
    const summary = await exportCandidate(env.service, env.recruiterToken, candidateGlobalId('demo', 'li.na+jobs@example.com'));

    // Two fields can never be sent: the ATS has no subcompany, and Personio's v1 API has no
    // writable employment type. So a Personio export is at best partial; CandidateExported
    // needs a provider and an ATS that carry both.
    expect(summary.__typename).toBe('CandidatePartiallyExported');
    expect(summary.notSent.map((field: any) => [field.field, field.status])).toEqual([
      ['subcompany', 'MISSING_IN_ATS'],
      ['employmentType', 'NOT_SUPPORTED'],
    ]);
    const sent = summary.fields.filter((field: any) => field.status === 'SENT').map((field: any) => field.field);
    expect(sent).toEqual([
      'firstName', 'lastName', 'email', 'preferredName', 'phone', 'gender', 'dateOfBirth', 'address', 'nationality',
      'position', 'department', 'office', 'weeklyHours', 'startDate', 'supervisor',
    ]);
    expect(summary.documents).toEqual([{ fileName: 'Li_Na_CV.pdf', kind: 'CV', status: 'UPLOADED', category: 'CV', reason: null }]);

    const [employee] = employeesWithEmail(env, 'li.na+jobs@example.com');
    expect(employee).toMatchObject({
      firstName: '娜',
      lastName: '李',
      preferredName: 'Nina',
      supervisorId: HANNAH_EMPLOYEE_ID,
      hireDate: '2027-02-01',
      customAttributes: { dynamic_5001: '+8613800138000', dynamic_5002: 'CN', dynamic_5003: 'Kastanienallee 7, 10435 Berlin, DE' },
    });
    expect(summary.employeeId).toBe(String(employee!.id));
    expect(summary.employeeUrl).toBe(`https://acme-gmbh.personio.de/staff/details/${employee!.id}`);
  });

  it('explains each field not sent', async () => {
    const summary = await exportCandidate(env.service, env.recruiterToken, candidateGlobalId('demo', 'darcy.ndiaye@example.com'));

    expect(summary.__typename).toBe('CandidatePartiallyExported');
    const byField = Object.fromEntries(summary.notSent.map((field: any) => [field.field, field]));
    expect(Object.keys(byField).sort()).toEqual(['department', 'employmentType', 'gender', 'preferredName', 'startDate', 'subcompany']);
    expect(byField.department).toMatchObject({
      status: 'NO_MATCHING_VALUE',
      reason: 'Department "Product Design" does not exist in the HRIS.',
      suggestion: null,
    });
    expect(byField.startDate).toMatchObject({ status: 'MISSING_IN_ATS', reason: 'The hired application has no start date.' });
    // Gender maps only to a value the HRIS accepts; "prefer not to say" is left out and
    // reported, never guessed. notSent carries no value, so the value is read from fields.
    expect(byField.gender).toMatchObject({ status: 'INVALID', reason: expect.stringContaining('Gender "prefer not to say" is not a recognised value') });
    expect(summary.fields.find((field: any) => field.field === 'gender')).toMatchObject({ status: 'INVALID', value: 'prefer not to say' });
    expect(employeesWithEmail(env, 'darcy.ndiaye@example.com')[0]?.gender).toBeNull();
    for (const field of summary.notSent) expect(field.reason).toEqual(expect.any(String));
    // Both files arrive, the portfolio in the first category because it is no CV.
    expect(summary.documents.map((doc: any) => [doc.fileName, doc.status])).toEqual([
      ['DArcy_NDiaye_CV.pdf', 'UPLOADED'],
      ['DArcy_NDiaye_Portfolio.docx', 'UPLOADED'],
    ]);
    expect(env.sandbox.control.documents().filter((doc) => doc.employeeId === Number(summary.employeeId))).toHaveLength(2);
  });

  const genderCases: { text: string | null; status: string; sent: string | null }[] = [
    { text: 'Frau', status: 'SENT', sent: 'female' },
    { text: ' MALE ', status: 'SENT', sent: 'male' },
    { text: 'non-binary', status: 'SENT', sent: 'diverse' },
    { text: 'prefer not to say', status: 'INVALID', sent: null },
    { text: 'Agender', status: 'INVALID', sent: null },
    { text: '', status: 'MISSING_IN_ATS', sent: null },
    { text: null, status: 'MISSING_IN_ATS', sent: null },
  ];

  for (const [index, testCase] of genderCases.entries()) {
    it(`maps gender ${JSON.stringify(testCase.text)} to ${testCase.sent ?? testCase.status}`, async () => {
      const [hire] = await createHiredCandidates(env.service.prisma, { count: 1, prefix: `gender-${index}`, gender: testCase.text });
      const summary = await exportCandidate(env.service, env.recruiterToken, hire!.globalId);

      expect(summary.__typename).toBe('CandidatePartiallyExported');
      const gender = summary.fields.find((field: any) => field.field === 'gender');
      expect(gender.status).toBe(testCase.status);
      const notSent = summary.notSent.some((field: any) => field.field === 'gender');
      expect(notSent).toBe(testCase.sent === null);
      if (testCase.sent === null) expect(gender.reason).toEqual(expect.any(String));
      expect(employeesWithEmail(env, hire!.email)[0]?.gender).toBe(testCase.sent);
    });
  }

  it('suggests the closest department', async () => {
    const summary = await exportCandidate(env.service, env.recruiterToken, candidateGlobalId('demo', 'jean-luc.picard-martin@example.com'));

    expect(summary.__typename).toBe('CandidatePartiallyExported');
    expect(summary.notSent.find((field: any) => field.field === 'department')).toEqual({
      field: 'department',
      status: 'NO_MATCHING_VALUE',
      reason: 'Department "Customer Succes" does not exist in the HRIS. Did you mean "Customer Success"?',
      suggestion: 'Customer Success',
    });
    const [employee] = employeesWithEmail(env, 'jean-luc.picard-martin@example.com');
    expect(employee?.departmentId).toBeNull();
  });

  it('links an employee with the email in other case', async () => {
    const before = env.sandbox.control.requests({ route: 'employees.create' }).length;
    const summary = await exportCandidate(env.service, env.recruiterToken, candidateGlobalId('demo', 'zoe.mueller@example.com'));

    expect(summary.__typename).toBe('CandidateLinkedToExistingEmployee');
    expect(summary.employeeId).toBe(String(EXISTING_ZOE_ID));
    expect(summary.matchedEmail).toBe('ZOE.MUELLER@EXAMPLE.COM');
    expect(summary.documents).toEqual([]);
    for (const field of summary.fields.filter((outcome: any) => outcome.value !== null && outcome.status === 'NOT_SUPPORTED')) {
      expect(field.reason).toMatch(/already existed in the HRIS and was linked without changes|Personio/);
    }
    expect(env.sandbox.control.requests({ route: 'employees.create' })).toHaveLength(before);
    expect(employeesWithEmail(env, 'zoe.mueller@example.com')).toHaveLength(1);

    const ledger = await env.service.prisma.hrisExport.findFirstOrThrow({ where: { candidateId: seedCandidateId('demo', 'zoe.mueller@example.com') } });
    expect(ledger).toMatchObject({ status: 'LINKED', employeeId: String(EXISTING_ZOE_ID) });
  });

  it('answers a repeat from the ledger', async () => {
    const candidateId = candidateGlobalId('demo', 'soren.kjaer@example.net');
    const first = await exportCandidate(env.service, env.recruiterToken, candidateId);
    expect(first.__typename).toBe('CandidatePartiallyExported');
    const creates = env.sandbox.control.requests({ route: 'employees.create' }).length;

    const second = await exportCandidate(env.service, await env.service.tokenFor(DEMO_USERS.hannah), candidateId);

    expect(second).toMatchObject({
      __typename: 'CandidateAlreadyExported',
      employeeId: first.employeeId,
      exportedBy: { email: DEMO_USERS.recruiter },
      updateSupported: true,
      changes: [],
      message: 'Already exported, and nothing changed in the ATS since.',
    });
    expect(env.sandbox.control.requests({ route: 'employees.create' })).toHaveLength(creates);
    expect(env.sandbox.control.requests({ route: 'employees.update' })).toHaveLength(0);
  });

  it('updates changed fields on a repeat', async () => {
    const email = 'siobhan.obrien@example.com';
    const candidateId = candidateGlobalId('demo', email);
    const first = await exportCandidate(env.service, env.recruiterToken, candidateId);
    expect(first.__typename).toBe('CandidatePartiallyExported');

    await env.service.prisma.candidate.update({
      where: { id: seedCandidateId('demo', email) },
      data: { lastName: "O'Brien-Walsh", preferredName: 'Shiv' },
    });
    const second = await exportCandidate(env.service, env.recruiterToken, candidateId);

    expect(second.__typename).toBe('CandidateAlreadyExported');
    expect(second.employeeId).toBe(first.employeeId);
    const updated = second.changes.filter((change: any) => change.status === 'UPDATED');
    expect(updated).toEqual([
      { field: 'lastName', status: 'UPDATED', value: "O'Brien-Walsh", previousValue: "O'Brien", reason: null },
      { field: 'preferredName', status: 'UPDATED', value: 'Shiv', previousValue: null, reason: null },
    ]);
    expect(second.changes.filter((change: any) => change.status === 'UNCHANGED').map((change: any) => change.field)).toContain('firstName');
    expect(second.message).toBe('Already exported; updated lastName, preferredName in the HRIS.');
    const [employee] = employeesWithEmail(env, email);
    expect(employee).toMatchObject({ lastName: "O'Brien-Walsh", preferredName: 'Shiv' });

    const third = await exportCandidate(env.service, env.recruiterToken, candidateId);
    expect(third.message).toBe('Already exported, and nothing changed in the ATS since.');
  });

  it('reports an unknown candidate', async () => {
    const unknown = globalId('Candidate', '00000000-0000-4000-8000-000000000001');
    const summary = await exportCandidate(env.service, env.recruiterToken, unknown);
    expect(summary).toEqual({
      __typename: 'CandidateNotFound',
      candidateId: '00000000-0000-4000-8000-000000000001',
      message: 'No candidate with id 00000000-0000-4000-8000-000000000001 is visible to you.',
    });
  });

  it("reports another organization's candidate as not found", async () => {
    const requestsBefore = env.sandbox.control.requests().length;
    const summary = await exportCandidate(env.service, env.recruiterToken, candidateGlobalId('globex', 'priya.nair@example.com'));
    expect(summary.__typename).toBe('CandidateNotFound');
    expect(env.sandbox.control.requests()).toHaveLength(requestsBefore);
  });

  it('reports an ID that is not a candidate', async () => {
    const summary = await exportCandidate(env.service, env.recruiterToken, globalId('Job', '00000000-0000-4000-8000-000000000001'));
    expect(summary).toMatchObject({ __typename: 'CandidateNotFound', message: 'input.candidateId is not a Candidate ID.' });
  });

  it('reports a candidate not hired with its stages', async () => {
    const summary = await exportCandidate(env.service, env.recruiterToken, candidateGlobalId('demo', 'an.nguyen@example.com'));
    expect(summary.__typename).toBe('CandidateNotHired');
    expect(summary.message).toBe('Only candidates in the Hired stage can be exported; move the candidate to Hired first.');
    expect(summary.currentStages).toEqual([
      { jobTitle: 'Product Designer', stageName: 'Rejected', stageKind: 'REJECTED' },
      { jobTitle: 'Senior Backend Engineer', stageName: 'Interview', stageKind: 'INTERVIEW' },
    ]);
  });

  it("reports a hire outside the manager's jobs", async () => {
    // Max Weber applied to Customer Success (managed by Hannah) and was hired as Account Executive (Kenji's job).
    const summary = await exportCandidate(env.service, await env.service.tokenFor(DEMO_USERS.hannah), candidateGlobalId('demo', 'max.weber@example.com'));
    expect(summary).toEqual({
      __typename: 'ExportNotAllowed',
      message: 'Hiring managers can export only candidates hired into jobs they manage.',
    });
    expect(employeesWithEmail(env, 'max.weber@example.com')).toEqual([]);
  });

  it('reports invalid candidate data', async () => {
    const [hire] = await createHiredCandidates(env.service.prisma, { count: 1, prefix: 'invalid-email', email: () => 'max.mustermann(at)example.com' });
    const summary = await exportCandidate(env.service, env.recruiterToken, hire!.globalId);

    expect(summary.__typename).toBe('CandidateDataInvalid');
    expect(summary.problems).toEqual([
      { field: 'email', message: 'Email address "max.mustermann(at)example.com" is invalid because it must contain exactly one "@".' },
    ]);
    expect(summary.message).toContain('email: Email address "max.mustermann(at)example.com" is invalid');
    expect(env.sandbox.control.requests({ route: 'employees.create' }).filter((request) => JSON.stringify(request.body).includes('mustermann'))).toEqual([]);
  });

  it('reports a missing write right on create', async () => {
    env.sandbox.control.fail('employees.create', { status: 403, body: MISSING_RIGHT_BODY });
    const summary = await exportCandidate(env.service, env.recruiterToken, candidateGlobalId('demo', 'sakura.tanaka@example.com'));

    expect(summary).toMatchObject({ __typename: 'MissingPermission', permission: 'employees:write' });
    expect(summary.remediation).toContain('tick Employees: Write');
    expect(employeesWithEmail(env, 'sakura.tanaka@example.com')).toEqual([]);
  });

  it('reports a create the HRIS rejects', async () => {
    env.sandbox.control.fail('employees.create', {
      status: 422,
      body: { success: false, error: { code: 422, message: 'The given data was invalid.', error_data: { last_name: ['The last name may not be greater than 60 characters.'] } } },
    });
    const summary = await exportCandidate(env.service, env.recruiterToken, candidateGlobalId('demo', 'lukasz.wisniewski@example.com'));

    expect(summary).toMatchObject({ __typename: 'RejectedByHris', field: 'lastName' });
    expect(summary.message).toContain('Personio request to create the employee failed');
    expect(employeesWithEmail(env, 'lukasz.wisniewski@example.com')).toEqual([]);
  });

  it('reports a rate limit beyond the retries', async () => {
    // PERSONIO_MAX_RETRIES=1: two 429 responses exhaust the retries of the create.
    env.sandbox.control.fail('employees.create', { status: 429, times: 2, headers: { 'retry-after': '1' } });
    const summary = await exportCandidate(env.service, env.recruiterToken, candidateGlobalId('demo', 'mohammed.alali@example.com'));

    expect(summary).toMatchObject({ __typename: 'RateLimited', retryAfterSeconds: 1 });
    expect(env.sandbox.control.requests({ route: 'employees.create' }).filter((request) => request.response.outcome === 'answered' && request.response.status === 429)).toHaveLength(2);
    expect(employeesWithEmail(env, 'mohammed.alali@example.com')).toEqual([]);
  });

  it('reports an HRIS server error', async () => {
    // A create is never repeated blindly: after the 500 the plugin looks the email up three times.
    env.sandbox.control.fail('employees.create', { status: 500 });
    const summary = await exportCandidate(env.service, env.recruiterToken, candidateGlobalId('demo', 'fatimazahra.benali@example.com'));

    expect(summary).toMatchObject({ __typename: 'HrisUnavailable', timedOut: false });
    expect(summary.message).toContain('no employee with this email exists in Personio');
    expect(employeesWithEmail(env, 'fatimazahra.benali@example.com')).toEqual([]);

    // The failure released the ledger row: the next export creates the employee.
    const retry = await exportCandidate(env.service, env.recruiterToken, candidateGlobalId('demo', 'fatimazahra.benali@example.com'));
    expect(retry.__typename).toBe('CandidatePartiallyExported');
    expect(employeesWithEmail(env, 'fatimazahra.benali@example.com')).toHaveLength(1);
  });

  it('reports credentials that stopped working', async () => {
    const credentials = { clientId: 'papi-revoked', clientSecret: 'revoked-secret-0a1b', appId: 'acme-gmbh' };
    env.sandbox.control.addCredential({ ...credentials, companyId: ACME.companyId, rights: { employees: { read: true, write: true }, documents: { read: true, write: true } } });
    await connectOrFail(env.service, env.adminToken, credentials);
    try {
      // A new sandbox state without the credential: its token is revoked and its secret unknown.
      env.sandbox.control.reset();
      const summary = await exportCandidate(env.service, env.recruiterToken, candidateGlobalId('demo', 'giorgos.papadopoulos@example.com'));
      expect(summary.__typename).toBe('InvalidCredentials');
      expect(summary.message).toContain('Personio rejected the client ID or client secret');
    } finally {
      await connectOrFail(env.service, env.adminToken);
    }
  });

  it('reports an export still running', async () => {
    const candidateId = seedCandidateId('demo', 'minjun.kim@example.com');
    const connection = await env.service.prisma.hrisConnection.findFirstOrThrow({ where: { status: 'CONNECTED' } });
    // Another attempt has claimed the ledger row for five more minutes.
    await env.service.prisma.hrisExport.create({
      data: {
        organizationId: seedOrganizationId('demo'),
        connectionId: connection.id,
        candidateId,
        status: 'PENDING',
        leaseExpiresAt: new Date(Date.now() + 5 * 60_000),
      },
    });
    const started = Date.now();
    const summary = await exportCandidate(env.service, env.recruiterToken, candidateGlobalId('demo', 'minjun.kim@example.com'));

    expect(summary).toEqual({
      __typename: 'ExportInProgress',
      message: 'Another export of this candidate is still running; try again in a minute.',
    });
    // The caller waits up to 20 s for the other attempt before giving up.
    expect(Date.now() - started).toBeGreaterThanOrEqual(19_000);
    expect(employeesWithEmail(env, 'minjun.kim@example.com')).toEqual([]);
  }, 40_000);

  it('reports a missing connection', async () => {
    const connections = await env.service.prisma.hrisConnection.findMany({ where: { status: { not: 'DISCONNECTED' } } });
    for (const connection of connections) {
      await env.service.graphql('mutation ($id: ID!) { disconnectHris(id: $id) { disconnected } }', { id: globalId('HrisConnection', connection.id) }, env.adminToken);
    }
    try {
      const summary = await exportCandidate(env.service, env.recruiterToken, candidateGlobalId('demo', 'kai.neumann@example.com'));
      expect(summary).toEqual({
        __typename: 'HrisNotConnected',
        message: 'No HRIS is connected; an admin connects one under Settings > Account > Integrations.',
      });
    } finally {
      await connectOrFail(env.service, env.adminToken);
    }
  });
});
