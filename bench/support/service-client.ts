import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { forkIpcChild } from './ipc-child.ts';
import type { ServiceProcessOptions, ServiceProcessQuery, ServiceProcessReady } from './service-process.ts';

const entry = path.join(path.dirname(fileURLToPath(import.meta.url)), 'service-process.ts');

/** The service in a child process (support/service-process.ts), listening on 127.0.0.1. */
export interface ServiceProcess extends ServiceProcessReady {
  pid: number;
  /** Memory of the service process; with `collectGarbage`, after a full garbage collection. */
  memory(collectGarbage: boolean): Promise<NodeJS.MemoryUsage>;
  cpuUsage(): Promise<NodeJS.CpuUsage>;
  /** SQL statements the service sent since it started. */
  statements(): Promise<number>;
  stop(): Promise<void>;
}

export async function startServiceProcess(options: ServiceProcessOptions): Promise<ServiceProcess> {
  // A clean environment: the service reads its configuration from the options only.
  const env = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '' };
  const { child, ready } = await forkIpcChild<ServiceProcessReady>(entry, options, {
    name: 'service',
    env,
    nodeOptions: ['--expose-gc'],
    startTimeoutMs: 300_000,
  });
  const ask = <T>(query: ServiceProcessQuery) => child.ask<T>(query);
  return {
    ...ready,
    pid: child.pid,
    memory: (collectGarbage) => ask({ kind: 'memory', collectGarbage }),
    cpuUsage: () => ask({ kind: 'cpuUsage' }),
    statements: () => ask({ kind: 'statements' }),
    stop: () => child.stop(),
  };
}
