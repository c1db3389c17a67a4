import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PermissionCheck } from '../../src/hris/index.ts';
import { ACME, type RunningSandbox } from '../../plugins/personio/sandbox/index.ts';
import { connect, expectOk, SANDBOX_CREDENTIALS, startSandbox } from './sandbox-harness.ts';

let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox();
});
afterEach(() => sandbox.control.reset());
afterAll(async () => {
  await sandbox.stop();
});

type Rights = Partial<Record<'employees' | 'attendances' | 'absences' | 'documents' | 'customReports', { read?: boolean; write?: boolean }>>;

const FULL_EXPORT_RIGHTS: Rights = { employees: { read: true, write: true }, documents: { read: true, write: true } };
let credentialCount = 0;

/** Adds a credential with the given rights and returns connection values for it. */
function addCredential(rights: Rights, readableAttributes: string[] | 'all' = 'all') {
  credentialCount += 1;
  const clientId = `narrow-${credentialCount}`;
  sandbox.control.addCredential({ clientId, clientSecret: `secret-${credentialCount}`, companyId: ACME.companyId, rights, readableAttributes });
  return { clientId, clientSecret: `secret-${credentialCount}`, appId: 'acme-gmbh' };
}

function statusOf(permissions: PermissionCheck[], key: string): string | undefined {
  return permissions.find((permission) => permission.key === key)?.status;
}

describe('verify', () => {
  it('grants every permission of the default credential', async () => {
    const { session } = connect(sandbox);
    const report = expectOk(await session.verify());
    const required = report.permissions.filter((permission) => permission.required);
    expect(required.map((permission) => permission.key)).toEqual([
      'employees:read',
      'employees:write',
      'documents:read',
      'documents:write',
      'attribute:email',
      'attribute:first_name',
      'attribute:last_name',
    ]);
    for (const permission of required) {
      expect(permission.status, permission.key).toBe('GRANTED');
      expect(permission.remediation, permission.key).toBeNull();
    }
    expect(report.permissions.filter((permission) => !permission.required).map((permission) => permission.key)).toEqual([
      'attendances:read',
      'attendances:write',
      'absences:read',
      'absences:write',
      'reports.custom:read',
    ]);
  });

  it('sends the expected probe requests', async () => {
    const { session } = connect(sandbox);
    expectOk(await session.verify());
    const routes = sandbox.control.requests().map((request) => request.route);
    expect(routes[0]).toBe('auth');
    expect(routes.slice(1).sort()).toEqual(['documentCategories.list', 'employees.attributes', 'employees.list']);
    expect(sandbox.control.requests({ route: 'employees.list' })[0]?.query).toMatchObject({ limit: '1' });
  });

  it.each([
    ['employees:write', { ...FULL_EXPORT_RIGHTS, employees: { read: true } }, 'Employees: Write'],
    ['documents:write', { ...FULL_EXPORT_RIGHTS, documents: { read: true } }, 'Documents: Write'],
    ['documents:read', { ...FULL_EXPORT_RIGHTS, documents: { write: true } }, 'Documents: Read'],
  ] as const)('reports %s as missing', async (key, rights, tick) => {
    const { session } = connect(sandbox, { credentials: addCredential(rights) });
    const report = expectOk(await session.verify());
    const check = report.permissions.find((permission) => permission.key === key);
    expect(check?.status).toBe('MISSING');
    expect(check?.required).toBe(true);
    expect(check?.remediation).toContain(`tick ${tick}`);
    expect(check?.remediation).toContain('Marketplace > Connected integrations');
    for (const other of report.permissions.filter((permission) => permission.key !== key && permission.required)) {
      expect(other.status, other.key).toBe('GRANTED');
    }
  });

  it('reports missing employee reads and therefore unreadable attributes', async () => {
    const { session } = connect(sandbox, { credentials: addCredential({ employees: { write: true }, documents: { read: true, write: true } }) });
    const report = expectOk(await session.verify());
    expect(statusOf(report.permissions, 'employees:read')).toBe('MISSING');
    expect(statusOf(report.permissions, 'employees:write')).toBe('GRANTED');
    expect(statusOf(report.permissions, 'attribute:email')).toBe('MISSING');
  });

  it('reports optional rights that are not granted as warnings', async () => {
    const { session } = connect(sandbox, { credentials: addCredential(FULL_EXPORT_RIGHTS) });
    const report = expectOk(await session.verify());
    const optional = report.permissions.filter((permission) => !permission.required);
    expect(optional.every((permission) => permission.status === 'MISSING')).toBe(true);
    expect(optional[0]?.remediation).toContain('Exports do not need this right');
  });

  it('reports an unreadable email attribute', async () => {
    const credentials = addCredential(FULL_EXPORT_RIGHTS, ['first_name', 'last_name', 'department']);
    const { session } = connect(sandbox, { credentials });
    const report = expectOk(await session.verify());
    expect(statusOf(report.permissions, 'attribute:email')).toBe('MISSING');
    expect(statusOf(report.permissions, 'attribute:first_name')).toBe('GRANTED');
    const email = report.permissions.find((permission) => permission.key === 'attribute:email');
    expect(email?.remediation).toContain('add "Email" to the readable employee attributes');
  });

  it('marks write rights unverified when the token has no scope', async () => {
    const auth = await fetch(`${sandbox.url}/v1/auth`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ client_id: SANDBOX_CREDENTIALS.clientId, client_secret: SANDBOX_CREDENTIALS.clientSecret }),
    });
    const { data } = (await auth.json()) as { data: { token: string } };
    // A 200 auth response without `scope` and `expires_in`, as older Personio responses looked.
    sandbox.control.respondSchemaViolation('auth', { body: { success: true, data: { token: data.token } } });

    const report = expectOk(await connect(sandbox).session.verify());
    expect(statusOf(report.permissions, 'employees:read')).toBe('GRANTED');
    expect(statusOf(report.permissions, 'employees:write')).toBe('UNVERIFIED');
    expect(statusOf(report.permissions, 'documents:write')).toBe('UNVERIFIED');
    expect(statusOf(report.permissions, 'absences:read')).toBe('UNVERIFIED');
    const write = report.permissions.find((permission) => permission.key === 'employees:write');
    expect(write?.remediation).toContain('tick Employees: Write');
  });

  it('fails with INVALID_CREDENTIALS for a wrong secret', async () => {
    const { session } = connect(sandbox, { credentials: { ...SANDBOX_CREDENTIALS, clientSecret: 'wrong-secret' } });
    const result = await session.verify();
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.failure.kind).toBe('INVALID_CREDENTIALS');
      expect(result.failure.message).not.toContain('wrong-secret');
    }
  });

  it.each([400, 401, 403] as const)('fails with INVALID_CREDENTIALS for an unknown client (HTTP %i)', async (status) => {
    sandbox.control.setBehaviour({ wrongCredentialsStatus: status });
    const { session } = connect(sandbox, { credentials: { ...SANDBOX_CREDENTIALS, clientId: 'nobody' } });
    const result = await session.verify();
    expect(result).toMatchObject({ ok: false, failure: { kind: 'INVALID_CREDENTIALS' } });
  });

  it('fails with RATE_LIMITED when the auth endpoint is cooling down', async () => {
    sandbox.control.setRateLimits({ auth: { limit: 1, windowMs: 60_000, cooldownMs: 60_000 } });
    const first = connect(sandbox);
    expectOk(await first.session.verify());
    const second = connect(sandbox);
    const result = await second.session.verify();
    expect(result.ok).toBe(false);
    if (!result.ok && result.failure.kind === 'RATE_LIMITED') {
      expect(result.failure.retryAfterSeconds).toBeGreaterThan(30);
    } else {
      expect.fail(`Expected RATE_LIMITED, got ${JSON.stringify(result)}`);
    }
  });

  it('assumes the documented 60-second cool-down when the auth 429 has no Retry-After', async () => {
    sandbox.control.fail('auth', { status: 429 });
    const result = await connect(sandbox).session.verify();
    expect(result).toMatchObject({ ok: false, failure: { kind: 'RATE_LIMITED', retryAfterSeconds: 60 } });
  });

  it('fails with UNAVAILABLE when Personio is slower than the timeout', async () => {
    sandbox.control.setLatency(400);
    const { session } = connect(sandbox, { variables: { PERSONIO_TIMEOUT_MS: '150', PERSONIO_MAX_RETRIES: '1' } });
    const started = performance.now();
    const result = await session.verify();
    expect(result).toMatchObject({ ok: false, failure: { kind: 'UNAVAILABLE', timedOut: true } });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(sandbox.control.requests({ route: 'auth' })).toHaveLength(2);
  });

  it('fails with UNAVAILABLE when the sandbox is down', async () => {
    const stopped = await startSandbox();
    await stopped.stop();
    const { session } = connect(stopped);
    const result = await session.verify();
    expect(result).toMatchObject({ ok: false, failure: { kind: 'UNAVAILABLE', timedOut: false } });
  });
});
