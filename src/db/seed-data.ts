import type { Role } from '../generated/prisma/client.ts';
import { DEMO_ORGANIZATION_DEFINITION } from './seed/demo-organization.ts';
import { GLOBEX_ORGANIZATION_DEFINITION } from './seed/globex-organization.ts';
import { PIPELINE_STAGES, buildOrganizationSeedPlan, displayName, seedOrganizationId } from './seed/plan.ts';
import type { OrganizationSeedPlan } from './seed/plan.ts';
import type { OrganizationDefinition } from './seed/types.ts';

// Fixed facts of the demo data set, for tests and demos. Everything below is derived from
// the definitions in ./seed/, so the facts cannot drift from the seeded rows.

export { DEMO_ORGANIZATION_DEFINITION } from './seed/demo-organization.ts';
export { GLOBEX_ORGANIZATION_DEFINITION } from './seed/globex-organization.ts';
export {
  PIPELINE_STAGES,
  buildOrganizationSeedPlan,
  calendarDate,
  seedApplicationId,
  seedCandidateId,
  seedDocumentId,
  seedJobId,
  seedOrganizationId,
  seedStageId,
  seedUserId,
} from './seed/plan.ts';
export type { OrganizationSeedPlan } from './seed/plan.ts';
export { SEED_UUID_NAMESPACE, seedUuid } from './seed/ids.ts';
export type * from './seed/types.ts';

/** Organizations that seedDemo writes, in the order it writes them. */
export const SEED_ORGANIZATION_DEFINITIONS: readonly OrganizationDefinition[] = [
  DEMO_ORGANIZATION_DEFINITION,
  GLOBEX_ORGANIZATION_DEFINITION,
];

export const DEMO_ORGANIZATION_SLUG = DEMO_ORGANIZATION_DEFINITION.slug;
export const GLOBEX_ORGANIZATION_SLUG = GLOBEX_ORGANIZATION_DEFINITION.slug;
export const SEED_ORGANIZATION_SLUGS: readonly string[] = SEED_ORGANIZATION_DEFINITIONS.map((definition) => definition.slug);

/** Builds the rows of every seed organization. Each call builds them anew and returns equal rows. */
export function buildSeedPlans(): OrganizationSeedPlan[] {
  return SEED_ORGANIZATION_DEFINITIONS.map(buildOrganizationSeedPlan);
}

/** Row counts of one seeded organization. */
export interface SeedCounts {
  users: number;
  jobs: number;
  stages: number;
  jobHiringManagers: number;
  candidates: number;
  applications: number;
  hiredApplications: number;
  documents: number;
}

/** A hired application as exports see it. */
export interface HiredApplicationFact {
  candidateEmail: string;
  /** Name in the candidate's own script and usual order. */
  candidateName: string;
  jobTitle: string;
  department: string;
  /** YYYY-MM-DD, or null when the ATS has no start date. */
  startDate: string | null;
  /** Null when the job title applies. */
  offeredPositionTitle: string | null;
  /** Gender text as entered, or null when the candidate left it out. */
  gender: string | null;
}

/** Fixed facts of one seeded organization. */
export interface OrganizationSeedFacts {
  id: string;
  name: string;
  slug: string;
  userEmailsByRole: Record<Role, string[]>;
  counts: SeedCounts;
  /** Hired applications per job title. */
  hiredPerJob: Record<string, number>;
  hired: HiredApplicationFact[];
  candidateEmails: string[];
}

function describeOrganization(definition: OrganizationDefinition): OrganizationSeedFacts {
  const userEmailsByRole: Record<Role, string[]> = { ADMIN: [], HIRING_MANAGER: [], RECRUITER: [], INTERVIEWER: [] };
  for (const user of definition.users) {
    userEmailsByRole[user.role].push(user.email);
  }

  const jobsByKey = new Map(definition.jobs.map((job) => [job.key, job]));
  const hiredPerJob: Record<string, number> = Object.fromEntries(definition.jobs.map((job) => [job.title, 0]));
  const hired: HiredApplicationFact[] = [];
  let applications = 0;
  let documents = 0;
  for (const candidate of definition.candidates) {
    documents += (candidate.documents ?? ['cv']).length;
    for (const application of candidate.applications) {
      applications += 1;
      const job = jobsByKey.get(application.job);
      if (application.stage !== 'HIRED' || !job) continue;
      hiredPerJob[job.title] = (hiredPerJob[job.title] ?? 0) + 1;
      hired.push({
        candidateEmail: candidate.email,
        candidateName: displayName(candidate),
        jobTitle: job.title,
        department: job.department,
        startDate: application.startDate ?? null,
        offeredPositionTitle: application.offeredPositionTitle ?? null,
        gender: candidate.gender,
      });
    }
  }

  return {
    id: seedOrganizationId(definition.slug),
    name: definition.name,
    slug: definition.slug,
    userEmailsByRole,
    counts: {
      users: definition.users.length,
      jobs: definition.jobs.length,
      stages: definition.jobs.length * PIPELINE_STAGES.length,
      jobHiringManagers: definition.jobs.reduce((sum, job) => sum + job.managerEmails.length, 0),
      candidates: definition.candidates.length,
      applications,
      hiredApplications: hired.length,
      documents,
    },
    hiredPerJob,
    hired,
    candidateEmails: definition.candidates.map((candidate) => candidate.email),
  };
}

/** Facts of the demo organization "Northwind Talent" (slug `demo`). */
export const DEMO_SEED_FACTS = describeOrganization(DEMO_ORGANIZATION_DEFINITION);

/** Facts of the second organization "Globex Recruiting" (slug `globex`). */
export const GLOBEX_SEED_FACTS = describeOrganization(GLOBEX_ORGANIZATION_DEFINITION);

/** Candidate emails that occur, ignoring case, in both the demo and the Globex organization. */
export const SHARED_CANDIDATE_EMAILS: readonly string[] = GLOBEX_SEED_FACTS.candidateEmails.filter((email) =>
  DEMO_SEED_FACTS.candidateEmails.some((demoEmail) => demoEmail.toLowerCase() === email.toLowerCase()),
);

/** The demo candidate whose email is stored with upper-case letters, as entered. */
export const DEMO_MIXED_CASE_EMAIL = 'Olga.Petrova@Example.com';

/** Emails of hired demo candidates whose application has no start date. */
export const DEMO_HIRED_WITHOUT_START_DATE: readonly string[] = DEMO_SEED_FACTS.hired
  .filter((fact) => fact.startDate === null)
  .map((fact) => fact.candidateEmail);

/** Emails of hired demo candidates without an offered position title, whose export uses the job title. */
export const DEMO_HIRED_WITHOUT_OFFERED_TITLE: readonly string[] = DEMO_SEED_FACTS.hired
  .filter((fact) => fact.offeredPositionTitle === null)
  .map((fact) => fact.candidateEmail);
