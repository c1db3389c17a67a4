import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installedPlugins } from '../../plugins/index.ts';
import { ACME, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, startPersonioSandbox, type RunningSandbox } from '../../plugins/personio/sandbox/index.ts';
import type { HrisPluginDefinition } from '../../src/hris/index.ts';
import { createHiredCandidates, DEMO_USERS, EXPORT_SUMMARY_FIELDS } from '../exports/support.ts';
import { createFakePlugin, createFakeState } from '../fixtures/fake-hris.ts';
import { startTestService, type TestService } from '../helpers/service.ts';

/**
 * The same connect-and-export contract, run over GraphQL for every provider: Personio against
 * its sandbox, and the fake provider that uses only the public plugin interface. One service
 * has both plugins installed, and every call names its provider.
 */

interface ProviderUnderTest {
  key: string;
  /** The connectHris input, with valid credentials or with a wrong secret. */
  connectInput(valid: boolean): Record<string, unknown>;
  /** Credential field that must be flagged secret in hrisProviders. */
  secretField: string;
  /** Adds an employee to the HRIS directly; returns its id. */
  addEmployee(email: string): Promise<string>;
  /** Number of HRIS employees with this email, ignoring case. */
  employeesWithEmail(email: string): number;
  /** Makes the next create fail because the credential lacks the write right. */
  failNextCreate(): void;
}

const fakeState = createFakeState();
let sandbox: RunningSandbox;
let service: TestService;
let admin: string;
let recruiter: string;

const personio: ProviderUnderTest = {
  key: 'personio',
  connectInput: (valid) => ({ personio: { clientId: DEFAULT_CLIENT_ID, clientSecret: valid ? DEFAULT_CLIENT_SECRET : 'wrong-secret-contract', appId: 'acme-gmbh' } }),
  secretField: 'clientSecret',
  async addEmployee(email) {
    const headers = { 'content-type': 'application/json', 'x-personio-app-id': 'ACME_GMBH' };
    const auth = await fetch(`${sandbox.url}/v1/auth`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET }),
    });
    const { data } = (await auth.json()) as { data: { token: string } };
    const created = await fetch(`${sandbox.url}/v1/company/employees`, {
      method: 'POST',
      headers: { ...headers, authorization: `Bearer ${data.token}` },
      body: JSON.stringify({ employee: { email, first_name: 'Existing', last_name: 'Employee' } }),
    });
    return String(((await created.json()) as { data: { id: number } }).data.id);
  },
  employeesWithEmail: (email) => sandbox.control.employees(ACME.companyId).filter((employee) => employee.email.toLowerCase() === email.toLowerCase()).length,
  failNextCreate() {
    sandbox.control.fail('employees.create', { status: 403, body: { success: false, error: { code: 0, message: 'personio.core.api.exceptions.api.forbidden.http.exception' } } });
  },
};

const fake: ProviderUnderTest = {
  key: 'fake-hr',
  connectInput: (valid) => ({ fakeHr: { apiKey: valid ? 'secret-key-contract' : 'wrong-key', workspace: 'northwind' } }),
  secretField: 'apiKey',
  async addEmployee(email) {
    const id = `existing-${fakeState.employees.length + 1}`;
    fakeState.employees.push({ id, email, firstName: 'Existing', lastName: 'Employee' });
    return id;
  },
  employeesWithEmail: (email) => fakeState.employees.filter((employee) => employee.email.toLowerCase() === email.toLowerCase()).length,
  failNextCreate() {
    fakeState.failures.create = [{ kind: 'MISSING_PERMISSION', permission: 'employees:write', message: 'The API key cannot create employees.', remediation: 'Grant the key the write scope.' }];
  },
};

const CONNECT = `mutation ($input: ConnectHrisInput!) {
  connectHris(input: $input) { __typename ... on ConnectHrisSuccess { connection { id provider status } } ... on InvalidCredentials { message } }
}`;
const EXPORT = `mutation ($input: ExportCandidateToHrisInput!) { exportCandidateToHris(input: $input) { ${EXPORT_SUMMARY_FIELDS} } }`;

beforeAll(async () => {
  sandbox = await startPersonioSandbox({ port: 0 });
  const plugins = [...installedPlugins, createFakePlugin(fakeState) as unknown as HrisPluginDefinition<never, never>];
  service = await startTestService({ plugins, env: { PERSONIO_BASE_URL: sandbox.url, PERSONIO_MAX_RETRIES: '1' } });
  admin = await service.tokenFor(DEMO_USERS.admin);
  recruiter = await service.tokenFor(DEMO_USERS.recruiter);
});

afterAll(async () => {
  await service?.stop();
  await sandbox?.stop();
});

for (const provider of [personio, fake]) {
  describe(`plugin contract: ${provider.key}`, () => {
    let prefixCount = 0;
    const hire = async () => {
      prefixCount += 1;
      const [created] = await createHiredCandidates(service.prisma, { count: 1, prefix: `contract-${provider.key}-${prefixCount}` });
      return created!;
    };
    const exportHire = async (candidateId: string) => {
      const { body } = await service.graphql(EXPORT, { input: { candidateId, provider: provider.key } }, recruiter);
      expect(body.errors).toBeUndefined();
      return body.data.exportCandidateToHris;
    };
    const connect = async (valid: boolean) => (await service.graphql(CONNECT, { input: provider.connectInput(valid) }, admin)).body.data.connectHris;

    it('lists derived credential fields', async () => {
      const { body } = await service.graphql('{ hrisProviders { key credentialFields { key secret required } } }', {}, admin);
      const listed = body.data.hrisProviders.find((entry: { key: string }) => entry.key === provider.key);
      expect(listed.credentialFields.find((field: { key: string }) => field.key === provider.secretField)).toEqual({ key: provider.secretField, secret: true, required: true });
    });

    it('rejects a wrong secret', async () => {
      expect((await connect(false)).__typename).toBe('InvalidCredentials');
      expect(await service.prisma.hrisConnection.count({ where: { provider: provider.key } })).toBe(0);
    });

    it('connects with valid credentials', async () => {
      expect(await connect(true)).toMatchObject({ __typename: 'ConnectHrisSuccess', connection: { provider: provider.key, status: 'CONNECTED' } });
    });

    it('exports a hire once', async () => {
      const created = await hire();
      const first = await exportHire(created.globalId);
      expect(['CandidateExported', 'CandidatePartiallyExported']).toContain(first.__typename);
      expect(first.employeeUrl).toContain(first.employeeId);

      const second = await exportHire(created.globalId);
      expect(second).toMatchObject({ __typename: 'CandidateAlreadyExported', employeeId: first.employeeId });
      expect(provider.employeesWithEmail(created.email)).toBe(1);
    });

    it('links an employee with the email in other case', async () => {
      const created = await hire();
      const existingId = await provider.addEmployee(created.email.toUpperCase());
      const summary = await exportHire(created.globalId);
      expect(summary).toMatchObject({ __typename: 'CandidateLinkedToExistingEmployee', employeeId: existingId });
      expect(provider.employeesWithEmail(created.email)).toBe(1);
    });

    it('returns a failed create as a union member', async () => {
      const created = await hire();
      provider.failNextCreate();
      const failed = await exportHire(created.globalId);
      expect(failed).toMatchObject({ __typename: 'MissingPermission', permission: 'employees:write' });
      expect(provider.employeesWithEmail(created.email)).toBe(0);
      const ledger = await service.prisma.hrisExport.findFirstOrThrow({ where: { candidateId: created.id } });
      expect(ledger.status).toBe('FAILED');

      const retry = await exportHire(created.globalId);
      expect(['CandidateExported', 'CandidatePartiallyExported']).toContain(retry.__typename);
    });

    it('keeps the connection after a failed reconnect', async () => {
      const before = await service.prisma.hrisConnection.findFirstOrThrow({ where: { provider: provider.key, status: 'CONNECTED' } });
      expect((await connect(false)).__typename).toBe('InvalidCredentials');
      const after = await service.prisma.hrisConnection.findFirstOrThrow({ where: { provider: provider.key, status: 'CONNECTED' } });
      expect(after).toEqual(before);
      const summary = await exportHire((await hire()).globalId);
      expect(['CandidateExported', 'CandidatePartiallyExported']).toContain(summary.__typename);
    });
  });
}
