import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, type SandboxOptions } from '../../plugins/personio/sandbox/index.ts';
import type { BenchDatabase } from './database.ts';
import { DEMO_ADMIN_EMAIL, DEMO_RECRUITER_EMAIL, type CreatedHire } from './data.ts';
import { startSandboxProcess, type SandboxProcess } from './sandbox-client.ts';
import type { RequestSummary } from './sandbox-process.ts';
import { startBenchService, type BenchService, type BenchServiceOptions } from './service.ts';

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

/**
 * Starts a sandbox with these options and a service connected to it. The service has its own
 * Personio client, so its token cache and rate pacing start empty.
 */
export async function startExportEnvironment(
  database: BenchDatabase,
  sandboxOptions: Omit<SandboxOptions, 'logger' | 'now'>,
  serviceOptions: Pick<BenchServiceOptions, 'onStatement' | 'plugins'> = {},
): Promise<ExportEnvironment> {
  const sandbox = await startSandboxProcess(sandboxOptions);
  let service: BenchService;
  try {
    service = await startBenchService({ ...serviceOptions, database, env: { PERSONIO_BASE_URL: sandbox.url } });
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

export interface BulkExportOptions {
  /** Gives up when the batch has not completed after this long. */
  timeoutMs: number;
  /**
   * The mutation's waitSeconds: it returns when the batch completes or this time has passed.
   * Waiting in the mutation saves the polling requests, whose CPU time would count as export cost.
   */
  waitSeconds: number;
  /** Interval of polling a batch that is still running, in ms. */
  pollIntervalMs: number;
}

export interface BatchResult {
  /** From sending the mutation to the batch's finishedAt (a database timestamp), in ms. */
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
 * Exports the hires as one bulk export (exportCandidatesToHris) and polls until the batch
 * completes. Throws when it has not completed after `timeoutMs`.
 */
export async function runBulkExport(environment: ExportEnvironment, hires: readonly CreatedHire[], options: BulkExportOptions): Promise<BatchResult> {
  const { service, sandbox, recruiterToken } = environment;
  const fromSequence = (await sandbox.lastSequence()) + 1;
  const sandboxCpuBefore = await sandbox.cpuUsage();
  const cpuBefore = process.cpuUsage();
  const startedAt = Date.now();
  const started = await service.graphql<any>(EXPORT_MANY, { input: { candidateIds: hires.map((hire) => hire.globalId), waitSeconds: options.waitSeconds } }, recruiterToken);
  const result = started.exportCandidatesToHris;
  if (result.__typename !== 'HrisExportBatch') throw new Error(`exportCandidatesToHris returned ${JSON.stringify(result)}`);

  const deadline = startedAt + options.timeoutMs;
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
      throw new Error(`The bulk export of ${hires.length} hires did not complete within ${Math.round(options.timeoutMs / 1000)} s (${batch.done} done).`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollIntervalMs));
  }
}

/** Returns the emails of hires that are not exactly one sandbox employee (missing or duplicated), ignoring case. */
export async function hiresNotExactlyOnce(sandbox: SandboxProcess, hires: readonly CreatedHire[]): Promise<string[]> {
  const counts = new Map<string, number>();
  for (const email of await sandbox.employeeEmails()) {
    const key = email.toLowerCase();
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return hires.map((hire) => hire.email).filter((email) => counts.get(email.toLowerCase()) !== 1);
}
