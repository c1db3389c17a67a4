import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ACME, startPersonioSandbox, type RunningSandbox } from '../../plugins/personio/sandbox/index.ts';
import type { Role } from '../../src/generated/prisma/client.ts';
import { candidateGlobalId } from '../helpers/seed-facts.ts';
import { startTestService, type TestService } from '../helpers/service.ts';
import {
  connectOrFail,
  connectPersonio,
  DEFAULT_PERSONIO_CREDENTIALS,
  DEMO_USERS,
  exportCandidate,
  ROLES,
  startEnvironment,
  type Environment,
} from '../exports/support.ts';
import { capturedLogLines } from './log-capture.ts';

// pino writes through sonic-boom straight to file descriptor 1; this sends the lines of the
// service's loggers to capturedLogLines instead, with src/logger.ts's options unchanged.
vi.mock('pino', async (importOriginal) => {
  const actual = await importOriginal<typeof import('pino')>();
  const { captureStream } = await import('./log-capture.ts');
  const wrapped = Object.assign((options?: object) => actual.default(options ?? {}, captureStream()), actual.default);
  return { ...actual, default: wrapped };
});

const FULL_RIGHTS = {
  employees: { read: true, write: true },
  attendances: { read: true, write: true },
  absences: { read: true, write: true },
  documents: { read: true, write: true },
  customReports: { read: true, write: false },
};
const EXPORT_RIGHTS = { employees: { read: true, write: true }, documents: { read: true, write: true } };

/** Every client secret this file sends; none may appear in a response or a log line. */
const secretsUsed = new Set<string>([DEFAULT_PERSONIO_CREDENTIALS.clientSecret]);
/** Access tokens the sandbox issued to the service; none may appear either. */
const tokensIssued = new Set<string>();
/** Text of every GraphQL response this file received. */
const responses: string[] = [];

let nextCredential = 0;

/** Adds a sandbox credential of company Acme with a unique id and secret; returns the connect input. */
function addCredential(sandbox: RunningSandbox, rights: object, readableAttributes: 'all' | string[] = 'all') {
  nextCredential += 1;
  const clientId = `papi-connect-test-${nextCredential}`;
  const clientSecret = `secret-${nextCredential}-9f8e7d6c5b4a`;
  secretsUsed.add(clientSecret);
  sandbox.control.addCredential({ clientId, clientSecret, companyId: ACME.companyId, rights, readableAttributes });
  return { clientId, clientSecret, appId: 'acme-gmbh' };
}

async function connect(service: TestService, token: string, credentials: { clientId: string; clientSecret: string; appId: string }) {
  secretsUsed.add(credentials.clientSecret);
  const response = await connectPersonio(service, token, credentials);
  responses.push(JSON.stringify(response.body));
  return response;
}

/** Remembers the access tokens a sandbox has issued so far, before a reset or revocation drops them. */
function collectTokens(sandbox: RunningSandbox) {
  for (const issued of sandbox.control.tokens()) tokensIssued.add(issued.token);
}

/** Asserts that no response or log line so far contains a client secret or an access token. */
function expectNoSecretExposed() {
  for (const secret of [...secretsUsed, ...tokensIssued]) {
    for (const response of responses) expect(response).not.toContain(secret);
    for (const line of capturedLogLines) expect(line).not.toContain(secret);
  }
}

const HRIS_CONNECTIONS = `{ hrisConnections { id provider status accountLabel lastVerifiedAt lastError connectedBy { email }
  permissions { key label status required remediation } warnings { key status } } }`;

const CHECK = `mutation ($id: ID!) { checkHrisConnection(id: $id) { id status lastVerifiedAt lastError permissions { key status remediation } } }`;
const DISCONNECT = `mutation ($id: ID!) { disconnectHris(id: $id) { disconnected } }`;

describe('connectHris against the sandbox', () => {
  let env: Environment;

  beforeAll(async () => {
    env = await startEnvironment({ env: { LOG_LEVEL: 'debug', PERSONIO_TIMEOUT_MS: '1000', PERSONIO_MAX_RETRIES: '1' } });
  });

  afterAll(async () => {
    await env?.stop();
  });

  afterEach(async () => {
    collectTokens(env.sandbox);
    env.sandbox.control.clearFaults();
    env.sandbox.control.setLatency(0);
    const { body } = await env.service.graphql('{ hrisConnections { id } }', {}, env.adminToken);
    for (const connection of body.data?.hrisConnections ?? []) {
      await env.service.graphql(DISCONNECT, { id: connection.id }, env.adminToken);
    }
    expectNoSecretExposed();
  });

  it('connects with valid credentials', async () => {
    const credentials = addCredential(env.sandbox, EXPORT_RIGHTS);
    const { status, body } = await connect(env.service, env.adminToken, credentials);

    expect(status).toBe(200);
    const result = body.data.connectHris;
    expect(result.__typename).toBe('ConnectHrisSuccess');
    expect(result.connection.provider).toBe('personio');
    expect(result.connection.status).toBe('CONNECTED');
    expect(result.connection.connectedBy).toEqual({ email: DEMO_USERS.admin });
    expect(result.connection.accountLabel).toBe(`${credentials.clientId} · acme-gmbh`);
    const statusByKey = Object.fromEntries(result.connection.permissions.map((check: any) => [check.key, check.status]));
    expect(statusByKey).toMatchObject({
      'employees:read': 'GRANTED',
      'employees:write': 'GRANTED',
      'documents:read': 'GRANTED',
      'documents:write': 'GRANTED',
      'attribute:email': 'GRANTED',
      'attribute:first_name': 'GRANTED',
      'attribute:last_name': 'GRANTED',
    });
  });

  it('warns about missing optional rights', async () => {
    const credentials = addCredential(env.sandbox, EXPORT_RIGHTS);
    const { body } = await connect(env.service, env.adminToken, credentials);

    const warnings = body.data.connectHris.connection.warnings;
    expect(warnings.map((warning: any) => warning.key).sort()).toEqual([
      'absences:read',
      'absences:write',
      'attendances:read',
      'attendances:write',
      'reports.custom:read',
    ]);
    for (const warning of warnings) {
      expect(warning.status).toBe('MISSING');
      expect(warning.required).toBe(false);
      expect(warning.remediation).toMatch(/^Exports do not need this right\./);
    }
  });

  it('has no warnings with every right', async () => {
    const credentials = addCredential(env.sandbox, FULL_RIGHTS);
    const { body } = await connect(env.service, env.adminToken, credentials);
    expect(body.data.connectHris.connection.warnings).toEqual([]);
  });

  it('rejects a wrong secret', async () => {
    const credentials = addCredential(env.sandbox, EXPORT_RIGHTS);
    const { body } = await connect(env.service, env.adminToken, { ...credentials, clientSecret: 'wrong-secret-5e6f7a8b' });

    expect(body.data.connectHris.__typename).toBe('InvalidCredentials');
    expect(body.data.connectHris.message).toMatch(/Personio rejected the client ID or client secret \(HTTP 401\)/);
    expect(capturedLogLines.some((line) => line.includes('HRIS connection attempt failed verification'))).toBe(true);
  });

  it('rejects an unknown client id', async () => {
    const { body } = await connect(env.service, env.adminToken, { clientId: 'papi-unknown', clientSecret: 'unknown-secret-1a2b3c4d', appId: 'acme-gmbh' });
    expect(body.data.connectHris.__typename).toBe('InvalidCredentials');
  });

  const areaCases: { name: string; rights: object; missing: string[] }[] = [
    {
      name: 'employees read',
      rights: { employees: { read: false, write: true }, documents: { read: true, write: true } },
      // Without Employees: Read, no attribute is readable either.
      missing: ['attribute:email', 'attribute:first_name', 'attribute:last_name', 'employees:read'],
    },
    { name: 'employees write', rights: { employees: { read: true, write: false }, documents: { read: true, write: true } }, missing: ['employees:write'] },
    { name: 'documents read', rights: { employees: { read: true, write: true }, documents: { read: false, write: true } }, missing: ['documents:read'] },
    { name: 'documents write', rights: { employees: { read: true, write: true }, documents: { read: true, write: false } }, missing: ['documents:write'] },
    {
      name: 'every area',
      rights: {},
      missing: ['attribute:email', 'attribute:first_name', 'attribute:last_name', 'documents:read', 'documents:write', 'employees:read', 'employees:write'],
    },
  ];

  for (const testCase of areaCases) {
    it(`reports missing ${testCase.name}`, async () => {
      const credentials = addCredential(env.sandbox, testCase.rights);
      const { body } = await connect(env.service, env.adminToken, credentials);

      const result = body.data.connectHris;
      expect(result.__typename).toBe('MissingPermissions');
      expect(result.permissions.map((permission: any) => permission.key).sort()).toEqual(testCase.missing);
      for (const permission of result.permissions) {
        expect(permission.status).toBe('MISSING');
        expect(permission.required).toBe(true);
        expect(permission.remediation).toMatch(/^In Personio, open Marketplace > Connected integrations/);
        expect(result.message).toContain(permission.label);
      }
    });
  }

  it('stores nothing when permissions are missing', async () => {
    const credentials = addCredential(env.sandbox, { employees: { read: true, write: false } });
    await connect(env.service, env.adminToken, credentials);
    const { body } = await env.service.graphql(HRIS_CONNECTIONS, {}, env.adminToken);
    expect(body.data.hrisConnections).toEqual([]);
  });

  it('reports an unreadable email attribute', async () => {
    const credentials = addCredential(env.sandbox, EXPORT_RIGHTS, ['first_name', 'last_name', 'department']);
    const { body } = await connect(env.service, env.adminToken, credentials);

    const result = body.data.connectHris;
    expect(result.__typename).toBe('MissingPermissions');
    expect(result.permissions).toEqual([
      expect.objectContaining({ key: 'attribute:email', label: 'Readable attribute: Email', status: 'MISSING', required: true }),
    ]);
    expect(result.permissions[0].remediation).toContain('add "Email" to the readable employee attributes');
  });

  it('reports a rate-limited auth endpoint', async () => {
    const credentials = addCredential(env.sandbox, EXPORT_RIGHTS);
    env.sandbox.control.fail('auth', { status: 429 });
    const { body } = await connect(env.service, env.adminToken, credentials);

    // Without Retry-After, the client assumes Personio's 60-second auth lock and does not wait.
    expect(body.data.connectHris).toMatchObject({ __typename: 'RateLimited', retryAfterSeconds: 60 });
    expect(body.data.connectHris.message).toContain("Personio's rate limit was reached; try again in 60 seconds.");
  });

  it('reports Retry-After of a rate-limited auth endpoint', async () => {
    const credentials = addCredential(env.sandbox, EXPORT_RIGHTS);
    env.sandbox.control.fail('auth', { status: 429, headers: { 'retry-after': '120' } });
    const { body } = await connect(env.service, env.adminToken, credentials);
    expect(body.data.connectHris).toMatchObject({ __typename: 'RateLimited', retryAfterSeconds: 120 });
  });

  it('reports a sandbox slower than the timeout', async () => {
    const credentials = addCredential(env.sandbox, EXPORT_RIGHTS);
    env.sandbox.control.setLatency(1_500);
    const started = Date.now();
    const { body } = await connect(env.service, env.adminToken, credentials);

    expect(body.data.connectHris).toMatchObject({ __typename: 'HrisUnavailable', timedOut: true });
    expect(body.data.connectHris.message).toContain('raise PERSONIO_TIMEOUT_MS');
    // Two attempts of 1 s each (PERSONIO_MAX_RETRIES=1) and one backoff of at most 0.75 s.
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  const appIdCases = [
    { input: 'acme-gmbh', name: 'subdomain' },
    { input: 'https://acme-gmbh.personio.com', name: '.com URL' },
    { input: 'https://acme-gmbh.personio.de/staff/details/1001', name: '.de URL with a path' },
    { input: '  ACME-GMBH.personio.de ', name: 'host name in upper case' },
  ];

  for (const testCase of appIdCases) {
    it(`accepts the App ID as ${testCase.name}`, async () => {
      const credentials = addCredential(env.sandbox, EXPORT_RIGHTS);
      const before = env.sandbox.control.requests().length;
      const { body } = await connect(env.service, env.adminToken, { ...credentials, appId: testCase.input });

      expect(body.data.connectHris.__typename).toBe('ConnectHrisSuccess');
      expect(body.data.connectHris.connection.accountLabel).toBe(`${credentials.clientId} · acme-gmbh`);
      const sent = env.sandbox.control.requests().slice(before);
      expect(sent.length).toBeGreaterThan(0);
      for (const request of sent) {
        expect(request.appId).toEqual({ value: 'ACME_GMBH', headerName: 'X-Personio-App-ID', upperSnakeCase: true });
      }
    });
  }

  const malformedAppIds = ['', 'acme gmbh', 'https://acme-gmbh.example.com', 'https://api.personio.de', 'ftp://acme-gmbh.personio.de', '-acme'];

  for (const appId of malformedAppIds) {
    it(`rejects the App ID ${JSON.stringify(appId)}`, async () => {
      const before = env.sandbox.control.requests().length;
      const { body } = await connect(env.service, env.adminToken, { ...DEFAULT_PERSONIO_CREDENTIALS, appId });

      expect(body.data.connectHris.__typename).toBe('InvalidInput');
      expect(body.data.connectHris.problems).toHaveLength(1);
      expect(body.data.connectHris.problems[0].field).toBe('input.personio.appId');
      expect(body.data.connectHris.problems[0].message).toContain('is not a Personio subdomain or company URL');
      expect(env.sandbox.control.requests()).toHaveLength(before);
    });
  }

  it('rejects a blank client secret', async () => {
    const { body } = await connect(env.service, env.adminToken, { ...DEFAULT_PERSONIO_CREDENTIALS, clientSecret: '   ' });
    expect(body.data.connectHris.__typename).toBe('InvalidInput');
    expect(body.data.connectHris.problems).toEqual([
      { field: 'input.personio.clientSecret', message: expect.stringContaining('clientSecret is missing') },
    ]);
  });

  for (const role of ROLES) {
    const allowed = role === 'ADMIN';
    it(`connectHris as ${role}: ${allowed ? 'connects' : 'FORBIDDEN'}`, async () => {
      const token = await env.service.tokenFor({ role });
      const before = env.sandbox.control.requests().length;
      const { body } = await connect(env.service, token, DEFAULT_PERSONIO_CREDENTIALS);

      if (allowed) {
        expect(body.data.connectHris.__typename).toBe('ConnectHrisSuccess');
        return;
      }
      expect(body.data).toBeNull();
      expect(body.errors).toHaveLength(1);
      expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(body.errors?.[0]?.message).toBe(`Not allowed: Mutation.connectHris is not available to the ${role} role.`);
      // Personio is not called for a caller who may not connect.
      expect(env.sandbox.control.requests()).toHaveLength(before);
    });
  }

  it('keeps the connection after a failed reconnect', async () => {
    const first = await connectOrFail(env.service, env.adminToken);
    const { body } = await connect(env.service, env.adminToken, { ...DEFAULT_PERSONIO_CREDENTIALS, clientSecret: 'reconnect-wrong-secret-3c4d' });
    expect(body.data.connectHris.__typename).toBe('InvalidCredentials');

    const listed = await env.service.graphql(HRIS_CONNECTIONS, {}, env.adminToken);
    expect(listed.body.data.hrisConnections).toHaveLength(1);
    expect(listed.body.data.hrisConnections[0]).toMatchObject({ id: first.id, status: 'CONNECTED', lastError: null });

    // The stored credentials still work.
    const summary = await exportCandidate(env.service, env.recruiterToken, candidateGlobalId('demo', 'siobhan.obrien@example.com'));
    expect(summary.__typename).toBe('CandidatePartiallyExported');
    expect(env.sandbox.control.employees().some((employee) => employee.email === 'siobhan.obrien@example.com')).toBe(true);
  });

  it('replaces credentials on a successful reconnect', async () => {
    const first = await connectOrFail(env.service, env.adminToken);
    const credentials = addCredential(env.sandbox, EXPORT_RIGHTS);
    const second = await connectOrFail(env.service, env.adminToken, credentials);

    expect(second.id).toBe(first.id);
    const listed = await env.service.graphql(HRIS_CONNECTIONS, {}, env.adminToken);
    expect(listed.body.data.hrisConnections.map((connection: any) => connection.accountLabel)).toEqual([`${credentials.clientId} · acme-gmbh`]);
  });

  it('lists the connection with its report', async () => {
    const before = new Date();
    const connection = await connectOrFail(env.service, env.adminToken);

    for (const role of ['ADMIN', 'RECRUITER', 'HIRING_MANAGER'] satisfies Role[]) {
      const { body } = await env.service.graphql(HRIS_CONNECTIONS, {}, await env.service.tokenFor({ role }));
      expect(body.errors).toBeUndefined();
      const [listed] = body.data.hrisConnections;
      expect(listed).toMatchObject({ id: connection.id, provider: 'personio', status: 'CONNECTED', connectedBy: { email: DEMO_USERS.admin }, lastError: null });
      expect(new Date(listed.lastVerifiedAt).getTime()).toBeGreaterThanOrEqual(before.getTime() - 1_000);
      expect(listed.permissions.find((check: any) => check.key === 'employees:write')).toMatchObject({ status: 'GRANTED', required: true, remediation: null });
      expect(listed.permissions).toHaveLength(12);
    }
  });

  it('re-verifies on checkHrisConnection', async () => {
    const connection = await connectOrFail(env.service, env.adminToken);
    const listed = await env.service.graphql(HRIS_CONNECTIONS, {}, env.adminToken);
    const verifiedAt = listed.body.data.hrisConnections[0].lastVerifiedAt;
    await new Promise((resolve) => setTimeout(resolve, 20));
    const before = env.sandbox.control.requests().length;

    const { body } = await env.service.graphql(CHECK, { id: connection.id }, env.adminToken);
    expect(body.errors).toBeUndefined();
    expect(body.data.checkHrisConnection).toMatchObject({ id: connection.id, status: 'CONNECTED', lastError: null });
    expect(new Date(body.data.checkHrisConnection.lastVerifiedAt).getTime()).toBeGreaterThan(new Date(verifiedAt).getTime());
    const probes = env.sandbox.control.requests().slice(before).map((request) => request.route).sort();
    expect(probes).toEqual(['documentCategories.list', 'employees.attributes', 'employees.list']);
  });

  it('flags a lost right on checkHrisConnection', async () => {
    const connection = await connectOrFail(env.service, env.adminToken);
    // The response Personio sends when the credential lacks Documents: Read (error code 0).
    env.sandbox.control.fail('documentCategories.list', {
      status: 403,
      body: { success: false, error: { code: 0, message: 'personio.core.api.exceptions.api.forbidden.http.exception' } },
    });

    const { body } = await env.service.graphql(CHECK, { id: connection.id }, env.adminToken);
    expect(body.data.checkHrisConnection).toMatchObject({ status: 'NEEDS_ATTENTION', lastError: 'Missing permissions: Documents: Read' });
    expect(body.data.checkHrisConnection.permissions.find((check: any) => check.key === 'documents:read')).toMatchObject({
      status: 'MISSING',
      remediation: expect.stringContaining('tick Documents: Read'),
    });

    // The right is back: the next check clears the flag.
    const again = await env.service.graphql(CHECK, { id: connection.id }, env.adminToken);
    expect(again.body.data.checkHrisConnection).toMatchObject({ status: 'CONNECTED', lastError: null });
  });

  it('flags an unreachable HRIS on checkHrisConnection', async () => {
    const connection = await connectOrFail(env.service, env.adminToken);
    env.sandbox.control.fail('employees.list', { status: 503, times: 2 });

    const { body } = await env.service.graphql(CHECK, { id: connection.id }, env.adminToken);
    expect(body.data.checkHrisConnection.status).toBe('NEEDS_ATTENTION');
    expect(body.data.checkHrisConnection.lastError).toContain('Personio had a server error');
  });

  it('returns null when checking an unknown connection', async () => {
    const { body } = await env.service.graphql(CHECK, { id: 'SHJpc0Nvbm5lY3Rpb246MDAwMDAwMDAtMDAwMC00MDAwLTgwMDAtMDAwMDAwMDAwMDAw' }, env.adminToken);
    expect(body.errors).toBeUndefined();
    expect(body.data.checkHrisConnection).toBeNull();
  });

  it('disconnects', async () => {
    const connection = await connectOrFail(env.service, env.adminToken);

    const first = await env.service.graphql(DISCONNECT, { id: connection.id }, env.adminToken);
    expect(first.body.data.disconnectHris).toEqual({ disconnected: true });
    const listed = await env.service.graphql(HRIS_CONNECTIONS, {}, env.adminToken);
    expect(listed.body.data.hrisConnections).toEqual([]);
    const stored = await env.service.prisma.hrisConnection.findMany();
    expect(stored.map((row) => ({ status: row.status, credentialsCiphertext: row.credentialsCiphertext }))).toContainEqual({
      status: 'DISCONNECTED',
      credentialsCiphertext: null,
    });

    const second = await env.service.graphql(DISCONNECT, { id: connection.id }, env.adminToken);
    expect(second.body.data.disconnectHris).toEqual({ disconnected: false });

    const summary = await exportCandidate(env.service, env.recruiterToken, candidateGlobalId('demo', 'dmitry.ivanov@example.com'));
    expect(summary.__typename).toBe('HrisNotConnected');
  });

  it('lists the Personio provider', async () => {
    const { body } = await env.service.graphql(
      '{ hrisProviders { key displayName capabilities credentialFields { key required secret label } } }',
      {},
      env.adminToken,
    );
    responses.push(JSON.stringify(body));
    expect(body.errors).toBeUndefined();
    const personio = body.data.hrisProviders.find((provider: any) => provider.key === 'personio');
    expect(personio.displayName).toBe('Personio');
    expect(personio.capabilities.sort()).toEqual(['customAttributes', 'documents', 'updateEmployee']);
    expect(personio.credentialFields).toEqual([
      { key: 'clientId', required: true, secret: false, label: 'Client ID' },
      { key: 'clientSecret', required: true, secret: true, label: 'Client secret' },
      { key: 'appId', required: true, secret: false, label: 'Personio subdomain or company URL' },
    ]);
  });

  it('captures debug logs without secrets', () => {
    // The scan above is only meaningful when the service's log lines were captured.
    expect(capturedLogLines.some((line) => JSON.parse(line).level === 20)).toBe(true);
    expect(capturedLogLines.some((line) => line.includes('"msg":"HRIS connected"'))).toBe(true);
    expect(responses.length).toBeGreaterThan(30);
    expect(tokensIssued.size).toBeGreaterThan(0);
    expectNoSecretExposed();
  });
});

describe('connectHris with the HRIS down', () => {
  let service: TestService;
  let stoppedSandbox: RunningSandbox;

  beforeAll(async () => {
    stoppedSandbox = await startPersonioSandbox({ port: 0 });
    await stoppedSandbox.stop();
    service = await startTestService({ env: { PERSONIO_BASE_URL: stoppedSandbox.url, PERSONIO_MAX_RETRIES: '1', LOG_LEVEL: 'debug' } });
  });

  afterAll(async () => {
    await service?.stop();
  });

  it('reports HrisUnavailable', async () => {
    const { body } = await connect(service, await service.tokenFor(DEMO_USERS.admin), DEFAULT_PERSONIO_CREDENTIALS);

    expect(body.data.connectHris).toMatchObject({ __typename: 'HrisUnavailable', timedOut: false });
    expect(body.data.connectHris.message).toContain('Personio request to get an access token failed');
    expect(body.data.connectHris.message).toContain('ECONNREFUSED');
    expectNoSecretExposed();
  });
});
