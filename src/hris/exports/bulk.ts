import { canSeeJob } from '../../ats/access.ts';
import type { PrismaClient } from '../../db/client.ts';
import type { ConnectionService } from '../connections.ts';
import type { BatchRunner } from './batches.ts';
import type { ExportActor } from './service.ts';
import type { ExportSummary } from './summary.ts';

export interface BulkExportRequest {
  /** Raw Relay IDs of candidates, as given by the caller. */
  candidateIds: string[] | null;
  /** Raw Relay ID of a job whose Hired stage is exported. */
  jobId: string | null;
  provider: string | null;
  waitSeconds: number;
}

export type BulkExportStart =
  | { kind: 'STARTED'; batchId: string }
  | { kind: 'INVALID_INPUT'; problems: { field: string; message: string }[] }
  | { kind: 'NOT_CONNECTED'; summary: Extract<ExportSummary, { kind: 'HRIS_NOT_CONNECTED' }> };

/**
 * Returns the ids, among `candidateIds`, of candidates that do not exist in the caller's
 * organization or that a hiring manager may not see, so that no batch is stored for them.
 */
async function invisibleCandidates(actor: ExportActor, candidateIds: string[]): Promise<string[]> {
  const candidates = await actor.loaders.candidate.loadMany(candidateIds);
  const applications = actor.jobIds === null ? null : await actor.loaders.applicationsByCandidate.loadMany(candidateIds);
  return candidateIds.filter((_id, index) => {
    const candidate = candidates[index];
    if (!candidate || candidate instanceof Error) return true;
    if (applications === null) return false;
    const own = applications[index];
    return !Array.isArray(own) || !own.some((application) => canSeeJob(actor, application.jobId));
  });
}

/**
 * Validates a bulk export request, stores the batch and starts it; waits up to
 * `waitSeconds` for it to finish so small batches answer in one round trip.
 */
export function createBulkExportStarter(deps: {
  prisma: PrismaClient;
  connections: ConnectionService;
  batches: BatchRunner;
  maxCandidates: number;
  decodeId(globalId: string, typename: string): string | null;
}) {
  const { prisma, connections, batches, maxCandidates, decodeId } = deps;

  return async function startBulkExport(actor: ExportActor, request: BulkExportRequest): Promise<BulkExportStart> {
    const problems: { field: string; message: string }[] = [];
    if ((request.candidateIds === null) === (request.jobId === null)) {
      problems.push({ field: 'input', message: 'Give either candidateIds or jobId, not both and not neither.' });
    }
    if (!Number.isInteger(request.waitSeconds) || request.waitSeconds < 0 || request.waitSeconds > 300) {
      problems.push({ field: 'input.waitSeconds', message: 'must be a whole number of seconds from 0 to 300.' });
    }

    let candidateIds: string[] = [];
    let jobId: string | null = null;
    if (request.candidateIds) {
      if (request.candidateIds.length === 0) problems.push({ field: 'input.candidateIds', message: 'must list at least one candidate.' });
      if (request.candidateIds.length > maxCandidates) {
        problems.push({ field: 'input.candidateIds', message: `lists ${request.candidateIds.length} candidates; at most ${maxCandidates} per bulk export. Split the selection.` });
      }
      const seen = new Map<string, number>();
      request.candidateIds.slice(0, maxCandidates + 1).forEach((raw, index) => {
        const id = decodeId(raw, 'Candidate');
        if (!id) problems.push({ field: `input.candidateIds[${index}]`, message: `${JSON.stringify(raw.slice(0, 80))} is not a Candidate ID.` });
        else if (seen.has(id)) problems.push({ field: `input.candidateIds[${index}]`, message: 'repeats a candidate listed earlier; list each candidate once.' });
        else seen.set(id, index);
      });
      candidateIds = [...seen.keys()];
      for (const id of await invisibleCandidates(actor, candidateIds)) {
        problems.push({ field: `input.candidateIds[${seen.get(id)}]`, message: 'No candidate with this ID is visible to you.' });
      }
    } else if (request.jobId !== null) {
      jobId = decodeId(request.jobId, 'Job');
      const job = jobId ? await actor.loaders.job.load(jobId) : null;
      if (!jobId || !job || (actor.jobIds !== null && !actor.jobIds.has(job.id))) {
        problems.push({ field: 'input.jobId', message: 'No job with this ID is visible to you.' });
      } else {
        const hired = await prisma.application.findMany({
          where: { organizationId: actor.organizationId, jobId, stage: { kind: 'HIRED' } },
          orderBy: [{ hiredAt: 'asc' }, { id: 'asc' }],
          select: { candidateId: true },
        });
        candidateIds = hired.map((application) => application.candidateId);
        if (candidateIds.length === 0) problems.push({ field: 'input.jobId', message: 'The job has no candidates in its Hired stage.' });
        if (candidateIds.length > maxCandidates) {
          problems.push({ field: 'input.jobId', message: `The job has ${candidateIds.length} hires; at most ${maxCandidates} per bulk export.` });
        }
      }
    }
    if (problems.length > 0) return { kind: 'INVALID_INPUT', problems };

    const active = await connections.findActive(actor.organizationId, request.provider);
    const connection = active[0];
    if (!connection) {
      return {
        kind: 'NOT_CONNECTED',
        summary: {
          kind: 'HRIS_NOT_CONNECTED',
          candidateId: '',
          provider: request.provider,
          message: 'No HRIS is connected; an admin connects one under Settings > Account > Integrations.',
        },
      };
    }

    const batch = await batches.create(actor, candidateIds, { connectionId: connection.id, jobId });
    void batches.launch(batch.id, actor, connection.provider);
    await batches.waitFor(batch.id, request.waitSeconds * 1000);
    return { kind: 'STARTED', batchId: batch.id };
  };
}
