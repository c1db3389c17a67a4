import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, type SandboxOptions } from '../../plugins/personio/sandbox/index.ts';
import type { BenchDatabase } from './database.ts';
import { DEMO_ADMIN_EMAIL, DEMO_RECRUITER_EMAIL, type CreatedHire } from './data.ts';
import { startSandboxProcess, type SandboxProcess } from './sandbox-client.ts';
import type { RequestSummary } from './sandbox-process.ts';
import { startBenchService, type BenchService } from './service.ts';

/** A Personio sandbox in a child process and an in-process service connected to it. */
export interface ExportEnvironment {
  sandbox: SandboxProcess;
  service: BenchService;
  recruiterToken: string;
  stop(): Promise<void>;
}

const CONNECT = `mutation ($input: ConnectHrisInput!) {
  connectHris(input: $input) { __typename }
}`;

const EXPORT_MANY = `mutation ($input: ExportCandidatesToHrisInput!) {
  exportCandidatesToHris(input: $input) { __typename ... on HrisExportBatch { id } ... on InvalidInput { message problems { field message } } }
}`;

const READ_BATCH = `query ($id: ID!) {
  hrisExportBatch(id: $id) { id status done succeeded failed finishedAt totals { outcome count } }
}`;

/** Interval of polling a running batch, in ms; it bounds the error of the measured wall time. */
const POLL_INTERVAL_MS = 100;

export async function startExportEnvironment(database: BenchDatabase, sandboxOptions: Omit<SandboxOptions, 'logger' | 'now'>): Promise<ExportEnvironment> {
  const sandbox = await startSandboxProcess(sandboxOptions);
  let service: BenchService;
  try {
    service = await startBenchService({ database, env: { PERSONIO_BASE_URL: sandbox.url } });
  } catch (error) {
    await sandbox.stop();
    throw error;
  }
  try {
    const adminToken = await service.tokenFor(DEMO_ADMIN_EMAIL);
    const connected = await service.graphql<{ connectHris: { __typename: string } }>(
      CONNECT,
      { input: { personio: { clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET, appId: 'acme-gmbh' } } },
      adminToken,
    );
    if (connected.connectHris.__typename !== 'ConnectHrisSuccess') {
      throw new Error(`connectHris returned ${connected.connectHris.__typename} instead of ConnectHrisSuccess.`);
    }
    return {
      sandbox,
      service,
      recruiterToken: await service.tokenFor(DEMO_RECRUITER_EMAIL),
      async stop() {
        await service.stop();
        await sandbox.stop();
      },
    };
  } catch (error) {
    await service.stop();
    await sandbox.stop();
    throw error;
  }
}

export interface BatchResult {
  /** From sending the mutation to the batch's finishedAt, in ms. */
  wallMs: number;
  /** CPU time of this process (service, Prisma and, for PGlite, the database) during the batch, in ms. */
  serviceCpuMs: number;
  /** CPU time of the sandbox process during the batch, in ms. */
  sandboxCpuMs: number;
  succeeded: number;
  failed: number;
  totals: { outcome: string; count: number }[];
  /** Personio requests the sandbox received from the mutation until the batch completed. */
  requests: RequestSummary;
}

function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}

/**
 * Exports the hires as one bulk export (exportCandidatesToHris with waitSeconds 0) and polls
 * until the batch completes. Throws when it has not completed after `timeoutMs`.
 */
export async function runBulkExport(environment: ExportEnvironment, hires: readonly CreatedHire[], timeoutMs: number): Promise<BatchResult> {
  const { service, sandbox, recruiterToken } = environment;
  const fromSequence = (await sandbox.lastSequence()) + 1;
  const sandboxCpuBefore = await sandbox.cpuUsage();
  const cpuBefore = process.cpuUsage();
  const startedAt = Date.now();
  const started = await service.graphql<any>(EXPORT_MANY, { input: { candidateIds: hires.map((hire) => hire.globalId), waitSeconds: 0 } }, recruiterToken);
  const result = started.exportCandidatesToHris;
  if (result.__typename !== 'HrisExportBatch') throw new Error(`exportCandidatesToHris returned ${JSON.stringify(result)}`);

  const deadline = startedAt + timeoutMs;
  for (;;) {
    const { hrisExportBatch: batch } = await service.graphql<any>(READ_BATCH, { id: result.id }, recruiterToken);
    if (batch.status === 'COMPLETED') {
      const serviceCpuMs = cpuMs(process.cpuUsage(cpuBefore));
      const sandboxCpuAfter = await sandbox.cpuUsage();
      return {
        wallMs: new Date(batch.finishedAt).getTime() - startedAt,
        serviceCpuMs,
        sandboxCpuMs: cpuMs(sandboxCpuAfter) - cpuMs(sandboxCpuBefore),
        succeeded: batch.succeeded,
        failed: batch.failed,
        totals: batch.totals,
        requests: await sandbox.summary(fromSequence),
      };
    }
    if (Date.now() > deadline) {
      throw new Error(`The bulk export of ${hires.length} hires did not complete within ${Math.round(timeoutMs / 1000)} s (${batch.done} done).`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}

/** Returns emails that more than one sandbox employee has, ignoring case. */
export async function duplicateEmployeeEmails(sandbox: SandboxProcess): Promise<string[]> {
  const counts = new Map<string, number>();
  for (const email of await sandbox.employeeEmails()) {
    const key = email.toLowerCase();
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].filter(([, count]) => count > 1).map(([email]) => email);
}
