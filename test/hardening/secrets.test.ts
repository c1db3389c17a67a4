import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { installedPlugins } from '../../plugins/index.ts';
import { ACME, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, startPersonioSandbox, type RunningSandbox } from '../../plugins/personio/sandbox/index.ts';
import { loadConfig } from '../../src/config.ts';
import { createPrismaClient, EMBEDDED_POOL_SIZE, type PrismaClient } from '../../src/db/client.ts';
import { createLogger } from '../../src/logger.ts';
import { createService, type RunningService } from '../../src/server.ts';
import { capturedLogLines } from '../connections/log-capture.ts';
import { BATCH_FIELDS, createHiredCandidates, EXPORT_SUMMARY_FIELDS, startEnvironment, type Environment } from '../exports/support.ts';
import { FAULT_KINDS, injectFault } from '../fixtures/sandbox-faults.ts';
import { globalId } from '../helpers/seed-facts.ts';
import { TEST_ENCRYPTION_KEY, TEST_JWT_SECRET, type TestService } from '../helpers/service.ts';

// pino writes through sonic-boom straight to file descriptor 1; this sends the lines of every
// service logger in this file to capturedLogLines, with src/logger.ts's options (redaction
// included) unchanged.
vi.mock('pino', async (importOriginal) => {
  const actual = await importOriginal<typeof import('pino')>();
  const { captureStream } = await import('../connections/log-capture.ts');
  const wrapped = Object.assign((options?: object) => actual.default(options ?? {}, captureStream()), actual.default);
  return { ...actual, default: wrapped };
});

/**
 * Every HRIS failure path, with the service logging at trace level: the client secrets sent to
 * Personio and the access tokens it issued must appear in no log line, no GraphQL response and
 * no stored row (ledger, batch items, connections). Key rotation keeps connections usable.
 */

const repositoryRoot = path.resolve(import.meta.dirname, '../..');
const EXPORT_RIGHTS = { employees: { read: true, write: true }, documents: { read: true, write: true } };
const MAIN_CREDENTIAL = { clientId: 'papi-secrets-main', clientSecret: 'secrets-main-7f3e9a1c5b2d4e6f', appId: 'acme-gmbh' };
const NEW_ENCRYPTION_KEY = Buffer.alloc(32, 0x3c).toString('base64');

const CONNECT = `mutation ($input: ConnectHrisInput!) {
  connectHris(input: $input) {
    __typename
    ... on ConnectHrisSuccess { connection { id status lastError permissions { key status remediation } } }
    ... on InvalidCredentials { message }
    ... on MissingPermissions { message permissions { key remediation } }
    ... on HrisUnavailable { message }
    ... on RateLimited { message retryAfterSeconds }
    ... on InvalidInput { message problems { field message } }
  }
}`;
const EXPORT = `mutation ($input: ExportCandidateToHrisInput!) { exportCandidateToHris(input: $input) { ${EXPORT_SUMMARY_FIELDS} } }`;
const EXPORT_MANY = `mutation ($input: ExportCandidatesToHrisInput!) {
  exportCandidatesToHris(input: $input) { __typename ... on HrisExportBatch { ${BATCH_FIELDS} } }
}`;
const CHECK = `mutation ($id: ID!) { checkHrisConnection(id: $id) { id status lastError } }`;
const CONNECTIONS = `{ hrisConnections { id status lastError accountLabel permissions { key status remediation } } }`;
const HISTORY = `{ hrisExportHistory(first: 100) { edges { node { id } } } }`;

/** Text of every GraphQL response of this file. */
const responses: string[] = [];
/** Client secrets and access tokens that reached a sandbox, collected before any reset drops them. */
const secretsSent = new Set<string>();
const prismaClients: PrismaClient[] = [];

function keyId(base64Key: string): string {
  return createHash('sha256').update(Buffer.from(base64Key, 'base64')).digest('hex').slice(0, 8);
}

/** Sends a GraphQL request through a service and records the response text. */
async function call(app: RunningService['app'] | TestService['app'], token: string, query: string, variables: object = {}): Promise<any> {
  const response = await app.fetch('http://test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  responses.push(text);
  return JSON.parse(text);
}

/**
 * Adds to secretsSent the client secrets and bearer tokens that reached a sandbox: read from its
 * recorded requests (auth bodies and Authorization headers) and from its issued tokens.
 */
function collectSecrets(sandbox: RunningSandbox): void {
  for (const request of sandbox.control.requests()) {
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers['authorization'] ?? '')?.[1];
    if (bearer) secretsSent.add(bearer);
    if (request.body.kind === 'json' || request.body.kind === 'form') {
      const secret = (request.body.value as { client_secret?: unknown }).client_secret;
      if (typeof secret === 'string') secretsSent.add(secret);
    }
  }
  for (const issued of sandbox.control.tokens()) secretsSent.add(issued.token);
}

function expectNoSecretIn(texts: readonly string[]): void {
  for (const secret of secretsSent) {
    for (const text of texts) expect(text).not.toContain(secret);
  }
}

/** Reads every stored row that an HRIS failure can write to, as JSON text. */
async function storedRows(prisma: PrismaClient): Promise<string[]> {
  const [attempts, ledger, items, connections] = await Promise.all([
    prisma.hrisExportAttempt.findMany(),
    prisma.hrisExport.findMany(),
    prisma.hrisExportBatchItem.findMany(),
    prisma.hrisConnection.findMany(),
  ]);
  return [...attempts, ...ledger, ...items, ...connections].map((row) => JSON.stringify(row));
}

/** Starts a second service on the database of `base`, with its own encryption keys. */
async function serviceOnSameDatabase(base: TestService, sandboxUrl: string, keys: { current: string; previous?: string }): Promise<RunningService> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'hris-secrets-'));
  const config = loadConfig(
    {
      NODE_ENV: 'test',
      LOG_LEVEL: 'trace',
      JWT_SECRET: TEST_JWT_SECRET,
      ENCRYPTION_KEY: keys.current,
      ...(keys.previous ? { ENCRYPTION_PREVIOUS_KEYS: keys.previous } : {}),
      DATA_DIR: dataDir,
      SEED_DEMO_DATA: 'false',
      PERSONIO_BASE_URL: sandboxUrl,
    },
    installedPlugins.map((plugin) => ({ key: plugin.manifest.key, schema: plugin.settingsSchema })),
  );
  const embedded = !process.env.DATABASE_URL;
  const prisma = createPrismaClient(base.url, embedded ? { maxConnections: EMBEDDED_POOL_SIZE } : {});
  prismaClients.push(prisma);
  const service = await createService({
    config,
    logger: createLogger('trace'),
    plugins: installedPlugins,
    database: { kind: embedded ? 'embedded' : 'postgresql', url: base.url, prisma, close: () => prisma.$disconnect() },
  });
  return {
    ...service,
    async close() {
      await service.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function runKeyRotation(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'npm',
      ['run', '--silent', 'keys:rotate'],
      { cwd: repositoryRoot, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

describe('secrets on HRIS failure paths', () => {
  let env: Environment;
  let down: Environment;
  let credentialCount = 0;

  /** Adds a sandbox credential of Acme with a unique secret, so its first connect calls /v1/auth. */
  function newCredential(rights: object = EXPORT_RIGHTS) {
    credentialCount += 1;
    const credential = { clientId: `papi-secrets-${credentialCount}`, clientSecret: `secrets-${credentialCount}-a9b8c7d6e5f4`, appId: 'acme-gmbh' };
    env.sandbox.control.addCredential({ clientId: credential.clientId, clientSecret: credential.clientSecret, companyId: ACME.companyId, rights });
    return credential;
  }

  const connect = (credential: object, target: Environment = env) => call(target.service.app, target.adminToken, CONNECT, { input: { personio: credential } });
  const connectMain = async () => {
    const result = await connect(MAIN_CREDENTIAL);
    expect(result.data.connectHris.__typename).toBe('ConnectHrisSuccess');
    return result.data.connectHris.connection.id as string;
  };
  const exportOne = (candidateId: string, target: Environment = env) => call(target.service.app, target.recruiterToken, EXPORT, { input: { candidateId } });
  const newHire = async (prefix: string, target: Environment = env) => (await createHiredCandidates(target.service.prisma, { count: 1, prefix }))[0]!;

  beforeAll(async () => {
    capturedLogLines.length = 0;
    const variables = { LOG_LEVEL: 'trace', PERSONIO_TIMEOUT_MS: '500', PERSONIO_MAX_RETRIES: '1' };
    env = await startEnvironment({ env: variables });
    env.sandbox.control.addCredential({ ...MAIN_CREDENTIAL, companyId: ACME.companyId, rights: EXPORT_RIGHTS });

    // A service whose Personio stops responding after it connected.
    down = await startEnvironment({ env: variables });
    expect((await connect({ clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET, appId: 'acme-gmbh' }, down)).data.connectHris.__typename).toBe('ConnectHrisSuccess');
  });

  afterAll(async () => {
    for (const prisma of prismaClients) await prisma.$disconnect().catch(() => undefined);
    await env?.stop();
    // The test stopped this environment's sandbox already.
    await down?.service.stop();
  });

  afterEach(() => {
    collectSecrets(env.sandbox);
    env.sandbox.control.clearFaults();
  });

  it('connect: wrong secret, missing rights, unreadable email', async () => {
    const credential = newCredential();
    expect((await connect({ ...credential, clientSecret: `${credential.clientSecret}-wrong` })).data.connectHris.__typename).toBe('InvalidCredentials');
    expect((await connect(newCredential({ employees: { read: true, write: false } }))).data.connectHris.__typename).toBe('MissingPermissions');
    const unreadable = newCredential();
    collectSecrets(env.sandbox);
    env.sandbox.control.reset();
    env.sandbox.control.addCredential({ ...MAIN_CREDENTIAL, companyId: ACME.companyId, rights: EXPORT_RIGHTS });
    env.sandbox.control.addCredential({ clientId: unreadable.clientId, clientSecret: unreadable.clientSecret, companyId: ACME.companyId, rights: EXPORT_RIGHTS, readableAttributes: ['first_name'] });
    expect((await connect(unreadable)).data.connectHris.__typename).toBe('MissingPermissions');
  });

  for (const kind of FAULT_KINDS) {
    it(`connect: ${kind}`, async () => {
      const credential = newCredential();
      injectFault(env.sandbox, kind, '*');
      const result = await connect(credential);
      expect(result.errors).toBeUndefined();
      expect(result.data.connectHris.__typename).toEqual(expect.any(String));
    });
  }

  for (const kind of FAULT_KINDS) {
    it(`single and bulk export: ${kind}`, async () => {
      await connectMain();
      const single = await newHire(`secrets-single-${credentialCount}-${kind.replace(/\W+/g, '-')}`);
      injectFault(env.sandbox, kind, 'employees.create');
      expect((await exportOne(single.globalId)).errors).toBeUndefined();
      env.sandbox.control.clearFaults();

      const hires = await createHiredCandidates(env.service.prisma, { count: 2, prefix: `secrets-bulk-${kind.replace(/\W+/g, '-')}` });
      injectFault(env.sandbox, kind, '*');
      const batch = await call(env.service.app, env.recruiterToken, EXPORT_MANY, { input: { candidateIds: hires.map((hire) => hire.globalId) } });
      expect(batch.errors).toBeUndefined();
      expect(batch.data.exportCandidatesToHris.status).toBe('COMPLETED');
    }, 60_000);
  }

  it('export: credentials revoked, missing write right', async () => {
    const connectionId = await connectMain();
    env.sandbox.control.invalidateTokens();
    env.sandbox.control.fail('auth', { status: 401, times: 20 });
    expect((await exportOne((await newHire('secrets-revoked')).globalId)).data.exportCandidateToHris.__typename).toBe('InvalidCredentials');
    // The failed check stores its reason on the connection.
    expect((await call(env.service.app, env.adminToken, CHECK, { id: connectionId })).data.checkHrisConnection.status).toBe('NEEDS_ATTENTION');
    env.sandbox.control.clearFaults();

    env.sandbox.control.fail('employees.create', { status: 403, body: { success: false, error: { code: 0, message: 'personio.core.api.exceptions.api.forbidden.http.exception' } } });
    expect((await exportOne((await newHire('secrets-forbidden')).globalId)).data.exportCandidateToHris.__typename).toBe('MissingPermission');
  });

  it('connect and export: Personio unreachable', async () => {
    collectSecrets(down.sandbox);
    await down.sandbox.stop();
    const connected = await connect({ clientId: 'papi-unreachable', clientSecret: 'unreachable-secret-42d1e0', appId: 'acme-gmbh' }, down);
    expect(connected.data.connectHris.__typename).toBe('HrisUnavailable');
    const exported = await exportOne((await newHire('secrets-unreachable', down)).globalId, down);
    expect(exported.data.exportCandidateToHris.__typename).toBe('HrisUnavailable');
    const { data } = await call(down.service.app, down.adminToken, CONNECTIONS);
    await call(down.service.app, down.adminToken, CHECK, { id: data.hrisConnections[0].id });
  });

  it('no secret or token in logs, responses or stored rows', async () => {
    await call(env.service.app, env.adminToken, CONNECTIONS);
    await call(env.service.app, env.adminToken, HISTORY);
    collectSecrets(env.sandbox);
    for (const secret of [MAIN_CREDENTIAL.clientSecret, DEFAULT_CLIENT_SECRET, 'unreachable-secret-42d1e0']) secretsSent.add(secret);
    // The scan is meaningful only if secrets, tokens, logs and failures were all produced.
    expect([...secretsSent].filter((secret) => secret.startsWith('papi-')).length).toBeGreaterThan(2);
    expect(secretsSent.size).toBeGreaterThan(FAULT_KINDS.length);
    expect(capturedLogLines.some((line) => line.includes('"level":20'))).toBe(true);
    expect(capturedLogLines.some((line) => line.includes('Retrying Personio request'))).toBe(true);
    const rows = [...(await storedRows(env.service.prisma)), ...(await storedRows(down.service.prisma))];
    expect(rows.some((row) => row.includes('HRIS_INVALID_CREDENTIALS'))).toBe(true);

    expectNoSecretIn(capturedLogLines);
    expectNoSecretIn(responses);
    expectNoSecretIn(rows);
  });
});

describe('encryption key rotation', () => {
  let env: Environment;
  const started: RunningService[] = [];

  beforeAll(async () => {
    env = await startEnvironment({ env: { LOG_LEVEL: 'trace' } });
    const { data } = await call(env.service.app, env.adminToken, CONNECT, {
      input: { personio: { clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET, appId: 'acme-gmbh' } },
    });
    expect(data.connectHris.__typename).toBe('ConnectHrisSuccess');
  });

  afterAll(async () => {
    for (const service of started) await service.close();
    for (const prisma of prismaClients) await prisma.$disconnect().catch(() => undefined);
    await env?.stop();
  });

  async function start(keys: { current: string; previous?: string }) {
    const service = await serviceOnSameDatabase(env.service, env.sandbox.url, keys);
    started.push(service);
    return service;
  }

  const exportWith = async (service: RunningService, prefix: string) => {
    const [hire] = await createHiredCandidates(env.service.prisma, { count: 1, prefix });
    const { data } = await call(service.app, env.recruiterToken, EXPORT, { input: { candidateId: hire!.globalId } });
    return data.exportCandidateToHris;
  };

  it('stores the secret encrypted under the key id', async () => {
    const connection = await env.service.prisma.hrisConnection.findFirstOrThrow({ where: { status: 'CONNECTED' } });
    expect(connection.encryptionKeyId).toBe(keyId(TEST_ENCRYPTION_KEY));
    expect(connection.credentialsCiphertext).toMatch(new RegExp(`^v1:${keyId(TEST_ENCRYPTION_KEY)}:`));
    expect(connection.credentialsCiphertext).not.toContain(DEFAULT_CLIENT_SECRET);
    expect(connection.credentialsCiphertext).not.toContain(Buffer.from(DEFAULT_CLIENT_SECRET).toString('base64'));
  });

  it('reads old connections with the old key in ENCRYPTION_PREVIOUS_KEYS', async () => {
    const service = await start({ current: NEW_ENCRYPTION_KEY, previous: TEST_ENCRYPTION_KEY });
    expect((await exportWith(service, 'rotation-previous')).__typename).toBe('CandidatePartiallyExported');
  });

  it('reports credentials it cannot decrypt without the old key', async () => {
    const service = await start({ current: NEW_ENCRYPTION_KEY });
    const summary = await exportWith(service, 'rotation-missing-key');
    expect(summary).toEqual({ __typename: 'HrisNotConnected', message: 'The stored HRIS credentials cannot be used; an admin must reconnect the HRIS.' });
    const connection = await env.service.prisma.hrisConnection.findFirstOrThrow({ where: { status: { not: 'DISCONNECTED' } } });
    const { data } = await call(service.app, env.adminToken, CHECK, { id: globalId('HrisConnection', connection.id) });
    expect(data.checkHrisConnection).toMatchObject({
      status: 'NEEDS_ATTENTION',
      lastError: 'Stored credentials cannot be decrypted with the configured keys; reconnect the HRIS.',
    });
  });

  it('keys:rotate moves connections to the new key', async () => {
    const result = await runKeyRotation({ DATABASE_URL: env.service.url, ENCRYPTION_KEY: NEW_ENCRYPTION_KEY, ENCRYPTION_PREVIOUS_KEYS: TEST_ENCRYPTION_KEY });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`Re-encrypted the credentials of 1 connection(s) with the current key ${keyId(NEW_ENCRYPTION_KEY)}.\n`);
    const connection = await env.service.prisma.hrisConnection.findFirstOrThrow({ where: { status: { not: 'DISCONNECTED' } } });
    expect(connection.encryptionKeyId).toBe(keyId(NEW_ENCRYPTION_KEY));

    // Only the new key is configured now, and the connection works again after a check.
    const service = await start({ current: NEW_ENCRYPTION_KEY });
    const { data } = await call(service.app, env.adminToken, CHECK, { id: globalId('HrisConnection', connection.id) });
    expect(data.checkHrisConnection).toMatchObject({ status: 'CONNECTED', lastError: null });
    expect((await exportWith(service, 'rotation-done')).__typename).toBe('CandidatePartiallyExported');
    // A service with only the old key can no longer read it.
    const oldKeyOnly = await start({ current: TEST_ENCRYPTION_KEY });
    expect((await exportWith(oldKeyOnly, 'rotation-old-only')).__typename).toBe('HrisNotConnected');
  });

  it('no secret in logs, responses or rows during rotation', async () => {
    collectSecrets(env.sandbox);
    secretsSent.add(DEFAULT_CLIENT_SECRET);
    expect(secretsSent.size).toBeGreaterThan(1);
    expectNoSecretIn(capturedLogLines);
    expectNoSecretIn(responses);
    expectNoSecretIn(await storedRows(env.service.prisma));
  });
});
