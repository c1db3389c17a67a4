import { ACME, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, startPersonioSandbox, type RunningSandbox, type SandboxOptions } from '../../plugins/personio/sandbox/index.ts';
import type { PrismaClient } from '../../src/db/client.ts';
import { seedJobId, seedOrganizationId, seedStageId, seedUserId } from '../../src/db/seed-data.ts';
import type { Role } from '../../src/generated/prisma/client.ts';
import { globalId } from '../helpers/seed-facts.ts';
import { startTestService, type TestService, type TestServiceOptions } from '../helpers/service.ts';

/** Shared set-up of the export and connection tests: a sandbox over HTTP, a service, tokens. */

export const SANDBOX_APP_ID = 'acme-gmbh';
export const DEFAULT_PERSONIO_CREDENTIALS = { clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET, appId: SANDBOX_APP_ID };

export const DEMO_USERS = {
  admin: 'amara.okafor@northwind.example',
  hannah: 'hannah.schmidt@northwind.example',
  kenji: 'kenji.watanabe@northwind.example',
  recruiter: 'lucia.fernandez@northwind.example',
  interviewer: 'priya.raman@northwind.example',
} as const;

export const ROLES: readonly Role[] = ['ADMIN', 'HIRING_MANAGER', 'RECRUITER', 'INTERVIEWER'];

export interface Environment {
  sandbox: RunningSandbox;
  service: TestService;
  adminToken: string;
  recruiterToken: string;
  stop(): Promise<void>;
}

/** Employees of the sandbox's default company whose email equals `email`, ignoring case. */
export function employeesWithEmail(env: Environment, email: string) {
  return env.sandbox.control.employees(ACME.companyId).filter((employee) => employee.email.toLowerCase() === email.toLowerCase());
}

/**
 * Starts a sandbox and a service whose Personio plugin talks to it. `env` adds variables
 * such as PERSONIO_TIMEOUT_MS; the sandbox runs on a free port of 127.0.0.1.
 */
export async function startEnvironment(
  options: { sandbox?: SandboxOptions; env?: Record<string, string>; service?: Omit<TestServiceOptions, 'env'> } = {},
): Promise<Environment> {
  const sandbox = await startPersonioSandbox({ port: 0, ...options.sandbox });
  let service: TestService;
  try {
    service = await startTestService({ ...options.service, env: { PERSONIO_BASE_URL: sandbox.url, ...options.env } });
  } catch (error) {
    await sandbox.stop();
    throw error;
  }
  return {
    sandbox,
    service,
    adminToken: await service.tokenFor(DEMO_USERS.admin),
    recruiterToken: await service.tokenFor(DEMO_USERS.recruiter),
    async stop() {
      await service.stop();
      await sandbox.stop();
    },
  };
}

const CONNECT = `mutation ($input: ConnectHrisInput!) {
  connectHris(input: $input) {
    __typename
    ... on ConnectHrisSuccess { connection { id provider status accountLabel lastVerifiedAt connectedBy { email }
      permissions { key status required remediation } warnings { key status required remediation } } }
    ... on InvalidInput { message problems { field message } }
    ... on InvalidCredentials { message }
    ... on MissingPermissions { message permissions { key label status required remediation } }
    ... on HrisUnavailable { message timedOut }
    ... on RateLimited { message retryAfterSeconds }
    ... on MissingPermission { message permission remediation }
    ... on RejectedByHris { message field }
    ... on HrisConflict { message existingEmployeeId }
  }
}`;

/** Calls connectHris with Personio credentials and returns the whole HTTP response. */
export async function connectPersonio(
  service: TestService,
  token: string,
  credentials: { clientId: string; clientSecret: string; appId: string } = DEFAULT_PERSONIO_CREDENTIALS,
) {
  return service.graphql(CONNECT, { input: { personio: credentials } }, token);
}

/** Connects Personio and fails the test unless the connection succeeded; returns the connection. */
export async function connectOrFail(service: TestService, token: string, credentials = DEFAULT_PERSONIO_CREDENTIALS) {
  const { body } = await connectPersonio(service, token, credentials);
  const result = body.data?.connectHris;
  if (result?.__typename !== 'ConnectHrisSuccess') {
    throw new Error(`connectHris failed: ${JSON.stringify(body)}`);
  }
  return result.connection as { id: string; status: string };
}

const EMPLOYEE_RESULT = `employeeId employeeUrl
  fields { field status value previousValue reason suggestion }
  notSent { field status reason suggestion }
  documents { fileName kind status category reason }`;

/** Every member of the ExportSummary union with the fields the tests check. */
export const EXPORT_SUMMARY_FIELDS = `
  __typename
  ... on CandidateExported { ${EMPLOYEE_RESULT} }
  ... on CandidatePartiallyExported { ${EMPLOYEE_RESULT} }
  ... on CandidateLinkedToExistingEmployee { ${EMPLOYEE_RESULT} matchedEmail }
  ... on CandidateAlreadyExported { employeeId exportedAt exportedBy { email } updateSupported message
    changes { field status value previousValue reason } }
  ... on CandidateNotFound { candidateId message }
  ... on CandidateNotHired { candidateId message currentStages { jobTitle stageName stageKind } }
  ... on ExportNotAllowed { message }
  ... on HrisNotConnected { message }
  ... on CandidateDataInvalid { message problems { field message } }
  ... on ExportInProgress { message }
  ... on MissingPermission { message permission remediation }
  ... on RejectedByHris { message field }
  ... on RateLimited { message retryAfterSeconds }
  ... on HrisUnavailable { message timedOut }
  ... on InvalidCredentials { message }
  ... on HrisConflict { message existingEmployeeId }
`;

const EXPORT_ONE = `mutation ($input: ExportCandidateToHrisInput!) {
  exportCandidateToHris(input: $input) { ${EXPORT_SUMMARY_FIELDS} }
}`;

/** Exports one candidate through GraphQL; returns the summary, or throws on GraphQL errors. */
export async function exportCandidate(service: TestService, token: string, candidateId: string): Promise<any> {
  const { body } = await service.graphql(EXPORT_ONE, { input: { candidateId } }, token);
  if (body.errors) throw new Error(`exportCandidateToHris returned errors: ${JSON.stringify(body.errors)}`);
  return body.data.exportCandidateToHris;
}

/** Sends exportCandidateToHris and returns the whole HTTP response, for authorization tests. */
export function exportCandidateResponse(service: TestService, token: string, candidateId: string) {
  return service.graphql(EXPORT_ONE, { input: { candidateId } }, token);
}

export const BATCH_FIELDS = `
  id status total done succeeded failed finishedAt
  totals { outcome count }
  items { position candidateId status outcome summary { ${EXPORT_SUMMARY_FIELDS} } }
`;

const EXPORT_MANY = `mutation ($input: ExportCandidatesToHrisInput!) {
  exportCandidatesToHris(input: $input) {
    __typename
    ... on HrisExportBatch { ${BATCH_FIELDS} }
    ... on InvalidInput { message problems { field message } }
    ... on HrisNotConnected { message }
  }
}`;

/** Starts a bulk export and returns the union value, or throws on GraphQL errors. */
export async function exportCandidates(
  service: TestService,
  token: string,
  input: { candidateIds?: string[]; jobId?: string; waitSeconds?: number },
): Promise<any> {
  const { body } = await service.graphql(EXPORT_MANY, { input }, token);
  if (body.errors) throw new Error(`exportCandidatesToHris returned errors: ${JSON.stringify(body.errors)}`);
  return body.data.exportCandidatesToHris;
}

/** Reads a batch; returns null when it is unknown. */
export async function readBatch(service: TestService, token: string, batchId: string): Promise<any> {
  const { body } = await service.graphql(`query ($id: ID!) { hrisExportBatch(id: $id) { ${BATCH_FIELDS} } }`, { id: batchId }, token);
  if (body.errors) throw new Error(`hrisExportBatch returned errors: ${JSON.stringify(body.errors)}`);
  return body.data.hrisExportBatch;
}

/** Polls a batch until it is COMPLETED, for at most `timeoutMs`. */
export async function waitForBatch(service: TestService, token: string, batchId: string, timeoutMs = 60_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const batch = await readBatch(service, token, batchId);
    if (batch?.status === 'COMPLETED') return batch;
    if (Date.now() > deadline) throw new Error(`Batch ${batchId} did not complete within ${timeoutMs} ms: ${JSON.stringify(batch)?.slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export interface CreatedHire {
  /** Database id. */
  id: string;
  /** Relay ID. */
  globalId: string;
  email: string;
}

/**
 * Inserts hired candidates into a seeded demo job, without documents, with createMany so
 * that any number costs three statements. Emails are `<prefix>-<n>@hires.example`.
 */
export async function createHiredCandidates(
  prisma: PrismaClient,
  options: { count: number; jobKey?: string; prefix: string; email?: (index: number) => string; gender?: string | null },
): Promise<CreatedHire[]> {
  const jobKey = options.jobKey ?? 'backend';
  const organizationId = seedOrganizationId('demo');
  const jobId = seedJobId('demo', jobKey);
  const stageId = seedStageId('demo', jobKey, 'HIRED');
  const hires = Array.from({ length: options.count }, (_, index) => ({
    id: crypto.randomUUID(),
    email: options.email?.(index) ?? `${options.prefix}-${index + 1}@hires.example`,
    index,
  }));
  await prisma.candidate.createMany({
    data: hires.map((hire) => ({
      id: hire.id,
      organizationId,
      firstName: 'Test',
      lastName: `${options.prefix} ${hire.index + 1}`,
      email: hire.email,
      gender: options.gender === undefined ? 'female' : options.gender,
    })),
  });
  await prisma.application.createMany({
    data: hires.map((hire) => ({
      organizationId,
      candidateId: hire.id,
      jobId,
      stageId,
      hiredAt: new Date(),
      stageEnteredAt: new Date(),
      startDate: new Date(Date.UTC(2027, 0, 4)),
    })),
  });
  return hires.map((hire) => ({ id: hire.id, globalId: globalId('Candidate', hire.id), email: hire.email }));
}

/** Database id of a seeded demo user. */
export function demoUserId(email: string): string {
  return seedUserId('demo', email);
}
