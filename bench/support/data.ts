import { randomUUID } from 'node:crypto';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { signToken } from '../../src/auth/jwt.ts';
import type { PrismaClient } from '../../src/db/client.ts';
import { buildCvFile } from '../../src/db/seed/files.ts';
import { DEMO_SEED_FACTS, PIPELINE_STAGES, seedJobId, seedOrganizationId, seedStageId, seedUserId } from '../../src/db/seed-data.ts';

/** Seeded users of the demo organization that benchmarks sign tokens for. */
export const DEMO_ADMIN_EMAIL = firstUser('ADMIN');
export const DEMO_RECRUITER_EMAIL = firstUser('RECRUITER');
const DEMO_HIRING_MANAGER_EMAIL = firstUser('HIRING_MANAGER');

function firstUser(role: keyof typeof DEMO_SEED_FACTS.userEmailsByRole): string {
  const email = DEMO_SEED_FACTS.userEmailsByRole[role][0];
  if (!email) throw new Error(`The demo seed has no user with role ${role}.`);
  return email;
}

const organizationId = seedOrganizationId('demo');

/** Signs a token for a seeded user of the demo organization, without a database lookup. */
export function demoTokenFor(email: string, secret: string): Promise<string> {
  return signToken({ userId: seedUserId('demo', email), organizationId }, secret);
}

/** Job sizes of the pipeline data set: one job per size, with that many applicants. */
export const PIPELINE_SIZES = [10, 50, 200] as const;
export type PipelineSize = (typeof PIPELINE_SIZES)[number];

export interface PipelineDataSet {
  /** Relay ID of the job with `size` applicants. */
  jobGlobalIds: Record<PipelineSize, string>;
  /** Relay ID of one candidate of the largest job. */
  candidateGlobalId: string;
}

function cvOf(index: number, email: string, appliedFor: string) {
  return buildCvFile({
    asciiName: `Bench Candidate ${index + 1}`,
    email,
    phone: '+4930123456',
    location: 'Berlin, Germany',
    appliedFor,
    experience: ['Five years of TypeScript services', 'On call for a payment platform'],
  });
}

/**
 * Adds three jobs to the demo organization with 10, 50 and 200 applicants spread over their
 * six stages. The 200 candidates all apply to the largest job, the first 50 also to the
 * middle one and the first 10 to all three, so a candidate has one to three applications.
 * Each candidate also has one CV and one export record, so every field of a list page has data.
 */
export async function createPipelineDataSet(prisma: PrismaClient): Promise<PipelineDataSet> {
  const adminId = seedUserId('demo', DEMO_ADMIN_EMAIL);
  const managerId = seedUserId('demo', DEMO_HIRING_MANAGER_EMAIL);
  const jobs = PIPELINE_SIZES.map((size) => ({ size, id: randomUUID(), title: `Benchmark pipeline (${size} applicants)` }));
  const stageIds = new Map(jobs.map((job) => [job.size, PIPELINE_STAGES.map(() => randomUUID())]));
  const largest = Math.max(...PIPELINE_SIZES);
  const candidates = Array.from({ length: largest }, (_, index) => ({ id: randomUUID(), index, email: `bench-pipeline-${index + 1}@bench.example` }));

  await prisma.$transaction(async (tx) => {
    await tx.job.createMany({
      data: jobs.map((job) => ({ id: job.id, organizationId, title: job.title, department: 'Engineering', office: 'Berlin', employmentType: 'FULL_TIME' as const, weeklyHours: 40 })),
    });
    await tx.pipelineStage.createMany({
      data: jobs.flatMap((job) =>
        PIPELINE_STAGES.map((stage, position) => ({ id: stageIds.get(job.size)![position]!, organizationId, jobId: job.id, name: stage.name, kind: stage.kind, position })),
      ),
    });
    await tx.jobHiringManager.createMany({ data: jobs.map((job) => ({ organizationId, jobId: job.id, userId: managerId })) });

    await tx.candidate.createMany({
      data: candidates.map((candidate) => ({
        id: candidate.id,
        organizationId,
        firstName: 'Bench',
        lastName: `Candidate ${String(candidate.index + 1).padStart(3, '0')}`,
        email: candidate.email,
        phone: '+4930123456',
        gender: 'female',
        city: 'Berlin',
        country: 'Germany',
      })),
    });
    await tx.application.createMany({
      data: candidates.flatMap((candidate) =>
        jobs
          .filter((job) => candidate.index < job.size)
          .map((job) => {
            const position = candidate.index % PIPELINE_STAGES.length;
            const hired = PIPELINE_STAGES[position]!.kind === 'HIRED';
            return {
              organizationId,
              candidateId: candidate.id,
              jobId: job.id,
              stageId: stageIds.get(job.size)![position]!,
              stageEnteredAt: new Date(Date.UTC(2026, 9, 1) + candidate.index * 60_000),
              hiredAt: hired ? new Date(Date.UTC(2026, 9, 1)) : null,
              startDate: hired ? new Date(Date.UTC(2027, 0, 4)) : null,
            };
          }),
      ),
    });
    await tx.candidateDocument.createMany({
      data: candidates.map((candidate) => {
        const file = cvOf(candidate.index, candidate.email, jobs[jobs.length - 1]!.title);
        return { organizationId, candidateId: candidate.id, kind: 'CV' as const, fileName: file.fileName, mimeType: file.mimeType, sizeBytes: file.sizeBytes, sha256: file.sha256, content: file.content };
      }),
    });
    // An export record per candidate needs a connection; no export runs against it.
    const connection = await tx.hrisConnection.create({
      data: { organizationId, provider: 'personio', status: 'CONNECTED', accountLabel: 'bench-data', connectedById: adminId },
    });
    await tx.hrisExport.createMany({
      data: candidates.map((candidate) => ({
        organizationId,
        connectionId: connection.id,
        candidateId: candidate.id,
        status: 'EXPORTED' as const,
        employeeId: String(100_000 + candidate.index),
        employeeUrl: `https://bench.personio.de/staff/details/${100_000 + candidate.index}`,
        fieldOutcomes: [{ field: 'firstName', status: 'SENT', value: 'Bench', reason: null }],
        documentOutcomes: [],
        exportedById: adminId,
        firstExportedAt: new Date(Date.UTC(2026, 9, 2)),
      })),
    });
  }, { timeout: 60_000 });

  return {
    jobGlobalIds: Object.fromEntries(jobs.map((job) => [job.size, encodeGlobalID('Job', job.id)])) as Record<PipelineSize, string>,
    candidateGlobalId: encodeGlobalID('Candidate', candidates[0]!.id),
  };
}

export interface CreatedHire {
  id: string;
  globalId: string;
  email: string;
}

/**
 * Inserts `count` candidates hired into the demo job "Senior Backend Engineer", each with the
 * fields an HRIS export maps (name, gender, phone, address, nationality, start date) and,
 * with `withCv`, one PDF CV of about 1.5 KB. Emails are `<prefix>-<n>@hires.example`.
 */
export async function createHires(prisma: PrismaClient, options: { count: number; prefix: string; withCv: boolean }): Promise<CreatedHire[]> {
  const jobId = seedJobId('demo', 'backend');
  const stageId = seedStageId('demo', 'backend', 'HIRED');
  const hires = Array.from({ length: options.count }, (_, index) => ({ id: randomUUID(), index, email: `${options.prefix}-${index + 1}@hires.example` }));
  await prisma.$transaction(async (tx) => {
    await tx.candidate.createMany({
      data: hires.map((hire) => ({
        id: hire.id,
        organizationId,
        firstName: 'Hire',
        lastName: `${options.prefix} ${hire.index + 1}`,
        email: hire.email,
        phone: '+4930123456',
        gender: hire.index % 2 === 0 ? 'female' : 'male',
        dateOfBirth: new Date(Date.UTC(1990, 4, 17)),
        street: 'Invalidenstraße 1',
        postalCode: '10115',
        city: 'Berlin',
        country: 'Germany',
        nationality: 'German',
      })),
    });
    await tx.application.createMany({
      data: hires.map((hire) => ({
        organizationId,
        candidateId: hire.id,
        jobId,
        stageId,
        hiredAt: new Date(),
        stageEnteredAt: new Date(),
        startDate: new Date(Date.UTC(2027, 0, 4)),
      })),
    });
    if (options.withCv) {
      await tx.candidateDocument.createMany({
        data: hires.map((hire) => {
          const file = cvOf(hire.index, hire.email, 'Senior Backend Engineer');
          return { organizationId, candidateId: hire.id, kind: 'CV' as const, fileName: file.fileName, mimeType: file.mimeType, sizeBytes: file.sizeBytes, sha256: file.sha256, content: file.content };
        }),
      });
    }
  }, { timeout: 60_000 });
  return hires.map((hire) => ({ id: hire.id, globalId: encodeGlobalID('Candidate', hire.id), email: hire.email }));
}
