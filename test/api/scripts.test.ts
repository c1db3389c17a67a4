import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, startPersonioSandbox, type RunningSandbox } from '../../plugins/personio/sandbox/index.ts';
import { createTokenVerifier } from '../../src/auth/jwt.ts';
import { seedOrganizationId, seedUserId } from '../../src/db/seed-data.ts';
import { startTestService, TEST_ENCRYPTION_KEY, TEST_JWT_SECRET, type TestService } from '../helpers/service.ts';

// Runs the npm scripts as a user would: separate processes, configured by environment
// variables, against the test file's own database.

const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));
const tsx = path.join(repositoryRoot, 'node_modules/tsx/dist/cli.mjs');
const NEW_ENCRYPTION_KEY = Buffer.alloc(32, 0x5a).toString('base64');

interface ScriptResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs scripts/<name> with only the given variables (and PATH) in its environment. */
function runScript(name: string, args: readonly string[], env: Record<string, string>): Promise<ScriptResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [tsx, path.join('scripts', name), ...args],
      { cwd: repositoryRoot, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        let code = 0;
        if (error) code = typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

function keyId(base64Key: string): string {
  return createHash('sha256').update(Buffer.from(base64Key, 'base64')).digest('hex').slice(0, 8);
}

describe('scripts', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'hris-scripts-'));
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  describe('token', () => {
    let service: TestService;

    beforeAll(async () => {
      service = await startTestService();
    });

    afterAll(async () => {
      await service?.stop();
    });

    it('prints only the token, which the service accepts', async () => {
      const result = await runScript('token.ts', ['--role', 'ADMIN'], { DATABASE_URL: service.url, JWT_SECRET: TEST_JWT_SECRET });
      expect(result.stderr).toContain('Amara Okafor');
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
      const { body } = await service.graphql('{ viewer { role organization { slug } } }', {}, result.stdout.trim());
      expect(body.data.viewer).toEqual({ role: 'ADMIN', organization: { slug: 'demo' } });
    });

    it('looks up --email and --org in the database', async () => {
      const result = await runScript('token.ts', ['--email', 'MARCUS.REED@globex.example', '--expires', '30m'], {
        DATABASE_URL: service.url,
        JWT_SECRET: TEST_JWT_SECRET,
      });
      expect(result.code).toBe(0);
      const claims = decodeJwt(result.stdout.trim());
      expect(claims.sub).toBe(seedUserId('globex', 'marcus.reed@globex.example'));
      expect(claims['org']).toBe(seedOrganizationId('globex'));
      expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(30 * 60);
    });

    it('without DATABASE_URL signs a seeded user with the development secret', async () => {
      const result = await runScript('token.ts', ['--role', 'RECRUITER', '--org', 'globex'], { DATA_DIR: dataDir });
      expect(result.code).toBe(0);
      const secrets = JSON.parse(await readFile(path.join(dataDir, 'secrets.json'), 'utf8')) as { jwtSecret: string };
      const identity = await createTokenVerifier({ secret: secrets.jwtSecret })(result.stdout.trim());
      expect(identity).toEqual({ userId: seedUserId('globex', 'aisha.khan@globex.example'), organizationId: seedOrganizationId('globex') });
    });

    it('rejects an unknown role with usage help', async () => {
      const result = await runScript('token.ts', ['--role', 'OWNER'], { DATA_DIR: dataDir });
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('Unknown role "OWNER"; use one of ADMIN, HIRING_MANAGER, RECRUITER, INTERVIEWER.');
      expect(result.stderr).toContain('Usage: npm run token');
    });

    it('rejects an unknown email', async () => {
      const result = await runScript('token.ts', ['--email', 'nobody@example.com'], { DATABASE_URL: service.url, JWT_SECRET: TEST_JWT_SECRET });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('No user with the email nobody@example.com exists in the database.');
    });
  });

  describe('db:seed and db:migrate', () => {
    let service: TestService;

    beforeAll(async () => {
      service = await startTestService({ seed: false });
    });

    afterAll(async () => {
      await service?.stop();
    });

    it('db:migrate finds nothing pending on a migrated database', async () => {
      const result = await runScript('migrate.ts', [], { DATABASE_URL: service.url });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toBe('No pending migrations in PostgreSQL (DATABASE_URL).\n');
    });

    it('db:migrate names a refused server without a stack trace', async () => {
      const result = await runScript('migrate.ts', [], { DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/hris' });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('The PostgreSQL server 127.0.0.1:1 refused the connection.');
      expect(result.stderr).not.toMatch(/^\s+at /m);
    });

    // Needs a PostgreSQL server, which the embedded run does not have.
    it.skipIf(!process.env.DATABASE_URL)('db:migrate and token name a missing database', async () => {
      const server = new URL(process.env.DATABASE_URL ?? '');
      server.pathname = '/hris_no_such_database';
      for (const [name, args] of [['migrate.ts', []], ['seed.ts', []], ['token.ts', ['--role', 'ADMIN']]] as const) {
        const result = await runScript(name, args, { DATABASE_URL: server.toString(), JWT_SECRET: TEST_JWT_SECRET });
        expect(result.code, name).toBe(1);
        expect(result.stderr, name).toContain('The database "hris_no_such_database" does not exist');
        expect(result.stderr, name).toContain('createdb');
        expect(result.stderr, name).not.toMatch(/^\s+at /m);
      }
    });

    it('db:seed seeds once and then reports nothing to do', async () => {
      const first = await runScript('seed.ts', [], { DATABASE_URL: service.url });
      expect(first.code).toBe(0);
      expect(first.stdout).toContain('demo: Seeded organization (6 users, 5 jobs, 60 candidates,');
      expect(first.stdout).toContain('globex: Seeded organization');
      expect(first.stdout).toContain('Demo data seeded.');
      expect(await service.prisma.candidate.count()).toBe(70);

      const second = await runScript('seed.ts', [], { DATABASE_URL: service.url });
      expect(second.code).toBe(0);
      expect(second.stdout).toContain('demo: Organization exists already, not seeded again.');
      expect(second.stdout).toContain('Nothing to do: every demo organization exists already.');
      expect(await service.prisma.candidate.count()).toBe(70);
    });

    it('db:seed refuses an embedded database that another process holds', async () => {
      // The lock file names this test process, which is alive, as the owner.
      const lockedDataDir = await mkdtemp(path.join(tmpdir(), 'hris-locked-'));
      try {
        await writeFile(path.join(lockedDataDir, 'pglite.lock'), `${process.pid}\n`);
        const result = await runScript('seed.ts', [], { DATA_DIR: lockedDataDir });
        expect(result.code).toBe(1);
        expect(result.stderr).toContain(`The embedded database in ${path.join(lockedDataDir, 'pglite')} is in use by process ${process.pid}`);
        expect(result.stderr).toContain('stop that process first, or set DATABASE_URL');
      } finally {
        await rm(lockedDataDir, { recursive: true, force: true });
      }
    });
  });

  describe('keys:rotate', () => {
    let sandbox: RunningSandbox;
    let service: TestService;

    beforeAll(async () => {
      sandbox = await startPersonioSandbox({ port: 0 });
      service = await startTestService({ env: { PERSONIO_BASE_URL: sandbox.url } });
      const { body } = await service.graphql(
        'mutation ($input: ConnectHrisInput!) { connectHris(input: $input) { __typename } }',
        { input: { personio: { clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET, appId: 'acme-gmbh' } } },
        await service.tokenFor({ role: 'ADMIN' }),
      );
      if (body.data?.connectHris.__typename !== 'ConnectHrisSuccess') throw new Error(`Connecting failed: ${JSON.stringify(body)}`);
    });

    afterAll(async () => {
      await service?.stop();
      await sandbox?.stop();
    });

    it('moves credentials to the new key, then has nothing to do', async () => {
      const before = await service.prisma.hrisConnection.findFirstOrThrow();
      expect(before.encryptionKeyId).toBe(keyId(TEST_ENCRYPTION_KEY));

      const env = { DATABASE_URL: service.url, ENCRYPTION_KEY: NEW_ENCRYPTION_KEY, ENCRYPTION_PREVIOUS_KEYS: TEST_ENCRYPTION_KEY };
      const first = await runScript('rotate-keys.ts', [], env);
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      expect(first.stdout).toBe(`Re-encrypted the credentials of 1 connection(s) with the current key ${keyId(NEW_ENCRYPTION_KEY)}.\n`);

      const after = await service.prisma.hrisConnection.findFirstOrThrow();
      expect(after.encryptionKeyId).toBe(keyId(NEW_ENCRYPTION_KEY));
      expect(after.credentialsCiphertext).not.toBe(before.credentialsCiphertext);

      const second = await runScript('rotate-keys.ts', [], env);
      expect(second.code).toBe(0);
      expect(second.stdout).toBe(`Every stored credential is already encrypted with the current key ${keyId(NEW_ENCRYPTION_KEY)}.\n`);
    });

    it('fails without the key that encrypted the credentials', async () => {
      const result = await runScript('rotate-keys.ts', [], { DATABASE_URL: service.url, ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64') });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('neither ENCRYPTION_KEY nor in ENCRYPTION_PREVIOUS_KEYS');
    });
  });
});
