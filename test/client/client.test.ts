import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  startPersonioSandbox,
  type RunningSandbox,
} from '../../plugins/personio/sandbox/index.ts';
import {
  createHrisExportClient,
  graphQLErrorCodes,
  type ExportSummaryFieldsFragment,
  type HrisExportClient,
} from '../../src/client/index.ts';
import { DEMO_SEED_FACTS } from '../../src/db/seed-data.ts';
import { candidateGlobalId, hiredCandidateEmails, jobGlobalId } from '../helpers/seed-facts.ts';
import { startTestService, type TestService, type TokenSubject } from '../helpers/service.ts';

// End-to-end through the typed client: the same operations and types a front end uses,
// sent over the app's fetch handler to a service whose Personio plugin talks to a sandbox.

const SANDBOX_APP_ID = 'acme-gmbh';
const ADMIN = 'amara.okafor@northwind.example';
const HANNAH = 'hannah.schmidt@northwind.example';

// Customer Success Manager: its department "Customer Succes" is misspelled on purpose, so
// the export reports NO_MATCHING_VALUE with the sandbox's "Customer Success" as suggestion.
const SINGLE_EMAIL = 'jean-luc.picard-martin@example.com';
const SINGLE_ID = candidateGlobalId('demo', SINGLE_EMAIL);
const BULK_JOB_KEY = 'account-executive';
const BULK_JOB_TITLE = 'Account Executive DACH';

const SUCCESS_TYPENAMES = ['CandidateExported', 'CandidatePartiallyExported', 'CandidateLinkedToExistingEmployee'];

type EmployeeSummary = Extract<ExportSummaryFieldsFragment, { fields: unknown }>;

function expectEmployeeSummary(summary: ExportSummaryFieldsFragment | null | undefined): EmployeeSummary {
  expect(SUCCESS_TYPENAMES).toContain(summary?.__typename);
  return summary as EmployeeSummary;
}

describe('typed client', () => {
  let sandbox: RunningSandbox;
  let service: TestService;
  let admin: HrisExportClient;

  async function clientFor(who: TokenSubject | null): Promise<HrisExportClient> {
    const token = who === null ? undefined : await service.tokenFor(who);
    return createHrisExportClient({ url: 'http://test/graphql', token, fetch: service.app.fetch });
  }

  beforeAll(async () => {
    sandbox = await startPersonioSandbox({ port: 0 });
    service = await startTestService({ env: { PERSONIO_BASE_URL: sandbox.url } });
    admin = await clientFor(ADMIN);
  });

  afterAll(async () => {
    await service?.stop();
    await sandbox?.stop();
  });

  it('viewer returns the user, role and organization', async () => {
    const { viewer } = await admin.Viewer();

    expect(viewer.role).toBe('ADMIN');
    expect(viewer.user.email).toBe(ADMIN);
    expect(viewer.organization.slug).toBe('demo');
    expect(viewer.organization.name).toBe(DEMO_SEED_FACTS.name);
  });

  it('anonymous request rejects with UNAUTHENTICATED', async () => {
    const anonymous = await clientFor(null);

    const error = await anonymous.Viewer().catch((caught: unknown) => caught);

    expect(graphQLErrorCodes(error)).toEqual(['UNAUTHENTICATED']);
  });

  it('interviewer gets FORBIDDEN for candidates', async () => {
    const interviewer = await clientFor({ role: 'INTERVIEWER' });

    const error = await interviewer.Candidates({ first: 1 }).catch((caught: unknown) => caught);

    expect(graphQLErrorCodes(error)).toEqual(['FORBIDDEN']);
  });

  it('candidates HIRED pages through every hire', async () => {
    const emails: string[] = [];
    let after: string | null = null;
    let totalCount = -1;
    // Pages of 5; the bound stops a paging bug from looping forever.
    for (let page = 0; page < 20; page++) {
      const { candidates } = await admin.Candidates({ filter: { status: 'HIRED' }, first: 5, after });
      totalCount = candidates.totalCount;
      emails.push(...candidates.edges.map((edge) => edge.node.email));
      if (!candidates.pageInfo.hasNextPage) break;
      after = candidates.pageInfo.endCursor;
    }

    expect(totalCount).toBe(hiredCandidateEmails('demo').length);
    expect([...emails].sort()).toEqual([...hiredCandidateEmails('demo')].sort());
  });

  it('jobs and pipeline list the hired stage', async () => {
    const { jobs } = await admin.Jobs();
    expect(jobs.map((job) => job.title)).toContain(BULK_JOB_TITLE);

    const { job } = await admin.JobPipeline({ id: jobGlobalId('demo', BULK_JOB_KEY), first: 50 });
    const hired = job?.stages.find((stage) => stage.kind === 'HIRED');

    expect(job?.title).toBe(BULK_JOB_TITLE);
    expect(hired?.candidates.totalCount).toBe(DEMO_SEED_FACTS.hiredPerJob[BULK_JOB_TITLE]);
    for (const edge of hired?.candidates.edges ?? []) {
      expect(edge.application.id).toMatch(/\S/);
    }
  });

  it('connectHris connects the sandbox', async () => {
    const { hrisProviders } = await admin.HrisProviders();
    expect(hrisProviders.map((provider) => provider.key)).toContain('personio');

    const { connectHris } = await admin.ConnectHris({
      input: { personio: { clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET, appId: SANDBOX_APP_ID } },
    });

    expect(connectHris.__typename).toBe('ConnectHrisSuccess');
    if (connectHris.__typename !== 'ConnectHrisSuccess') return;
    expect(connectHris.connection.status).toBe('CONNECTED');
    expect(connectHris.connection.provider).toBe('personio');
    const required = connectHris.connection.permissions.filter((permission) => permission.required);
    expect(required.length).toBeGreaterThan(0);
    expect(required.filter((permission) => permission.status !== 'GRANTED')).toEqual([]);

    const { hrisConnections } = await admin.HrisConnections();
    expect(hrisConnections.map((connection) => connection.id)).toEqual([connectHris.connection.id]);
  });

  it('exportCandidateToHris reports fields, suggestions and documents', async () => {
    const { exportCandidateToHris } = await admin.ExportCandidateToHris({ input: { candidateId: SINGLE_ID } });

    const summary = expectEmployeeSummary(exportCandidateToHris);
    expect(summary.employeeId).toMatch(/^\d+$/);
    expect(summary.candidate?.email).toBe(SINGLE_EMAIL);
    const department = summary.notSent.find((field) => field.field === 'department');
    expect(department?.status).toBe('NO_MATCHING_VALUE');
    expect(department?.suggestion).toBe('Customer Success');
    expect(summary.fields.find((field) => field.field === 'email')?.status).toBe('SENT');
    expect(summary.documents.length).toBeGreaterThan(0);
    expect(summary.documents.map((document) => document.status)).toContain('UPLOADED');

    const employees = sandbox.control.employees().filter((employee) => employee.email.toLowerCase() === SINGLE_EMAIL);
    expect(employees.map((employee) => String(employee.id))).toEqual([summary.employeeId]);
  });

  it('candidate page shows the export', async () => {
    const { candidate } = await admin.Candidate({ id: SINGLE_ID });

    expect(candidate?.email).toBe(SINGLE_EMAIL);
    expect(candidate?.applications.map((application) => application.stage.kind)).toContain('HIRED');
    expect(candidate?.documents.length).toBeGreaterThan(0);
    expect(candidate?.hrisExports).toHaveLength(1);
    expect(candidate?.hrisExports[0]?.employeeId).toMatch(/^\d+$/);
  });

  it('repeated export reports CandidateAlreadyExported', async () => {
    const { exportCandidateToHris } = await admin.ExportCandidateToHris({ input: { candidateId: SINGLE_ID } });

    expect(exportCandidateToHris.__typename).toBe('CandidateAlreadyExported');
    const employees = sandbox.control.employees().filter((employee) => employee.email.toLowerCase() === SINGLE_EMAIL);
    expect(employees).toHaveLength(1);
  });

  it('hiring manager cannot export another job', async () => {
    const hannah = await clientFor(HANNAH);
    // Mohammed Al-Ali was hired as People Partner, a job that Kenji manages.
    const candidateId = candidateGlobalId('demo', 'mohammed.alali@example.com');

    const { exportCandidateToHris } = await hannah.ExportCandidateToHris({ input: { candidateId } });

    expect(['ExportNotAllowed', 'CandidateNotFound']).toContain(exportCandidateToHris.__typename);
  });

  it('exportCandidatesToHris exports a job in bulk', async () => {
    const recruiter = await clientFor({ role: 'RECRUITER' });
    const jobId = jobGlobalId('demo', BULK_JOB_KEY);
    const expectedTotal = DEMO_SEED_FACTS.hiredPerJob[BULK_JOB_TITLE];

    const { exportCandidatesToHris } = await recruiter.ExportCandidatesToHris({ input: { jobId, waitSeconds: 0 } });
    expect(exportCandidatesToHris.__typename).toBe('HrisExportBatch');
    if (exportCandidatesToHris.__typename !== 'HrisExportBatch') return;
    expect(exportCandidatesToHris.total).toBe(expectedTotal);

    let status = exportCandidatesToHris.status;
    // At most 150 polls of 200 ms: 30 s, the test's time limit.
    for (let poll = 0; poll < 150 && status === 'RUNNING'; poll++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const { hrisExportBatch } = await recruiter.HrisExportBatchProgress({ id: exportCandidatesToHris.id });
      status = hrisExportBatch?.status ?? 'INTERRUPTED';
    }
    const { hrisExportBatch: batch } = await recruiter.HrisExportBatch({ id: exportCandidatesToHris.id });

    expect(batch?.status).toBe('COMPLETED');
    expect(batch?.done).toBe(expectedTotal);
    expect(batch?.failed).toBe(0);
    expect(batch?.succeeded).toBe(expectedTotal);
    for (const item of batch?.items ?? []) {
      expectEmployeeSummary(item.summary);
      expect(item.status).toBe('DONE');
    }
  });

  it('resumeHrisExportBatch returns null for a completed batch', async () => {
    const { hrisExportHistory } = await admin.HrisExportHistory({ first: 50 });
    const batchId = hrisExportHistory.edges.find((edge) => edge.node.batchId)?.node.batchId;
    expect(batchId).toBeDefined();

    const { resumeHrisExportBatch } = await admin.ResumeHrisExportBatch({ id: batchId ?? '' });

    expect(resumeHrisExportBatch).toBeNull();
  });

  it('hrisExportHistory lists attempts, filtered by job', async () => {
    const { hrisExportHistory } = await admin.HrisExportHistory({ first: 100 });
    const typenames = hrisExportHistory.edges.map((edge) => edge.node.summary.__typename);
    expect(typenames).toContain('CandidateAlreadyExported');
    expect(typenames.filter((typename) => SUCCESS_TYPENAMES.includes(typename)).length).toBeGreaterThan(1);

    const { hrisExportHistory: forJob } = await admin.HrisExportHistory({ jobId: jobGlobalId('demo', BULK_JOB_KEY), first: 100 });
    expect(forJob.edges).toHaveLength(DEMO_SEED_FACTS.hiredPerJob[BULK_JOB_TITLE] ?? -1);
    for (const edge of forJob.edges) {
      expect(edge.node.batchId).not.toBeNull();
    }
  });

  it('checkHrisConnection and disconnectHris', async () => {
    const { hrisConnections } = await admin.HrisConnections();
    const id = hrisConnections[0]?.id ?? '';

    const { checkHrisConnection } = await admin.CheckHrisConnection({ id });
    expect(checkHrisConnection?.status).toBe('CONNECTED');

    const { disconnectHris } = await admin.DisconnectHris({ id });
    expect(disconnectHris.disconnected).toBe(true);

    const { exportCandidateToHris } = await admin.ExportCandidateToHris({ input: { candidateId: SINGLE_ID } });
    expect(exportCandidateToHris.__typename).toBe('HrisNotConnected');
  });
});
