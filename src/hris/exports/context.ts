import type { HrisConnection } from '../../generated/prisma/client.ts';
import type { EmployeeRecord, HrisResult, HrisSession } from '../plugin.ts';
import type { ExportActor } from './service.ts';

/**
 * State shared by the exports of one bulk batch: the batch's connection, one provider session
 * opened from its stored credentials, and the supervisor lookups already made, so the HRIS is
 * asked once per hiring manager rather than once per candidate.
 */
export interface ExportContext {
  connection: HrisConnection;
  /** The open session, or the error that opening it raised (for example undecryptable credentials). */
  session: HrisSession | Error;
  /** Supervisor lookups by lower-cased email; only successful lookups stay cached. */
  supervisors: Map<string, Promise<HrisResult<EmployeeRecord | null>>>;
}

export function createExportContext(connection: HrisConnection, openSession: (connection: HrisConnection) => HrisSession): ExportContext {
  let session: HrisSession | Error;
  try {
    session = openSession(connection);
  } catch (error) {
    session = error instanceof Error ? error : new Error(String(error));
  }
  return { connection, session, supervisors: new Map() };
}

/** Looks an email up through the context's cache; a failed lookup is not cached. */
export function findSupervisor(context: ExportContext | null, session: HrisSession, email: string): Promise<HrisResult<EmployeeRecord | null>> {
  if (!context) return session.findEmployeeByEmail(email);
  const key = email.toLowerCase();
  const cached = context.supervisors.get(key);
  if (cached) return cached;
  const lookup = session.findEmployeeByEmail(email).then((result) => {
    if (!result.ok) context.supervisors.delete(key);
    return result;
  });
  context.supervisors.set(key, lookup);
  return lookup;
}

/**
 * Loads the ATS rows that exporting `candidateIds` reads (candidates, their applications and
 * stages, the jobs, the jobs' hiring managers, document metadata) through the actor's
 * dataloaders in one batch per kind, so the per-candidate loads that follow hit the cache and
 * the number of reads does not grow with the number of candidates.
 */
export async function primeLoaders(actor: ExportActor, candidateIds: readonly string[]): Promise<void> {
  const { loaders } = actor;
  const [, applications] = await Promise.all([
    loaders.candidate.loadMany(candidateIds),
    loaders.applicationsByCandidate.loadMany(candidateIds),
    loaders.documentsByCandidate.loadMany(candidateIds),
    loaders.exportsByCandidate.loadMany(candidateIds),
  ]);
  const rows = applications.flatMap((entry) => (entry instanceof Error ? [] : entry));
  const jobIds = [...new Set(rows.map((application) => application.jobId))];
  await Promise.all([
    loaders.stage.loadMany([...new Set(rows.map((application) => application.stageId))]),
    loaders.job.loadMany(jobIds),
    loaders.hiringManagersByJob.loadMany(jobIds),
  ]);
}
