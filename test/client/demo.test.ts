import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_COMPANIES_CONFIG,
  DEFAULT_CREDENTIAL,
  startPersonioSandbox,
  type RunningSandbox,
} from '../../plugins/personio/sandbox/index.ts';
import { listen } from '../../src/server.ts';
import { startTestService, TEST_JWT_SECRET, type TestService } from '../helpers/service.ts';

// Runs `npm run demo` (scripts/demo.ts) as a user would: a separate process on free ports
// with its own data folder, twice on the same folder. It also runs once against a sandbox
// whose credential lacks a required right, and once against a running server that calls
// another Personio URL.

const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));
const tsx = path.join(repositoryRoot, 'node_modules/tsx/dist/cli.mjs');
// A first run migrates and seeds a new embedded database (about 15 s on an idle machine).
const RUN_TIMEOUT_MS = 240_000;

interface DemoRun {
  code: number;
  stdout: string;
  stderr: string;
}

function runDemo(args: readonly string[], env: Record<string, string> = {}): Promise<DemoRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [tsx, 'scripts/demo.ts', ...args],
      // Only PATH, HOME and `env`: no DATABASE_URL, JWT_SECRET or PERSONIO_BASE_URL of the caller.
      {
        cwd: repositoryRoot,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
        timeout: RUN_TIMEOUT_MS,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        let code = 0;
        if (error) code = typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('No port was assigned.');
  return address.port;
}

function explain(run: DemoRun): string {
  return `exit code ${run.code}\n--- stdout ---\n${run.stdout}\n--- stderr ---\n${run.stderr}`;
}

describe('npm run demo', () => {
  let dataDir: string;
  let serverPort: number;
  let sandboxPort: number;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'hris-demo-test-'));
    serverPort = await freePort();
    sandboxPort = await freePort();
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('first run passes every step', { timeout: RUN_TIMEOUT_MS + 10_000 }, async () => {
    const run = await runDemo(['--port', String(serverPort), '--sandbox-port', String(sandboxPort), '--data-dir', dataDir]);

    expect(run.code, explain(run)).toBe(0);
    expect(run.stdout).toContain(`Personio sandbox: started on http://127.0.0.1:${sandboxPort}.`);
    expect(run.stdout).toContain('Server started');
    expect(run.stdout).toMatch(/Connected: .*status CONNECTED/);
    expect(run.stdout).toMatch(/Employees: Write\s+yes\s+GRANTED/);
    expect(run.stdout).toContain('The demo organization has 19 candidates in a Hired stage');
    expect(run.stdout).toMatch(/Exported Jean-Luc Picard-Martin to Personio as employee \d+/);
    expect(run.stdout).toMatch(/department\s+NO_MATCHING_VALUE/);
    expect(run.stdout).toContain('Closest value in the HRIS: "Customer Success"');
    expect(run.stdout).toMatch(/Jean-Luc_Picard-Martin_CV\.pdf\s+CV\s+UPLOADED/);
    expect(run.stdout).toMatch(/\] 4\/4 done, 0 failed/);
    expect(run.stdout).toContain('4 of 4 have an employee in Personio.');
    expect(run.stdout).toMatch(/\(RECRUITER\).*allowed: exported as employee \d+\s+ok/);
    expect(run.stdout).toMatch(/\(HIRING_MANAGER\).*allowed: exported as employee \d+\s+ok/);
    expect(run.stdout).toMatch(/\(HIRING_MANAGER\).*rejected: CandidateNotFound\s+ok/);
    expect(run.stdout).toMatch(/\(INTERVIEWER\).*rejected: GraphQL error FORBIDDEN\s+ok/);
    expect(run.stdout).toMatch(/Jean-Luc Picard-Martin is already employee \d+ in Personio/);
    expect(run.stdout).toMatch(/jean-luc\.picard-martin@example\.com in the sandbox \(GET .*\/__sandbox\/employees\): 1\./);
    expect(run.stdout).toContain('Demo finished: all 5 steps passed.');
  });

  it('second run on the same data folder passes', { timeout: RUN_TIMEOUT_MS + 10_000 }, async () => {
    const run = await runDemo(['--port', String(serverPort), '--sandbox-port', String(sandboxPort), '--data-dir', dataDir]);

    expect(run.code, explain(run)).toBe(0);
    expect(run.stdout).toContain('with the existing embedded database');
    expect(run.stdout).toContain('Personio is connected already');
    expect(run.stdout).toContain('An earlier run exported this candidate');
    expect(run.stdout).toContain('Totals: ALREADY_EXPORTED 4; 4 of 4 have an employee in Personio.');
    expect(run.stdout).toMatch(/\(RECRUITER\).*allowed: already employee \d+\s+ok/);
    // The sandbox of this run is new, so the employee of the first run is not in it.
    expect(run.stdout).toContain('in the sandbox (GET');
    expect(run.stdout).toContain('Demo finished: all 5 steps passed.');
  });

  describe('sandbox credential without Documents: Write', () => {
    let sandbox: RunningSandbox;

    beforeAll(async () => {
      sandbox = await startPersonioSandbox({
        port: await freePort(),
        config: {
          ...DEFAULT_COMPANIES_CONFIG,
          credentials: [{ ...DEFAULT_CREDENTIAL, rights: { employees: { read: true, write: true }, documents: { read: true } } }],
        },
      });
    });

    afterAll(async () => {
      await sandbox?.stop();
    });

    it('reuses the sandbox, fails step 1 and exits 1', { timeout: RUN_TIMEOUT_MS + 10_000 }, async () => {
      const port = new URL(sandbox.url).port;
      const run = await runDemo(['--port', String(serverPort), '--sandbox-port', port, '--data-dir', dataDir]);

      expect(run.code, explain(run)).toBe(1);
      expect(run.stdout).toContain(`Personio sandbox: reusing the one running on http://127.0.0.1:${port}.`);
      expect(run.stdout).toMatch(/Documents: Write\s+yes\s+MISSING/);
      expect(run.stdout).toContain('Step 1 (Connect Personio as the admin) failed: connectHris returned MissingPermissions');
      expect(run.stdout).toContain('Demo failed: 0 of 5 steps passed.');
      expect(run.stdout).not.toContain('Step 2 of 5');
    });
  });

  describe('running server that calls another Personio URL', () => {
    let service: TestService;
    let server: Awaited<ReturnType<typeof listen>>['server'];

    beforeAll(async () => {
      // Nothing listens on this port, so the server's Personio calls are refused.
      service = await startTestService({ env: { PERSONIO_BASE_URL: `http://127.0.0.1:${await freePort()}` } });
      ({ server } = await listen(service, '127.0.0.1', 0));
    });

    afterAll(async () => {
      if (server) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
      await service?.stop();
    });

    it('fails step 1 and names PERSONIO_BASE_URL', { timeout: RUN_TIMEOUT_MS + 10_000 }, async () => {
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('The test server has no port.');
      const demoSandboxPort = await freePort();
      const run = await runDemo(['--port', String(address.port), '--sandbox-port', String(demoSandboxPort)], { JWT_SECRET: TEST_JWT_SECRET });

      expect(run.code, explain(run)).toBe(1);
      expect(run.stdout).toContain(`Server: reusing the one running on http://127.0.0.1:${address.port}.`);
      expect(run.stdout).toContain('Step 1 (Connect Personio as the admin) failed: connectHris returned HrisUnavailable');
      expect(run.stdout).toContain(`Start the server with PERSONIO_BASE_URL=http://127.0.0.1:${demoSandboxPort}`);
    });
  });
});
