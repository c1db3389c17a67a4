import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SandboxOptions } from '../../plugins/personio/sandbox/index.ts';
import { forkIpcChild } from './ipc-child.ts';
import type { RequestSummary, SandboxQuery } from './sandbox-process.ts';

const entry = path.join(path.dirname(fileURLToPath(import.meta.url)), 'sandbox-process.ts');

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
  const { child, ready: url } = await forkIpcChild<string>(entry, options, { name: 'Personio sandbox', startTimeoutMs: 60_000 });
  const ask = <T>(query: SandboxQuery) => child.ask<T>(query);
  return {
    url,
    lastSequence: () => ask({ kind: 'lastSequence' }),
    summary: (fromSequence) => ask({ kind: 'summary', fromSequence }),
    employeeEmails: () => ask({ kind: 'employees' }),
    cpuUsage: () => ask({ kind: 'cpuUsage' }),
    stop: () => child.stop(),
  };
}
