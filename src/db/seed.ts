import type { PrismaClient } from '../generated/prisma/client.ts';
import { buildSeedPlans } from './seed-data.ts';
import type { OrganizationSeedPlan } from './seed-data.ts';

export interface SeedDemoOptions {
  /** Receives one message per organization, with its slug, id and row counts. */
  log?: (message: string, fields?: object) => void;
}

export interface SeedDemoResult {
  /** True when at least one organization was written by this call. */
  created: boolean;
  /** Every seed organization with its id in the database, whether written now or earlier. */
  organizations: { slug: string; id: string }[];
}

/** Upper bound for writing one organization, in milliseconds. */
const TRANSACTION_TIMEOUT_MS = 60_000;

/**
 * Writes the demo organizations (Northwind Talent and Globex Recruiting) unless an
 * organization with the same slug exists already. Each organization is written in one
 * transaction, so it is either complete or absent. Running it again changes nothing and
 * returns `created: false`.
 */
export async function seedDemo(prisma: PrismaClient, options: SeedDemoOptions = {}): Promise<SeedDemoResult> {
  const log = options.log ?? (() => {});
  const organizations: SeedDemoResult['organizations'] = [];
  let created = false;

  for (const plan of buildSeedPlans()) {
    const startedAt = performance.now();
    const outcome = await seedOrganization(prisma, plan);
    const fields = { slug: plan.organization.slug, organizationId: outcome.id };
    if (outcome.created) {
      created = true;
      log('Seeded organization', {
        ...fields,
        users: plan.users.length,
        jobs: plan.jobs.length,
        candidates: plan.candidates.length,
        applications: plan.applications.length,
        documents: plan.documents.length,
        durationMs: Math.round(performance.now() - startedAt),
      });
    } else {
      log('Organization exists already, not seeded again', fields);
    }
    organizations.push({ slug: plan.organization.slug, id: outcome.id });
  }

  return { created, organizations };
}

async function seedOrganization(prisma: PrismaClient, plan: OrganizationSeedPlan): Promise<{ created: boolean; id: string }> {
  const slug = plan.organization.slug;
  return prisma.$transaction(
    async (tx) => {
      // ON CONFLICT DO NOTHING: a concurrent seed that inserted the same slug first makes
      // this insert wait for its commit and then insert nothing, instead of failing.
      const inserted = await tx.organization.createMany({ data: [plan.organization], skipDuplicates: true });
      if (inserted.count === 0) {
        const existing = await tx.organization.findUnique({ where: { slug }, select: { id: true } });
        if (!existing) {
          throw new Error(
            `Cannot seed organization "${slug}": its fixed id ${plan.organization.id} belongs to an organization with another slug. ` +
              'Delete or rename that organization, or seed an empty database.',
          );
        }
        return { created: false, id: existing.id };
      }

      // Parents before children, because foreign keys are checked per statement. The
      // one-HIRED-stage-per-job trigger is deferred to commit, so jobs may precede their stages.
      await tx.user.createMany({ data: plan.users });
      await tx.job.createMany({ data: plan.jobs });
      await tx.pipelineStage.createMany({ data: plan.stages });
      await tx.jobHiringManager.createMany({ data: plan.jobHiringManagers });
      await tx.candidate.createMany({ data: plan.candidates });
      await tx.application.createMany({ data: plan.applications });
      await tx.candidateDocument.createMany({ data: plan.documents });
      return { created: true, id: plan.organization.id };
    },
    { timeout: TRANSACTION_TIMEOUT_MS },
  );
}
