import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SandboxOptions } from '../../plugins/personio/sandbox/index.ts';
import type { RequestSummary, SandboxQuery } from './sandbox-process.ts';

const entry = path.join(path.dirname(fileURLToPath(import.meta.url)), 'sandbox-process.ts');
const QUERY_TIMEOUT_MS = 30_000;

type QueryWithoutId = SandboxQuery extends infer Q ? (Q extends SandboxQuery ? Omit<Q, 'id'> : never) : never;

/** A Personio sandbox in a child process (support/sandbox-process.ts), queried over IPC. */
export interface SandboxProcess {
  url: string;
  /** Sequence number of the last request received, 0 before the first. */
  lastSequence(): Promise<number>;
  summary(fromSequence: number): Promise<RequestSummary>;
  employeeEmails(): Promise<string[]>;
  cpuUsage(): Promise<NodeJS.CpuUsage>;
  stop(): Promise<void>;
}

/** Starts the sandbox child with these options (functions such as `logger` and `now` cannot cross IPC). */
export async function startSandboxProcess(options: Omit<SandboxOptions, 'logger' | 'now'>): Promise<SandboxProcess> {
  const child: ChildProcess = fork(entry, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 1;
  child.on('message', (message) => {
    const { id, value } = message as { id: number; value: unknown };
    pending.get(id)?.resolve(value);
    pending.delete(id);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', (code) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`The sandbox process exited with code ${code}.`));
    pending.clear();
  });

  function ask<T>(query: QueryWithoutId | null, id = nextId++): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`The sandbox process did not answer ${query?.kind ?? 'its start'} within ${QUERY_TIMEOUT_MS / 1000} s.`));
      }, QUERY_TIMEOUT_MS);
      pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      if (query) child.send({ ...query, id });
    });
  }

  const started = ask<string>(null, 0);
  child.send(options);
  const url = await started;
  return {
    url,
    lastSequence: () => ask({ kind: 'lastSequence' }),
    summary: (fromSequence) => ask({ kind: 'summary', fromSequence }),
    employeeEmails: () => ask({ kind: 'employees' }),
    cpuUsage: () => ask({ kind: 'cpuUsage' }),
    async stop() {
      if (child.exitCode !== null) return;
      child.disconnect();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
