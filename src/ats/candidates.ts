import type { PrismaClient } from '../db/client.ts';
import type { Candidate, Prisma, StageKind } from '../generated/prisma/client.ts';
import type { AccessScope } from './access.ts';

export interface CandidateFilter {
  /** Candidates with at least one application whose current stage has this kind. */
  status?: StageKind | null;
  jobId?: string | null;
  /** Case-insensitive match on first, last or preferred name, or email. */
  search?: string | null;
}

/** Builds the `where` for the candidates list; applications must match status, job and the caller's jobs together. */
function candidateWhere(scope: AccessScope, filter: CandidateFilter): Prisma.CandidateWhereInput {
  const application: Prisma.ApplicationWhereInput = {};
  if (filter.status) application.stage = { kind: filter.status };
  if (scope.jobIds !== null) {
    const managed = scope.jobIds;
    const allowed = filter.jobId ? [filter.jobId].filter((id) => managed.has(id)) : [...managed];
    application.jobId = { in: allowed };
  } else if (filter.jobId) {
    application.jobId = filter.jobId;
  }

  const where: Prisma.CandidateWhereInput = { organizationId: scope.organizationId };
  if (Object.keys(application).length > 0) where.applications = { some: application };

  // Prisma's `contains` sends the text inside a LIKE pattern without escaping it, so `%` and
  // `_` would act as wildcards; backslash is PostgreSQL's default LIKE escape character.
  const search = filter.search?.trim().replace(/[\\%_]/g, (character) => `\\${character}`);
  if (search) {
    where.OR = [
      { firstName: { contains: search, mode: 'insensitive' } },
      { lastName: { contains: search, mode: 'insensitive' } },
      { preferredName: { contains: search, mode: 'insensitive' } },
      { email: { contains: search, mode: 'insensitive' } },
    ];
  }
  return where;
}

export async function listCandidates(
  prisma: PrismaClient,
  scope: AccessScope,
  filter: CandidateFilter,
  page: { offset: number; limit: number },
): Promise<Candidate[]> {
  return prisma.candidate.findMany({
    where: candidateWhere(scope, filter),
    orderBy: [{ lastName: 'asc' }, { firstName: 'asc' }, { id: 'asc' }],
    skip: page.offset,
    take: page.limit,
  });
}

export async function countCandidates(prisma: PrismaClient, scope: AccessScope, filter: CandidateFilter): Promise<number> {
  return prisma.candidate.count({ where: candidateWhere(scope, filter) });
}
