import { CONTROL_PREFIX, type EmployeeRecord, type RecordedRequest } from '../../plugins/personio/sandbox/index.ts';
import type { Config } from '../../src/config.ts';
import { createHrisExportClient, graphQLErrorCodes, type HrisExportClient } from '../../src/client/index.ts';
import { issueUserToken, type TokenRole, type UserIdentity } from '../lib/user-token.ts';

/** A demo check that did not hold. The message names the expected and the actual result. */
export class StepFailure extends Error {}

export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new StepFailure(message);
}

/** The hire that step 2 exports and step 5 exports again. */
export interface FirstExport {
  candidateId: string;
  name: string;
  email: string;
  employeeId: string;
  /** True when step 2 created the employee in this run, false when an earlier run had. */
  createdInThisRun: boolean;
}

export interface DemoContext {
  graphqlUrl: string;
  sandboxUrl: string;
  tokenConfig: Config;
  /** Display names of the HRIS providers by key, filled by step 1. */
  providerNames: Map<string, string>;
  firstExport: FirstExport | null;
}

export interface SignedInUser {
  identity: UserIdentity;
  client: HrisExportClient;
}

/** Signs a token for the first seeded user with `role` in the demo organization and returns a client for it. */
export async function signIn(context: DemoContext, role: TokenRole): Promise<SignedInUser> {
  const { token, identity } = await issueUserToken({ role, org: 'demo', expires: '1h' }, context.tokenConfig);
  return { identity, client: createHrisExportClient({ url: context.graphqlUrl, token }) };
}

/** Runs a request and returns the GraphQL error codes it rejects with, or null when it succeeds. */
export async function errorCodesOf(request: Promise<unknown>): Promise<string[] | null> {
  try {
    await request;
    return null;
  } catch (error) {
    const codes = graphQLErrorCodes(error);
    if (codes.length === 0) throw error;
    return codes;
  }
}

async function sandboxGet<T>(context: DemoContext, pathAndQuery: string): Promise<T> {
  const url = `${context.sandboxUrl}${CONTROL_PREFIX}${pathAndQuery}`;
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new StepFailure(`The sandbox control API responded to GET ${url} with HTTP ${response.status}.`);
  return (await response.json()) as T;
}

/** Employees in the sandbox with this email, compared without case, read over its control API. */
export async function sandboxEmployeesWithEmail(context: DemoContext, email: string): Promise<EmployeeRecord[]> {
  const employees = await sandboxGet<EmployeeRecord[]>(context, '/employees');
  return employees.filter((employee) => employee.email.toLowerCase() === email.toLowerCase());
}

/** Sequence number of the last request the sandbox recorded, or 0 before the first. */
export async function sandboxLastRequestSequence(context: DemoContext): Promise<number> {
  const requests = await sandboxGet<RecordedRequest[]>(context, '/requests');
  return requests.reduce((last, request) => Math.max(last, request.sequence), 0);
}
