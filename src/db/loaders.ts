import DataLoader from 'dataloader';
import type { PrismaClient } from './client.ts';
import type {
  Application,
  Candidate,
  CandidateDocument,
  HrisExport,
  Job,
  PipelineStage,
  User,
} from '../generated/prisma/client.ts';

/** Document metadata: the bytes stay in the database until an export needs them. */
export type DocumentSummary = Omit<CandidateDocument, 'content'>;

function byId<T extends { id: string }>(rows: T[], ids: readonly string[]): (T | null)[] {
  const map = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => map.get(id) ?? null);
}

function groupBy<T, K extends keyof T>(rows: T[], key: K, ids: readonly string[]): T[][] {
  const groups = new Map<unknown, T[]>();
  for (const row of rows) {
    const group = groups.get(row[key]);
    if (group) group.push(row);
    else groups.set(row[key], [row]);
  }
  return ids.map((id) => groups.get(id) ?? []);
}

/**
 * Per-request loaders. Every query filters by the caller's organization, so an id of
 * another organization loads as null, exactly like an unknown id.
 */
export function createLoaders(prisma: PrismaClient, organizationId: string) {
  return {
    user: new DataLoader<string, User | null>(async (ids) =>
      byId(await prisma.user.findMany({ where: { organizationId, id: { in: [...ids] } } }), ids),
    ),
    candidate: new DataLoader<string, Candidate | null>(async (ids) =>
      byId(await prisma.candidate.findMany({ where: { organizationId, id: { in: [...ids] } } }), ids),
    ),
    job: new DataLoader<string, Job | null>(async (ids) =>
      byId(await prisma.job.findMany({ where: { organizationId, id: { in: [...ids] } } }), ids),
    ),
    stage: new DataLoader<string, PipelineStage | null>(async (ids) =>
      byId(await prisma.pipelineStage.findMany({ where: { organizationId, id: { in: [...ids] } } }), ids),
    ),
    application: new DataLoader<string, Application | null>(async (ids) =>
      byId(await prisma.application.findMany({ where: { organizationId, id: { in: [...ids] } } }), ids),
    ),
    stagesByJob: new DataLoader<string, PipelineStage[]>(async (jobIds) =>
      groupBy(
        await prisma.pipelineStage.findMany({
          where: { organizationId, jobId: { in: [...jobIds] } },
          orderBy: [{ jobId: 'asc' }, { position: 'asc' }],
        }),
        'jobId',
        jobIds,
      ),
    ),
    applicationsByCandidate: new DataLoader<string, Application[]>(async (candidateIds) =>
      groupBy(
        await prisma.application.findMany({
          where: { organizationId, candidateId: { in: [...candidateIds] } },
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        }),
        'candidateId',
        candidateIds,
      ),
    ),
    applicationsByStage: new DataLoader<string, Application[]>(async (stageIds) =>
      groupBy(
        await prisma.application.findMany({
          where: { organizationId, stageId: { in: [...stageIds] } },
          orderBy: [{ stageEnteredAt: 'desc' }, { id: 'asc' }],
        }),
        'stageId',
        stageIds,
      ),
    ),
    documentsByCandidate: new DataLoader<string, DocumentSummary[]>(async (candidateIds) =>
      groupBy(
        await prisma.candidateDocument.findMany({
          where: { organizationId, candidateId: { in: [...candidateIds] } },
          omit: { content: true },
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        }),
        'candidateId',
        candidateIds,
      ),
    ),
    exportsByCandidate: new DataLoader<string, HrisExport[]>(async (candidateIds) =>
      groupBy(
        await prisma.hrisExport.findMany({
          where: { organizationId, candidateId: { in: [...candidateIds] } },
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        }),
        'candidateId',
        candidateIds,
      ),
    ),
    hiringManagersByJob: new DataLoader<string, User[]>(async (jobIds) => {
      const links = await prisma.jobHiringManager.findMany({
        where: { organizationId, jobId: { in: [...jobIds] } },
        include: { user: true },
        orderBy: { userId: 'asc' },
      });
      return groupBy(links, 'jobId', jobIds).map((group) => group.map((link) => link.user));
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
