import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HrisResult } from '../../src/hris/index.ts';
import { ACME, type RunningSandbox } from '../../plugins/personio/sandbox/index.ts';
import { connect, startSandbox } from './sandbox-harness.ts';

let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox.stop();
});

const SECRET = 'very-secret-value-4711';

describe('secrets', () => {
  it('never appear in log lines or failure messages', async () => {
    sandbox.control.addCredential({
      clientId: 'leak-check',
      clientSecret: SECRET,
      companyId: ACME.companyId,
      rights: { employees: { read: true } },
    });
    const credentials = { clientId: 'leak-check', clientSecret: SECRET, appId: 'acme-gmbh' };
    const { session, openSession, logs } = connect(sandbox, { credentials, variables: { PERSONIO_TIMEOUT_MS: '200', PERSONIO_MAX_RETRIES: '1' } });
    const results: HrisResult<unknown>[] = [];

    results.push(await session.verify());
    const reference = await session.referenceData();
    results.push(reference);
    sandbox.control.fail('employees.list', { status: 429 });
    sandbox.control.invalidateTokens();
    results.push(await session.findEmployeeByEmail('katrin.vogel@acme.example'));
    sandbox.control.resetConnection('employees.list', { times: 3 });
    results.push(await session.findEmployeeByEmail('katrin.vogel@acme.example'));
    if (reference.ok) {
      results.push(await session.createEmployee({ firstName: 'A', lastName: 'B', email: 'a.b@acme.example' }, reference.value));
    }
    sandbox.control.setLatency(400);
    results.push(await session.findEmployeeByEmail('katrin.vogel@acme.example'));
    sandbox.control.setLatency(0);
    results.push(await openSession({ ...credentials, clientSecret: `${SECRET}-wrong` }).verify());

    const tokens = sandbox.control.tokens().map((token) => token.token);
    expect(tokens.length).toBeGreaterThan(0);
    expect(results.some((result) => !result.ok)).toBe(true);
    expect(logs.some((line) => line.message === 'Retrying Personio request')).toBe(true);

    const texts = [...logs.map((line) => JSON.stringify(line)), ...results.map((result) => JSON.stringify(result))];
    for (const text of texts) {
      expect(text).not.toContain(SECRET);
      for (const token of tokens) {
        expect(text).not.toContain(token);
      }
      expect(text).not.toMatch(/papi-[A-Za-z0-9_-]{20,}/);
    }
  });
});
