import type { Prisma, StageKind } from '../../generated/prisma/client.ts';
import { buildCvFile, buildDocxFile, buildTextFile, fileNameStem, toAscii } from './files.ts';
import type { SeedFile } from './files.ts';
import { seedNumber, seedUuid } from './ids.ts';
import type { ApplicationDefinition, CandidateDefinition, DocumentDefinition, IsoDate, JobDefinition, OrganizationDefinition } from './types.ts';

/** Stages of every seeded job in pipeline order. The index is the stage position. */
export const PIPELINE_STAGES: readonly { name: string; kind: StageKind }[] = [
  { name: 'Applied', kind: 'APPLIED' },
  { name: 'Screening', kind: 'SCREENING' },
  { name: 'Interview', kind: 'INTERVIEW' },
  { name: 'Offer', kind: 'OFFER' },
  { name: 'Hired', kind: 'HIRED' },
  { name: 'Rejected', kind: 'REJECTED' },
];

/** Rows of one organization, ready for createMany in foreign-key order. */
export interface OrganizationSeedPlan {
  organization: Prisma.OrganizationCreateManyInput & { id: string };
  users: Prisma.UserCreateManyInput[];
  jobs: Prisma.JobCreateManyInput[];
  stages: Prisma.PipelineStageCreateManyInput[];
  jobHiringManagers: Prisma.JobHiringManagerCreateManyInput[];
  candidates: Prisma.CandidateCreateManyInput[];
  applications: Prisma.ApplicationCreateManyInput[];
  documents: Prisma.CandidateDocumentCreateManyInput[];
}

export function seedOrganizationId(slug: string): string {
  return seedUuid(`organization/${slug}`);
}

export function seedUserId(slug: string, email: string): string {
  return seedUuid(`${slug}/user/${email.toLowerCase()}`);
}

export function seedJobId(slug: string, jobKey: string): string {
  return seedUuid(`${slug}/job/${jobKey}`);
}

export function seedStageId(slug: string, jobKey: string, kind: StageKind): string {
  return seedUuid(`${slug}/job/${jobKey}/stage/${kind}`);
}

export function seedCandidateId(slug: string, email: string): string {
  return seedUuid(`${slug}/candidate/${email.toLowerCase()}`);
}

export function seedApplicationId(slug: string, email: string, jobKey: string): string {
  return seedUuid(`${slug}/application/${email.toLowerCase()}/${jobKey}`);
}

export function seedDocumentId(slug: string, email: string, fileName: string): string {
  return seedUuid(`${slug}/document/${email.toLowerCase()}/${fileName}`);
}

/** Converts a calendar date to a Date at UTC midnight, the form Prisma uses for `@db.Date` columns. */
export function calendarDate(day: IsoDate): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== day) {
    throw new Error(`Invalid seed date "${day}": expected an existing calendar day as YYYY-MM-DD.`);
  }
  return date;
}

/**
 * Returns a timestamp on `day` between 07:00 and 16:59 UTC (office hours in Europe),
 * with the time of day derived from `salt` so that it is the same on every run.
 */
function timestampOn(day: IsoDate, salt: string): Date {
  const variation = seedNumber(salt);
  const secondsIntoDay = (7 + (variation % 10)) * 3600 + ((variation >>> 8) % 60) * 60 + ((variation >>> 16) % 60);
  return new Date(calendarDate(day).getTime() + secondsIntoDay * 1000);
}

const EAST_ASIAN_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/** Returns the candidate's full name. Chinese, Japanese and Korean names put the family name first, without a space. */
export function displayName(candidate: Pick<CandidateDefinition, 'firstName' | 'lastName'>): string {
  return EAST_ASIAN_SCRIPT.test(candidate.lastName)
    ? `${candidate.lastName}${candidate.firstName}`
    : `${candidate.firstName} ${candidate.lastName}`;
}

export function asciiNameOf(candidate: CandidateDefinition): string {
  return candidate.asciiName ?? toAscii(`${candidate.firstName} ${candidate.lastName}`);
}

function coverLetterParagraphs(candidate: CandidateDefinition, job: JobDefinition, organizationName: string): string[] {
  const name = displayName(candidate);
  return [
    name,
    candidate.email,
    'Dear hiring team,',
    `I am applying for the position of ${job.title} at ${organizationName}. What I bring:`,
    ...job.cvExperience.map((line) => `- ${line}`),
    'I look forward to hearing from you.',
    'Kind regards,',
    name,
    'Demo data for the HRIS export service. This person is fictitious.',
  ];
}

function buildDocumentFile(
  document: DocumentDefinition,
  candidate: CandidateDefinition,
  job: JobDefinition,
  organizationName: string,
): SeedFile {
  const asciiName = asciiNameOf(candidate);
  const stem = fileNameStem(asciiName);

  if (document === 'cv') {
    const location = candidate.address ? toAscii(`${candidate.address.city}, ${candidate.address.country}`) : null;
    return buildCvFile({
      asciiName,
      email: candidate.email,
      phone: candidate.phone,
      location,
      appliedFor: job.title,
      experience: job.cvExperience,
    });
  }
  if (document === 'cover-letter.txt') {
    return buildTextFile(`${stem}_Cover_Letter.txt`, `${coverLetterParagraphs(candidate, job, organizationName).join('\n\n')}\n`);
  }
  if (document === 'cover-letter.docx') {
    return buildDocxFile(`${stem}_Cover_Letter.docx`, coverLetterParagraphs(candidate, job, organizationName));
  }
  return buildDocxFile(`${stem}_${fileNameStem(toAscii(document.other))}.docx`, [
    `${document.other}: ${displayName(candidate)}`,
    `Prepared for the application as ${job.title} at ${organizationName}.`,
    ...job.cvExperience,
    'Demo data for the HRIS export service. This person is fictitious.',
  ]);
}

function documentKind(document: DocumentDefinition): 'CV' | 'COVER_LETTER' | 'OTHER' {
  if (document === 'cv') return 'CV';
  if (document === 'cover-letter.txt' || document === 'cover-letter.docx') return 'COVER_LETTER';
  return 'OTHER';
}

/** Throws unless every reference and date in the definition is consistent, so a bad edit fails before any row is written. */
function validateDefinition(definition: OrganizationDefinition): void {
  const where = `seed organization "${definition.slug}"`;
  const userEmails = new Set(definition.users.map((user) => user.email.toLowerCase()));
  if (userEmails.size !== definition.users.length) {
    throw new Error(`Duplicate user email (ignoring case) in ${where}.`);
  }

  const jobsByKey = new Map(definition.jobs.map((job) => [job.key, job]));
  for (const job of definition.jobs) {
    for (const email of job.managerEmails) {
      if (!userEmails.has(email.toLowerCase())) {
        throw new Error(`Job "${job.key}" in ${where} lists manager ${email}, who is not a user of the organization.`);
      }
    }
  }

  const candidateEmails = new Set<string>();
  for (const candidate of definition.candidates) {
    const email = candidate.email.toLowerCase();
    if (candidateEmails.has(email)) {
      throw new Error(`Duplicate candidate email ${candidate.email} (ignoring case) in ${where}.`);
    }
    candidateEmails.add(email);
    if (candidate.applications.length === 0) {
      throw new Error(`Candidate ${candidate.email} in ${where} has no application.`);
    }
    if (candidate.phone !== null && !/^\+[1-9]\d{6,14}$/.test(candidate.phone)) {
      throw new Error(`Phone ${candidate.phone} of candidate ${candidate.email} in ${where} is not in E.164 format.`);
    }

    const appliedJobs = new Set<string>();
    for (const application of candidate.applications) {
      const job = jobsByKey.get(application.job);
      if (!job) {
        throw new Error(`Candidate ${candidate.email} in ${where} applied to unknown job "${application.job}".`);
      }
      if (appliedJobs.has(application.job)) {
        throw new Error(`Candidate ${candidate.email} in ${where} applied twice to job "${application.job}".`);
      }
      appliedJobs.add(application.job);
      validateApplication(application, job, `application of ${candidate.email} to "${job.key}" in ${where}`);
    }
  }
}

function validateApplication(application: ApplicationDefinition, job: JobDefinition, where: string): void {
  const applied = calendarDate(application.appliedOn);
  const entered = calendarDate(application.stageEnteredOn);
  if (applied < calendarDate(job.createdOn)) {
    throw new Error(`The ${where} is dated before the job was created.`);
  }
  if (entered < applied) {
    throw new Error(`The ${where} entered its stage before it was submitted.`);
  }
  if (application.stage === 'APPLIED' && entered.getTime() !== applied.getTime()) {
    throw new Error(`The ${where} is in stage APPLIED, so stageEnteredOn must equal appliedOn.`);
  }
  if (application.stage !== 'HIRED' && application.startDate != null) {
    throw new Error(`The ${where} has a start date but is not in stage HIRED.`);
  }
  if (application.startDate != null) {
    calendarDate(application.startDate);
  }
}

/**
 * Converts an organization definition to the rows that seed it. Ids, timestamps and file
 * bytes depend only on the definition, so every call returns equal rows.
 */
export function buildOrganizationSeedPlan(definition: OrganizationDefinition): OrganizationSeedPlan {
  validateDefinition(definition);

  const slug = definition.slug;
  const organizationId = seedOrganizationId(slug);
  const jobsByKey = new Map(definition.jobs.map((job) => [job.key, job]));

  const plan: OrganizationSeedPlan = {
    organization: {
      id: organizationId,
      name: definition.name,
      slug,
      createdAt: timestampOn(definition.createdOn, `${slug}/organization`),
    },
    users: [],
    jobs: [],
    stages: [],
    jobHiringManagers: [],
    candidates: [],
    applications: [],
    documents: [],
  };

  for (const user of definition.users) {
    plan.users.push({
      id: seedUserId(slug, user.email),
      organizationId,
      name: user.name,
      email: user.email,
      role: user.role,
      createdAt: timestampOn(definition.createdOn, `${slug}/user/${user.email}`),
    });
  }

  for (const job of definition.jobs) {
    const jobId = seedJobId(slug, job.key);
    plan.jobs.push({
      id: jobId,
      organizationId,
      title: job.title,
      department: job.department,
      office: job.office,
      employmentType: job.employmentType,
      weeklyHours: job.weeklyHours,
      status: job.status,
      createdAt: timestampOn(job.createdOn, `${slug}/job/${job.key}`),
    });
    for (const [position, stage] of PIPELINE_STAGES.entries()) {
      plan.stages.push({
        id: seedStageId(slug, job.key, stage.kind),
        organizationId,
        jobId,
        name: stage.name,
        position,
        kind: stage.kind,
      });
    }
    for (const email of job.managerEmails) {
      plan.jobHiringManagers.push({ organizationId, jobId, userId: seedUserId(slug, email) });
    }
  }

  for (const candidate of definition.candidates) {
    const candidateId = seedCandidateId(slug, candidate.email);
    const applications = [...candidate.applications].sort((a, b) => a.appliedOn.localeCompare(b.appliedOn));
    const firstApplication = applications[0];
    const latestApplication = applications.at(-1);
    if (!firstApplication || !latestApplication) {
      throw new Error(`Candidate ${candidate.email} in seed organization "${slug}" has no application.`);
    }
    const candidateCreatedAt = timestampOn(firstApplication.appliedOn, `${slug}/application/${candidate.email}/${firstApplication.job}`);

    plan.candidates.push({
      id: candidateId,
      organizationId,
      firstName: candidate.firstName,
      lastName: candidate.lastName,
      preferredName: candidate.preferredName ?? null,
      email: candidate.email,
      phone: candidate.phone,
      gender: candidate.gender,
      dateOfBirth: candidate.dateOfBirth === null ? null : calendarDate(candidate.dateOfBirth),
      street: candidate.address?.street ?? null,
      postalCode: candidate.address?.postalCode ?? null,
      city: candidate.address?.city ?? null,
      country: candidate.address?.country ?? null,
      nationality: candidate.nationality,
      createdAt: candidateCreatedAt,
      updatedAt: candidateCreatedAt,
    });

    for (const application of applications) {
      const appliedAt = timestampOn(application.appliedOn, `${slug}/application/${candidate.email}/${application.job}`);
      const stageEnteredAt =
        application.stageEnteredOn === application.appliedOn
          ? appliedAt
          : timestampOn(application.stageEnteredOn, `${slug}/stage-entered/${candidate.email}/${application.job}`);
      const hired = application.stage === 'HIRED';
      plan.applications.push({
        id: seedApplicationId(slug, candidate.email, application.job),
        organizationId,
        candidateId,
        jobId: seedJobId(slug, application.job),
        stageId: seedStageId(slug, application.job, application.stage),
        stageEnteredAt,
        hiredAt: hired ? stageEnteredAt : null,
        startDate: application.startDate ? calendarDate(application.startDate) : null,
        offeredPositionTitle: application.offeredPositionTitle ?? null,
        createdAt: appliedAt,
        updatedAt: stageEnteredAt,
      });
    }

    // Documents belong to the candidate and describe the most recent application.
    const latestJob = jobsByKey.get(latestApplication.job);
    if (!latestJob) {
      throw new Error(`Candidate ${candidate.email} in seed organization "${slug}" applied to unknown job "${latestApplication.job}".`);
    }
    for (const [index, document] of (candidate.documents ?? ['cv']).entries()) {
      const file = buildDocumentFile(document, candidate, latestJob, definition.name);
      plan.documents.push({
        id: seedDocumentId(slug, candidate.email, file.fileName),
        organizationId,
        candidateId,
        kind: documentKind(document),
        fileName: file.fileName,
        mimeType: file.mimeType,
        sizeBytes: file.sizeBytes,
        sha256: file.sha256,
        content: file.content,
        createdAt: new Date(candidateCreatedAt.getTime() + index * 1000),
      });
    }
  }

  return plan;
}
