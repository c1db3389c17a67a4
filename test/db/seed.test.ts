import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { PrismaClient } from '../../src/generated/prisma/client.ts';
import { seedDemo } from '../../src/db/seed.ts';
import {
  DEMO_HIRED_WITHOUT_START_DATE,
  DEMO_MIXED_CASE_EMAIL,
  DEMO_ORGANIZATION_SLUG,
  DEMO_SEED_FACTS,
  GLOBEX_ORGANIZATION_SLUG,
  GLOBEX_SEED_FACTS,
  SHARED_CANDIDATE_EMAILS,
  buildSeedPlans,
  seedOrganizationId,
  seedUserId,
} from '../../src/db/seed-data.ts';
import type { OrganizationSeedFacts } from '../../src/db/seed-data.ts';

// Runs against the PostgreSQL server on 127.0.0.1:5432 (user postgres, trust authentication).
// Each run creates its own database, applies the migrations with the Prisma CLI and drops
// the database afterwards.

const execFileAsync = promisify(execFile);
const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));
const serverUrl = 'postgresql://postgres@127.0.0.1:5432';
const databaseName = `seed_test_${randomBytes(6).toString('hex')}`;
const databaseUrl = `${serverUrl}/${databaseName}`;

let prisma: PrismaClient | undefined;
let databaseCreated = false;

function db(): PrismaClient {
  if (!prisma) throw new Error('The test database was not set up; see the error of beforeAll.');
  return prisma;
}

async function withServerConnection<T>(action: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: `${serverUrl}/postgres` });
  await client.connect();
  try {
    return await action(client);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  await withServerConnection((client) => client.query(`CREATE DATABASE "${databaseName}"`));
  databaseCreated = true;
  await execFileAsync('npx', ['prisma', 'migrate', 'deploy'], {
    cwd: repositoryRoot,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    timeout: 120_000,
  });
  prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
}, 150_000);

afterAll(async () => {
  await prisma?.$disconnect();
  if (databaseCreated) {
    await withServerConnection((client) => client.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`));
  }
}, 30_000);

async function countRows(organizationId: string) {
  const where = { organizationId };
  const client = db();
  return {
    users: await client.user.count({ where }),
    jobs: await client.job.count({ where }),
    stages: await client.pipelineStage.count({ where }),
    jobHiringManagers: await client.jobHiringManager.count({ where }),
    candidates: await client.candidate.count({ where }),
    applications: await client.application.count({ where }),
    hiredApplications: await client.application.count({ where: { organizationId, stage: { kind: 'HIRED' } } }),
    documents: await client.candidateDocument.count({ where }),
  };
}

/** Returns every object number whose "N 0 obj" header is not at the offset that the xref table lists. */
function misplacedPdfObjects(pdf: Buffer): number[] {
  const text = pdf.toString('latin1');
  const startxref = /startxref\n(\d+)\n%%EOF\n?$/.exec(text);
  if (!startxref) return [-1];
  const xrefOffset = Number(startxref[1]);
  const xref = /^xref\n0 (\d+)\n/.exec(text.slice(xrefOffset));
  if (!xref) return [-1];
  const entryCount = Number(xref[1]);
  const entriesStart = xrefOffset + xref[0].length;
  const misplaced: number[] = [];
  for (let objectNumber = 1; objectNumber < entryCount; objectNumber++) {
    const entry = text.slice(entriesStart + objectNumber * 20, entriesStart + (objectNumber + 1) * 20);
    const offset = Number(entry.slice(0, 10));
    if (!text.startsWith(`${objectNumber} 0 obj`, offset)) misplaced.push(objectNumber);
  }
  return misplaced;
}

describe('seed data definitions', () => {
  it('builds identical rows on every call', () => {
    const first = buildSeedPlans();
    const second = buildSeedPlans();
    expect(second).toEqual(first);
  });

  it('matches the demo specification', () => {
    expect(DEMO_SEED_FACTS.name).toBe('Northwind Talent');
    expect(DEMO_SEED_FACTS.counts.users).toBe(6);
    expect(DEMO_SEED_FACTS.counts.jobs).toBe(5);
    expect(DEMO_SEED_FACTS.counts.candidates).toBe(60);
    expect(DEMO_SEED_FACTS.counts.applications).toBeGreaterThan(60);
    expect(DEMO_SEED_FACTS.counts.hiredApplications).toBeGreaterThanOrEqual(18);
    for (const [title, hired] of Object.entries(DEMO_SEED_FACTS.hiredPerJob)) {
      expect(hired, title).toBeGreaterThanOrEqual(3);
    }
  });

  it('matches the Globex specification', () => {
    expect(GLOBEX_SEED_FACTS.name).toBe('Globex Recruiting');
    expect(GLOBEX_SEED_FACTS.counts.users).toBe(4);
    expect(GLOBEX_SEED_FACTS.counts.jobs).toBe(2);
    expect(GLOBEX_SEED_FACTS.counts.candidates).toBe(10);
    expect(GLOBEX_SEED_FACTS.counts.hiredApplications).toBeGreaterThanOrEqual(3);
    expect(SHARED_CANDIDATE_EMAILS.length).toBeGreaterThan(0);
  });

  it('uses distinct ids across organizations', () => {
    const ids = buildSeedPlans().flatMap((plan) => [
      plan.organization.id,
      ...plan.users.map((row) => row.id),
      ...plan.jobs.map((row) => row.id),
      ...plan.stages.map((row) => row.id),
      ...plan.candidates.map((row) => row.id),
      ...plan.applications.map((row) => row.id),
      ...plan.documents.map((row) => row.id),
    ]);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('seedDemo against PostgreSQL', () => {
  it('rolls back organization on failure', async () => {
    // A user in another organization takes the fixed id of the demo admin, so the demo
    // transaction fails at its user insert after the organization row was inserted.
    const blocker = await db().organization.create({ data: { name: 'Blocker', slug: 'seed-test-blocker' } });
    await db().user.create({
      data: {
        id: seedUserId(DEMO_ORGANIZATION_SLUG, DEMO_SEED_FACTS.userEmailsByRole.ADMIN[0] ?? ''),
        organizationId: blocker.id,
        name: 'Blocker',
        email: 'blocker@example.com',
        role: 'ADMIN',
      },
    });

    await expect(seedDemo(db())).rejects.toMatchObject({ code: 'P2002' });
    expect(await db().organization.count({ where: { slug: DEMO_ORGANIZATION_SLUG } })).toBe(0);
    expect(await db().candidate.count({ where: { organizationId: seedOrganizationId(DEMO_ORGANIZATION_SLUG) } })).toBe(0);

    await db().organization.delete({ where: { id: blocker.id } });
  });

  it('seeds both organizations on first run', async () => {
    const messages: { message: string; fields?: object }[] = [];
    const startedAt = performance.now();
    const result = await seedDemo(db(), { log: (message, fields) => messages.push({ message, fields }) });
    const durationMs = performance.now() - startedAt;

    expect(result.created).toBe(true);
    expect(result.organizations).toEqual([
      { slug: DEMO_ORGANIZATION_SLUG, id: DEMO_SEED_FACTS.id },
      { slug: GLOBEX_ORGANIZATION_SLUG, id: GLOBEX_SEED_FACTS.id },
    ]);
    expect(messages.map((entry) => entry.message)).toEqual(['Seeded organization', 'Seeded organization']);
    expect(durationMs).toBeLessThan(5_000);
  });

  it.each([
    ['demo', DEMO_SEED_FACTS],
    ['globex', GLOBEX_SEED_FACTS],
  ] as const)('stores the expected row counts (%s)', async (_slug, facts: OrganizationSeedFacts) => {
    expect(await countRows(facts.id)).toEqual(facts.counts);
  });

  it.each([
    ['demo', DEMO_SEED_FACTS],
    ['globex', GLOBEX_SEED_FACTS],
  ] as const)('stores users by role (%s)', async (_slug, facts: OrganizationSeedFacts) => {
    for (const [role, emails] of Object.entries(facts.userEmailsByRole)) {
      const users = await db().user.findMany({
        where: { organizationId: facts.id, role: role as keyof OrganizationSeedFacts['userEmailsByRole'] },
        orderBy: { email: 'asc' },
      });
      expect(users.map((user) => user.email), role).toEqual([...emails].sort());
    }
  });

  it('stores specified demo users', async () => {
    const users = await db().user.findMany({ where: { organizationId: DEMO_SEED_FACTS.id } });
    const roleByEmail = Object.fromEntries(users.map((user) => [user.email, user.role]));
    expect(roleByEmail).toEqual({
      'amara.okafor@northwind.example': 'ADMIN',
      'hannah.schmidt@northwind.example': 'HIRING_MANAGER',
      'kenji.watanabe@northwind.example': 'HIRING_MANAGER',
      'lucia.fernandez@northwind.example': 'RECRUITER',
      'oliver.brown@northwind.example': 'RECRUITER',
      'priya.raman@northwind.example': 'INTERVIEWER',
    });
    const grace = await db().user.findFirst({ where: { organizationId: GLOBEX_SEED_FACTS.id, role: 'ADMIN' } });
    expect(grace?.email).toBe('grace.hopper@globex.example');
  });

  it('stores demo jobs and managers', async () => {
    const jobs = await db().job.findMany({
      where: { organizationId: DEMO_SEED_FACTS.id },
      include: { hiringManagers: { include: { user: true } } },
      orderBy: { title: 'asc' },
    });
    const summary = jobs.map((job) => ({
      title: job.title,
      department: job.department,
      office: job.office,
      employmentType: job.employmentType,
      weeklyHours: job.weeklyHours?.toNumber(),
      status: job.status,
      managers: job.hiringManagers.map((manager) => manager.user.name).sort(),
    }));
    expect(summary).toEqual([
      {
        title: 'Account Executive DACH',
        department: 'Sales',
        office: 'Munich',
        employmentType: 'FULL_TIME',
        weeklyHours: 40,
        status: 'OPEN',
        managers: ['Kenji Watanabe'],
      },
      {
        title: 'Customer Success Manager',
        department: 'Customer Succes',
        office: 'Madrid',
        employmentType: 'CONTRACT',
        weeklyHours: 40,
        status: 'CLOSED',
        managers: ['Hannah Schmidt', 'Kenji Watanabe'],
      },
      {
        title: 'People Partner',
        department: 'People',
        office: 'London',
        employmentType: 'PART_TIME',
        weeklyHours: 30,
        status: 'OPEN',
        managers: ['Kenji Watanabe'],
      },
      {
        title: 'Product Designer',
        department: 'Product Design',
        office: 'Berlin',
        employmentType: 'FULL_TIME',
        weeklyHours: 40,
        status: 'OPEN',
        managers: ['Hannah Schmidt'],
      },
      {
        title: 'Senior Backend Engineer',
        department: 'Engineering',
        office: 'Berlin',
        employmentType: 'FULL_TIME',
        weeklyHours: 40,
        status: 'OPEN',
        managers: ['Hannah Schmidt'],
      },
    ]);
  });

  it('gives jobs six standard stages', async () => {
    const jobs = await db().job.findMany({ include: { stages: { orderBy: { position: 'asc' } } } });
    expect(jobs).toHaveLength(DEMO_SEED_FACTS.counts.jobs + GLOBEX_SEED_FACTS.counts.jobs);
    for (const job of jobs) {
      expect(job.stages.map((stage) => `${stage.position}:${stage.name}:${stage.kind}`), job.title).toEqual([
        '0:Applied:APPLIED',
        '1:Screening:SCREENING',
        '2:Interview:INTERVIEW',
        '3:Offer:OFFER',
        '4:Hired:HIRED',
        '5:Rejected:REJECTED',
      ]);
      expect(job.stages.filter((stage) => stage.kind === 'HIRED'), job.title).toHaveLength(1);
    }
  });

  it('hires three or more per job', async () => {
    const jobs = await db().job.findMany({
      where: { organizationId: DEMO_SEED_FACTS.id },
      include: { applications: { where: { stage: { kind: 'HIRED' } } } },
    });
    const hiredPerJob = Object.fromEntries(jobs.map((job) => [job.title, job.applications.length]));
    expect(hiredPerJob).toEqual(DEMO_SEED_FACTS.hiredPerJob);
    const totalHired = Object.values(hiredPerJob).reduce((sum, count) => sum + count, 0);
    expect(totalHired).toBeGreaterThanOrEqual(15);
    for (const [title, count] of Object.entries(hiredPerJob)) {
      expect(count, title).toBeGreaterThanOrEqual(3);
    }
  });

  it('keeps each application in a stage of its job', async () => {
    const applications = await db().application.findMany({ include: { stage: true } });
    for (const application of applications) {
      expect(application.stage.jobId, application.id).toBe(application.jobId);
    }
  });

  it('sets hire fields only when hired', async () => {
    const applications = await db().application.findMany({ include: { stage: true } });
    for (const application of applications) {
      const hired = application.stage.kind === 'HIRED';
      expect(application.hiredAt !== null, application.id).toBe(hired);
      if (!hired) expect(application.startDate, application.id).toBeNull();
      expect(application.stageEnteredAt.getTime(), application.id).toBeGreaterThanOrEqual(application.createdAt.getTime());
    }
  });

  it('stores start dates as calendar dates', async () => {
    const rows = await db().$queryRaw<{ startDate: string }[]>`
      SELECT "startDate"::text AS "startDate" FROM "Application" WHERE "startDate" IS NOT NULL`;
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.startDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }

    const hired = await db().application.findMany({
      where: { organizationId: DEMO_SEED_FACTS.id, stage: { kind: 'HIRED' } },
      include: { candidate: true },
    });
    for (const application of hired) {
      if (application.startDate === null) continue;
      expect(application.startDate.getUTCHours() + application.startDate.getUTCMinutes(), application.id).toBe(0);
    }
    const withoutStartDate = hired.filter((application) => application.startDate === null).map((application) => application.candidate.email);
    expect(withoutStartDate.sort()).toEqual([...DEMO_HIRED_WITHOUT_START_DATE].sort());
    expect(withoutStartDate.length).toBeGreaterThan(0);
  });

  it('keeps emails unique per organization', async () => {
    for (const facts of [DEMO_SEED_FACTS, GLOBEX_SEED_FACTS]) {
      const candidates = await db().candidate.findMany({ where: { organizationId: facts.id } });
      const lowerCased = candidates.map((candidate) => candidate.email.toLowerCase());
      expect(new Set(lowerCased).size, facts.slug).toBe(candidates.length);
    }

    const shared = await db().candidate.findMany({ where: { email: { in: [...SHARED_CANDIDATE_EMAILS] } } });
    expect(shared).toHaveLength(SHARED_CANDIDATE_EMAILS.length * 2);
  });

  it('stores mixed-case email as entered', async () => {
    const olga = await db().candidate.findFirst({
      where: { organizationId: DEMO_SEED_FACTS.id, email: { equals: 'olga.petrova@example.com', mode: 'insensitive' } },
    });
    expect(olga?.email).toBe(DEMO_MIXED_CASE_EMAIL);
  });

  it('stores international names unchanged', async () => {
    const candidates = await db().candidate.findMany({ where: { organizationId: DEMO_SEED_FACTS.id } });
    const names = new Set(candidates.map((candidate) => `${candidate.firstName} ${candidate.lastName}`));
    for (const name of ['Zoë Müller', 'Søren Kjær', 'Łukasz Wiśniewski', "Siobhán O'Brien", "D'Arcy N'Diaye", 'Anna-Lena Schulz-Hoffmann', '娜 李', 'Дмитрий Иванов', 'محمد العلي', 'Γιώργος Παπαδόπουλος', '민준 김']) {
      expect(names.has(name), name).toBe(true);
    }
    for (const candidate of candidates) {
      if (candidate.phone !== null) expect(candidate.phone).toMatch(/^\+[1-9]\d{6,14}$/);
      if (candidate.dateOfBirth !== null) expect(candidate.dateOfBirth.getUTCHours()).toBe(0);
    }
  });

  it('attaches a CV to every hired candidate', async () => {
    const hired = await db().application.findMany({
      where: { stage: { kind: 'HIRED' } },
      include: { candidate: { include: { documents: true } } },
    });
    for (const application of hired) {
      const cvs = application.candidate.documents.filter((document) => document.kind === 'CV');
      expect(cvs, application.candidate.email).toHaveLength(1);
    }
  });

  it('stores valid PDF CVs', async () => {
    const cvs = await db().candidateDocument.findMany({ where: { kind: 'CV' } });
    expect(cvs.length).toBeGreaterThan(0);
    for (const cv of cvs) {
      const content = Buffer.from(cv.content);
      expect(cv.mimeType, cv.fileName).toBe('application/pdf');
      expect(cv.fileName, cv.fileName).toMatch(/^[A-Za-z0-9_-]+_CV\.pdf$/);
      expect(content.subarray(0, 5).toString('latin1'), cv.fileName).toBe('%PDF-');
      expect(content.toString('latin1').trimEnd().endsWith('%%EOF'), cv.fileName).toBe(true);
      expect(cv.sizeBytes, cv.fileName).toBe(content.length);
      expect(cv.sizeBytes, cv.fileName).toBeGreaterThanOrEqual(1024);
      expect(cv.sizeBytes, cv.fileName).toBeLessThanOrEqual(3072);
      expect(cv.sha256, cv.fileName).toBe(createHash('sha256').update(content).digest('hex'));
      expect(misplacedPdfObjects(content), cv.fileName).toEqual([]);
    }

    const zoe = cvs.find((cv) => cv.fileName === 'Zoe_Mueller_CV.pdf' && cv.organizationId === DEMO_SEED_FACTS.id);
    expect(zoe).toBeDefined();
    expect(Buffer.from(zoe?.content ?? []).toString('latin1')).toContain('(Zoe Mueller) Tj');
  });

  it('stores cover letters and other files', async () => {
    const documents = await db().candidateDocument.findMany({ where: { kind: { not: 'CV' } } });
    const kinds = new Set(documents.map((document) => `${document.kind}:${document.mimeType}`));
    expect(kinds).toEqual(
      new Set([
        'COVER_LETTER:text/plain',
        'COVER_LETTER:application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        'OTHER:application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      ]),
    );
    for (const document of documents) {
      const content = Buffer.from(document.content);
      expect(document.sizeBytes, document.fileName).toBe(content.length);
      expect(document.sha256, document.fileName).toBe(createHash('sha256').update(content).digest('hex'));
      if (document.fileName.endsWith('.docx')) {
        expect(content.subarray(0, 4).toString('latin1'), document.fileName).toBe('PK\x03\x04');
        expect(content.toString('latin1'), document.fileName).toContain('word/document.xml');
      } else {
        expect(document.fileName, document.fileName).toMatch(/\.txt$/);
        expect(content.toString('utf8'), document.fileName).toContain('Dear hiring team,');
      }
    }
  });

  it('changes nothing on second run', async () => {
    const before = {
      demo: await countRows(DEMO_SEED_FACTS.id),
      globex: await countRows(GLOBEX_SEED_FACTS.id),
      organizations: await db().organization.count(),
      latestCandidateUpdate: (await db().candidate.aggregate({ _max: { updatedAt: true } }))._max.updatedAt,
    };

    const messages: string[] = [];
    const result = await seedDemo(db(), { log: (message) => messages.push(message) });

    expect(result.created).toBe(false);
    expect(result.organizations).toEqual([
      { slug: DEMO_ORGANIZATION_SLUG, id: DEMO_SEED_FACTS.id },
      { slug: GLOBEX_ORGANIZATION_SLUG, id: GLOBEX_SEED_FACTS.id },
    ]);
    expect(messages).toEqual(['Organization exists already, not seeded again', 'Organization exists already, not seeded again']);
    const after = {
      demo: await countRows(DEMO_SEED_FACTS.id),
      globex: await countRows(GLOBEX_SEED_FACTS.id),
      organizations: await db().organization.count(),
      latestCandidateUpdate: (await db().candidate.aggregate({ _max: { updatedAt: true } }))._max.updatedAt,
    };
    expect(after).toEqual(before);
  });

  it('rejects fixed id under another slug', async () => {
    const database = db();
    await database.organization.update({ where: { slug: GLOBEX_ORGANIZATION_SLUG }, data: { slug: 'globex-renamed' } });
    try {
      await expect(seedDemo(database)).rejects.toThrow(/fixed id .* belongs to an organization with another slug/);
      expect(await database.organization.count({ where: { slug: GLOBEX_ORGANIZATION_SLUG } })).toBe(0);
    } finally {
      await database.organization.update({ where: { slug: 'globex-renamed' }, data: { slug: GLOBEX_ORGANIZATION_SLUG } });
    }
  });

  it('reports existing id for taken slug', async () => {
    const database = db();
    await database.organization.update({ where: { slug: GLOBEX_ORGANIZATION_SLUG }, data: { slug: 'globex-renamed' } });
    const lookAlike = await database.organization.create({ data: { name: 'Globex look-alike', slug: GLOBEX_ORGANIZATION_SLUG } });
    try {
      const result = await seedDemo(database);
      expect(result.created).toBe(false);
      expect(result.organizations).toEqual([
        { slug: DEMO_ORGANIZATION_SLUG, id: DEMO_SEED_FACTS.id },
        { slug: GLOBEX_ORGANIZATION_SLUG, id: lookAlike.id },
      ]);
      expect(await database.candidate.count({ where: { organizationId: lookAlike.id } })).toBe(0);
    } finally {
      await database.organization.delete({ where: { id: lookAlike.id } });
      await database.organization.update({ where: { slug: 'globex-renamed' }, data: { slug: GLOBEX_ORGANIZATION_SLUG } });
    }
  });

  it('seeds once under concurrent runs', async () => {
    const database = db();
    await database.organization.deleteMany({ where: { slug: { in: [DEMO_ORGANIZATION_SLUG, GLOBEX_ORGANIZATION_SLUG] } } });
    expect(await database.candidate.count()).toBe(0);

    // Either run may win either organization, so the check counts writes per slug.
    const seededSlugs: unknown[] = [];
    const log = (message: string, fields?: object) => {
      if (message === 'Seeded organization') seededSlugs.push((fields as { slug?: unknown } | undefined)?.slug);
    };
    const results = await Promise.all([seedDemo(database, { log }), seedDemo(database, { log })]);

    expect(seededSlugs.sort()).toEqual([DEMO_ORGANIZATION_SLUG, GLOBEX_ORGANIZATION_SLUG]);
    expect(results.some((result) => result.created)).toBe(true);
    for (const result of results) {
      expect(result.organizations).toEqual([
        { slug: DEMO_ORGANIZATION_SLUG, id: DEMO_SEED_FACTS.id },
        { slug: GLOBEX_ORGANIZATION_SLUG, id: GLOBEX_SEED_FACTS.id },
      ]);
    }
    expect(await countRows(DEMO_SEED_FACTS.id)).toEqual(DEMO_SEED_FACTS.counts);
    expect(await countRows(GLOBEX_SEED_FACTS.id)).toEqual(GLOBEX_SEED_FACTS.counts);
  });
});
