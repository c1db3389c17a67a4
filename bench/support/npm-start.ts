import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { onInterrupt } from './interrupt.ts';
import { repositoryRoot } from './report.ts';

/** Returns a TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('The operating system returned no TCP port.');
  return address.port;
}

/** Variables of the service that the benchmark sets itself, so none is inherited from the caller's shell. */
const SERVICE_VARIABLES = /^(NODE_ENV|HOST|PORT|DATABASE_URL|DATA_DIR|SEED_DEMO_DATA|JWT_.*|ENCRYPTION_.*|LOG_LEVEL|MAX_.*|EXPORT_.*|BATCH_.*|PERSONIO_.*)$/;

export interface NpmStart {
  /** Process group id: `npm`, the shell it runs and the service all belong to it. */
  pid: number;
  /** ms since `startedAt` at which each pino log message was first seen. */
  messageTimes: Map<string, number>;
  /** Every output line, for error messages. */
  lines: string[];
  startedAt: number;
  /** Sends SIGTERM to the process group and waits until every process of it has exited. */
  stop(): Promise<void>;
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts `npm start` in a process group of its own with these service variables. */
export function startNpmStart(env: Record<string, string>): NpmStart {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !SERVICE_VARIABLES.test(name)));
  const startedAt = performance.now();
  const child = spawn('npm', ['start', '--silent'], {
    cwd: repositoryRoot,
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const messageTimes = new Map<string, number>();
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      lines.push(line);
      try {
        const message = (JSON.parse(line) as { msg?: unknown }).msg;
        if (typeof message === 'string' && !messageTimes.has(message)) messageTimes.set(message, performance.now() - startedAt);
      } catch {
        // Lines that are not pino JSON, such as npm's own output, are kept only in `lines`.
      }
    });
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const pid = child.pid!;
  // Its process group is not this process's group, so a signal to this process alone would leave it running.
  const forget = onInterrupt(() => groupAlive(pid) && process.kill(-pid, 'SIGKILL'));
  return {
    pid,
    messageTimes,
    lines,
    startedAt,
    async stop() {
      if (groupAlive(pid)) process.kill(-pid, 'SIGTERM');
      await exited;
      const deadline = Date.now() + 20_000;
      while (groupAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      if (groupAlive(pid)) process.kill(-pid, 'SIGKILL');
      forget();
    },
  };
}
