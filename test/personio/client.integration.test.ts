import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../plugins/personio/http/clock.ts';
import { personioPlugin } from '../../plugins/personio/index.ts';
import type { RunningSandbox } from '../../plugins/personio/sandbox/index.ts';
import { VirtualClock } from './helpers.ts';
import { connect, expectOk, SANDBOX_CREDENTIALS, startSandbox } from './sandbox-harness.ts';

let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox();
});
afterEach(() => sandbox.control.reset());
afterAll(async () => {
  await sandbox.stop();
});

const KATRIN = 'katrin.vogel@acme.example';

describe('identification headers', () => {
  it.each([
    ['acme-gmbh'],
    ['https://acme-gmbh.personio.com'],
    ['acme-gmbh.personio.de/staff/details/1'],
  ])('sends X-Personio-App-ID ACME_GMBH for app id %j', async (appId) => {
    const { session } = connect(sandbox, { credentials: { ...SANDBOX_CREDENTIALS, appId } });
    expectOk(await session.findEmployeeByEmail(KATRIN));
    const requests = sandbox.control.requests();
    expect(requests.length).toBeGreaterThanOrEqual(2);
    for (const request of requests) {
      expect(request.appId).toEqual({ value: 'ACME_GMBH', headerName: 'X-Personio-App-ID', upperSnakeCase: true });
      expect(request.partnerId).toMatchObject({ value: 'HRIS_EXPORT', upperSnakeCase: true });
    }
  });

  it('sends the configured partner id', async () => {
    const { session } = connect(sandbox, { variables: { PERSONIO_PARTNER_ID: 'ACME_ATS' } });
    expectOk(await session.findEmployeeByEmail(KATRIN));
    expect(sandbox.control.requests().every((request) => request.partnerId?.value === 'ACME_ATS')).toBe(true);
  });

  it('rejects a malformed app id before any request', () => {
    const result = personioPlugin.manifest.credentials.safeParse({ ...SANDBOX_CREDENTIALS, appId: 'https://acme.example.com' });
    expect(result.success).toBe(false);
    expect(sandbox.control.requests()).toHaveLength(0);
  });
});

describe('token cache', () => {
  it('shares one auth request between concurrent calls and sessions', async () => {
    const connection = connect(sandbox);
    const other = connection.openSession();
    const lookups = Array.from({ length: 8 }, (_, index) => (index % 2 === 0 ? connection.session : other).findEmployeeByEmail(KATRIN));
    const results = await Promise.all(lookups);
    for (const result of results) {
      expect(result).toMatchObject({ ok: true, value: { employeeId: '1001' } });
    }
    expect(sandbox.control.requests({ route: 'auth' })).toHaveLength(1);
  });

  it('keeps separate tokens for separate secrets', async () => {
    const connection = connect(sandbox);
    expectOk(await connection.session.findEmployeeByEmail(KATRIN));
    const wrong = connection.openSession({ ...SANDBOX_CREDENTIALS, clientSecret: 'another-secret' });
    const result = await wrong.findEmployeeByEmail(KATRIN);
    expect(result).toMatchObject({ ok: false, failure: { kind: 'INVALID_CREDENTIALS' } });
    expect(sandbox.control.requests({ route: 'auth' })).toHaveLength(2);
  });

  it('requests a new token once after the token was revoked', async () => {
    const { session, logs } = connect(sandbox);
    expectOk(await session.findEmployeeByEmail(KATRIN));
    sandbox.control.invalidateTokens();
    expectOk(await session.findEmployeeByEmail(KATRIN));
    expect(sandbox.control.requests({ route: 'auth' })).toHaveLength(2);
    expect(sandbox.control.requests({ route: 'employees.list' }).map((request) => request.response)).toEqual([
      { outcome: 'answered', status: 200 },
      { outcome: 'answered', status: 401 },
      { outcome: 'answered', status: 200 },
    ]);
    expect(logs.some((line) => line.message === 'Personio rejected the access token; requesting a new one')).toBe(true);
  });

  it('refreshes after revocation reported with 403', async () => {
    sandbox.control.setBehaviour({ invalidTokenStatus: 403 });
    const { session } = connect(sandbox);
    expectOk(await session.findEmployeeByEmail(KATRIN));
    sandbox.control.invalidateTokensAfter(1);
    expectOk(await session.findEmployeeByEmail(KATRIN));
    expectOk(await session.findEmployeeByEmail(KATRIN));
    expect(sandbox.control.requests({ route: 'auth' })).toHaveLength(2);
  });

  it('requests a new token shortly before expiry', async () => {
    const clock = new VirtualClock();
    const { session } = connect(sandbox, { clock });
    expectOk(await session.findEmployeeByEmail(KATRIN));
    clock.advance(86_400_000 - 60_000);
    expectOk(await session.findEmployeeByEmail(KATRIN));
    expect(sandbox.control.requests({ route: 'auth' })).toHaveLength(2);
  });
});

describe('retries', () => {
  it('waits for Retry-After after a 429', async () => {
    const { session, clock, logs } = connect(sandbox);
    sandbox.control.fail('employees.list', { status: 429, headers: { 'retry-after': '3' } });
    const result = await session.findEmployeeByEmail(KATRIN);
    expect(result).toMatchObject({ ok: true, value: { employeeId: '1001' } });
    expect((clock as VirtualClock).sleeps).toContain(3000);
    const retry = logs.find((line) => line.message === 'Retrying Personio request');
    expect(retry?.level).toBe('warn');
    expect(retry?.fields).toMatchObject({ method: 'GET', path: '/v1/company/employees', status: 429, retry: 1, delayMs: 3000 });
  });

  it('backs off from one second after a 429 without Retry-After', async () => {
    const { session, clock } = connect(sandbox);
    sandbox.control.fail('employees.list', { status: 429, times: 2 });
    expectOk(await session.findEmployeeByEmail(KATRIN));
    const sleeps = (clock as VirtualClock).sleeps;
    expect(sleeps).toHaveLength(2);
    expect(sleeps[0]).toBeGreaterThanOrEqual(1000);
    expect(sleeps[1]).toBeGreaterThanOrEqual(2000);
  });

  it('reports RATE_LIMITED when retries run out', async () => {
    const { session } = connect(sandbox, { variables: { PERSONIO_MAX_RETRIES: '2' } });
    sandbox.control.fail('employees.list', { status: 429, times: 5, headers: { 'retry-after': '4' } });
    const result = await session.findEmployeeByEmail(KATRIN);
    expect(result).toMatchObject({ ok: false, failure: { kind: 'RATE_LIMITED', retryAfterSeconds: 4 } });
    expect(sandbox.control.requests({ route: 'employees.list' })).toHaveLength(3);
  });

  it.each([
    ['a 500', () => sandbox.control.fail('employees.list', { status: 500 })],
    ['a 503 HTML page', () => sandbox.control.fail('employees.list', { status: 503 })],
    ['a reset connection', () => sandbox.control.resetConnection('employees.list')],
    ['malformed JSON', () => sandbox.control.respondMalformedJson('employees.list')],
    ['a schema violation', () => sandbox.control.respondSchemaViolation('employees.list')],
  ])('repeats a read after %s', async (_name, injectFault) => {
    injectFault();
    const { session } = connect(sandbox);
    const result = await session.findEmployeeByEmail(KATRIN);
    expect(result).toMatchObject({ ok: true, value: { employeeId: '1001' } });
    expect(sandbox.control.requests({ route: 'employees.list' })).toHaveLength(2);
  });

  it('reports UNAVAILABLE when a read keeps failing', async () => {
    sandbox.control.fail('employees.list', { status: 502, times: 10 });
    const { session } = connect(sandbox, { variables: { PERSONIO_MAX_RETRIES: '2' } });
    const result = await session.findEmployeeByEmail(KATRIN);
    expect(result).toMatchObject({ ok: false, failure: { kind: 'UNAVAILABLE', timedOut: false } });
    expect(sandbox.control.requests({ route: 'employees.list' })).toHaveLength(3);
  });

  it('paces a burst of reads so Personio answers none with 429', async () => {
    const { session } = connect(sandbox, { clock: systemClock });
    const results = await Promise.all(Array.from({ length: 20 }, () => session.findEmployeeByEmail(KATRIN)));
    expect(results.every((result) => result.ok)).toBe(true);
    const statuses = sandbox.control.requests({ route: 'employees.list' }).map((request) => request.response);
    expect(statuses).toEqual(Array.from({ length: 20 }, () => ({ outcome: 'answered', status: 200 })));
  });
});
