import { encodeGlobalID } from '@pothos/plugin-relay';
import {
  DEMO_ORGANIZATION_DEFINITION,
  GLOBEX_ORGANIZATION_DEFINITION,
  seedCandidateId,
  seedJobId,
  type OrganizationDefinition,
} from '../../src/db/seed-data.ts';
import type { SeedOrganization } from './service.ts';

/** Expected values that tests derive from the seed definitions in src/db/seed/. */

export const SEED_DEFINITIONS: Record<SeedOrganization, OrganizationDefinition> = {
  demo: DEMO_ORGANIZATION_DEFINITION,
  globex: GLOBEX_ORGANIZATION_DEFINITION,
};

export function globalId(typename: string, id: string): string {
  return encodeGlobalID(typename, id);
}

/** Relay ID of a seeded candidate. */
export function candidateGlobalId(org: SeedOrganization, email: string): string {
  return globalId('Candidate', seedCandidateId(org, email));
}

/** Relay ID of a seeded job, by its key in the seed definition. */
export function jobGlobalId(org: SeedOrganization, jobKey: string): string {
  return globalId('Job', seedJobId(org, jobKey));
}

/** Returns the key of the seeded job with this title. */
export function jobKeyByTitle(org: SeedOrganization, title: string): string {
  const job = SEED_DEFINITIONS[org].jobs.find((candidate) => candidate.title === title);
  if (!job) throw new Error(`The seed of "${org}" has no job titled "${title}".`);
  return job.key;
}

/** Titles of the jobs the user manages, in definition order. */
export function managedJobTitles(org: SeedOrganization, email: string): string[] {
  return SEED_DEFINITIONS[org].jobs.filter((job) => job.managerEmails.includes(email)).map((job) => job.title);
}

/** Emails of candidates with at least one application to one of the jobs. */
export function candidateEmailsForJobs(org: SeedOrganization, jobKeys: readonly string[]): string[] {
  return SEED_DEFINITIONS[org].candidates
    .filter((candidate) => candidate.applications.some((application) => jobKeys.includes(application.job)))
    .map((candidate) => candidate.email);
}

/** Emails of candidates with an application in the HIRED stage. */
export function hiredCandidateEmails(org: SeedOrganization): string[] {
  return SEED_DEFINITIONS[org].candidates
    .filter((candidate) => candidate.applications.some((application) => application.stage === 'HIRED'))
    .map((candidate) => candidate.email);
}
