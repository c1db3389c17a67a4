import type { PrismaClient } from '../db/client.ts';
import type { Role } from '../generated/prisma/client.ts';

/**
 * Which rows a caller may see: admins and recruiters see their whole organization, hiring
 * managers only the jobs they manage (and those jobs' candidates), interviewers nothing
 * beyond their own profile. Every query also filters by organization.
 */
export interface AccessScope {
  organizationId: string;
  userId: string;
  role: Role;
  /** Job ids a hiring manager manages, or null when the role may read every job of the organization. */
  jobIds: ReadonlySet<string> | null;
}

export async function loadManagedJobIds(prisma: PrismaClient, organizationId: string, userId: string): Promise<Set<string>> {
  const links = await prisma.jobHiringManager.findMany({
    where: { organizationId, userId },
    select: { jobId: true },
  });
  return new Set(links.map((link) => link.jobId));
}

export function canSeeJob(scope: AccessScope, jobId: string): boolean {
  if (scope.role === 'INTERVIEWER') return false;
  return scope.jobIds === null || scope.jobIds.has(jobId);
}
