import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PIPELINE_STAGES } from '../../src/db/seed-data.ts';
import {
  candidateEmailsForJobs,
  candidateGlobalId,
  globalId,
  hiredCandidateEmails,
  jobGlobalId,
  SEED_DEFINITIONS,
} from '../helpers/seed-facts.ts';
import { startTestService, type TestService } from '../helpers/service.ts';

const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

interface Edge {
  cursor: string;
  node: { id: string; email: string; lastName: string; firstName: string };
}

describe('read API', () => {
  let service: TestService;
  let token: string;

  beforeAll(async () => {
    service = await startTestService();
    token = await service.tokenFor({ role: 'RECRUITER' });
  });

  afterAll(async () => {
    await service?.stop();
  });

  async function query(document: string, variables?: object) {
    const { status, body } = await service.graphql(document, variables, token);
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    return body.data;
  }

  describe('candidates', () => {
    it('status HIRED lists every hire with totalCount', async () => {
      const expected = hiredCandidateEmails('demo').sort();
      expect(expected.length).toBeGreaterThanOrEqual(15);
      const data = await query(`{ candidates(first: 100, filter: { status: HIRED }) {
        totalCount edges { node { email applications { stage { kind } } } } } }`);
      expect(data.candidates.totalCount).toBe(expected.length);
      const emails = data.candidates.edges.map((edge: { node: { email: string } }) => edge.node.email);
      expect([...emails].sort()).toEqual(expected);
      for (const edge of data.candidates.edges) {
        expect(edge.node.applications.map((application: { stage: { kind: string } }) => application.stage.kind)).toContain('HIRED');
      }
    });

    it('are sorted by last name, then first name', async () => {
      // The expected order comes from the database itself, because its collation decides
      // where names in other scripts (Cyrillic, Greek, CJK) sort.
      const expected = await service.prisma.candidate.findMany({
        where: { organization: { slug: 'demo' } },
        orderBy: [{ lastName: 'asc' }, { firstName: 'asc' }, { id: 'asc' }],
        select: { email: true },
      });
      const data = await query('{ candidates(first: 100) { edges { node { email } } } }');
      expect(data.candidates.edges.map((edge: Edge) => edge.node.email)).toEqual(expected.map((row) => row.email));
      expect(expected).toHaveLength(60);
    });

    it('search matches names case-insensitively', async () => {
      const data = await query('{ candidates(filter: { search: "MÜLLER" }) { totalCount edges { node { email } } } }');
      expect(data.candidates.totalCount).toBe(1);
      expect(data.candidates.edges[0].node.email).toBe('zoe.mueller@example.com');
    });

    it('search matches the preferred name', async () => {
      const data = await query('{ candidates(filter: { search: "nina" }) { edges { node { email preferredName } } } }');
      expect(data.candidates.edges).toEqual([{ node: { email: 'li.na+jobs@example.com', preferredName: 'Nina' } }]);
    });

    it('search matches part of the email', async () => {
      const expected = SEED_DEFINITIONS.demo.candidates.filter((candidate) => candidate.email.toLowerCase().includes('@example.org'));
      const data = await query('{ candidates(filter: { search: "@EXAMPLE.ORG" }) { totalCount } }');
      expect(expected.length).toBeGreaterThan(0);
      expect(data.candidates.totalCount).toBe(expected.length);
    });

    it('search with no match returns an empty page', async () => {
      const data = await query('{ candidates(filter: { search: "no-such-candidate" }) { totalCount edges { node { id } } pageInfo { hasNextPage } } }');
      expect(data.candidates).toEqual({ totalCount: 0, edges: [], pageInfo: { hasNextPage: false } });
    });

    it('jobId filter lists the applicants of the job', async () => {
      const expected = candidateEmailsForJobs('demo', ['backend']).sort();
      const data = await query('query ($id: ID!) { candidates(first: 100, filter: { jobId: $id }) { totalCount edges { node { email } } } }', {
        id: jobGlobalId('demo', 'backend'),
      });
      expect(data.candidates.totalCount).toBe(expected.length);
      expect(data.candidates.edges.map((edge: Edge) => edge.node.email).sort()).toEqual(expected);
    });

    it('jobId and status filters combine on the same application', async () => {
      // Kai Neumann was hired for Customer Success and rejected for Account Executive DACH.
      const data = await query('query ($id: ID!) { candidates(first: 100, filter: { jobId: $id, status: HIRED }) { edges { node { email } } } }', {
        id: jobGlobalId('demo', 'account-executive'),
      });
      const emails = data.candidates.edges.map((edge: Edge) => edge.node.email);
      expect(emails).toHaveLength(4);
      expect(emails).not.toContain('kai.neumann@example.com');
    });

    it('jobId of another type: BAD_USER_INPUT', async () => {
      const { body } = await service.graphql('query ($id: ID!) { candidates(filter: { jobId: $id }) { totalCount } }', {
        id: candidateGlobalId('demo', 'zoe.mueller@example.com'),
      }, token);
      expect(body.data).toBeNull();
      expect(body.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(body.errors?.[0].message).toBe('Argument "filter.jobId" is not a Job ID; pass the id field of a Job.');
    });

    it('unknown jobId matches nothing', async () => {
      const data = await query('query ($id: ID!) { candidates(filter: { jobId: $id }) { totalCount } }', {
        id: globalId('Job', '00000000-0000-4000-8000-000000000000'),
      });
      expect(data.candidates.totalCount).toBe(0);
    });

    it('pages with first and after cover the list once', async () => {
      const all = await query('{ candidates(first: 60) { edges { node { id } } } }');
      const seen: string[] = [];
      let after: string | null = null;
      let pages = 0;
      for (;;) {
        const data: any = await query('query ($after: String) { candidates(first: 25, after: $after) { totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }', { after });
        pages += 1;
        expect(data.candidates.totalCount).toBe(60);
        seen.push(...data.candidates.edges.map((edge: Edge) => edge.node.id));
        if (!data.candidates.pageInfo.hasNextPage) break;
        after = data.candidates.pageInfo.endCursor;
        expect(pages).toBeLessThan(5);
      }
      expect(pages).toBe(3);
      expect(seen).toEqual(all.candidates.edges.map((edge: Edge) => edge.node.id));
    });

    it('first: 0 returns no edges but the total', async () => {
      const data = await query('{ candidates(first: 0) { totalCount edges { node { id } } } }');
      expect(data.candidates).toEqual({ totalCount: 60, edges: [] });
    });
  });

  describe('candidate', () => {
    it('returns applications, stages, documents and dates', async () => {
      const data = await query(
        `query ($id: ID!) { candidate(id: $id) {
          id firstName lastName email phone gender dateOfBirth nationality
          address { street postalCode city country }
          applications { job { title } stage { name kind position } stageEnteredAt hiredAt startDate offeredPositionTitle }
          documents { kind fileName mimeType sizeBytes createdAt }
        } }`,
        { id: candidateGlobalId('demo', 'zoe.mueller@example.com') },
      );
      const candidate = data.candidate;
      expect(candidate).toMatchObject({
        firstName: 'Zoë',
        lastName: 'Müller',
        email: 'zoe.mueller@example.com',
        phone: '+4915123456701',
        gender: 'female',
        dateOfBirth: '1991-03-14',
        nationality: 'DE',
        address: { street: 'Torstraße 12', postalCode: '10119', city: 'Berlin', country: 'DE' },
      });
      expect(candidate.applications).toHaveLength(1);
      const application = candidate.applications[0];
      expect(application).toMatchObject({
        job: { title: 'Senior Backend Engineer' },
        stage: { name: 'Hired', kind: 'HIRED', position: 4 },
        startDate: '2027-01-04',
        offeredPositionTitle: 'Senior Backend Engineer (Payments)',
      });
      expect(application.stageEnteredAt).toMatch(ISO_TIMESTAMP);
      expect(application.stageEnteredAt.slice(0, 10)).toBe('2026-10-14');
      expect(application.hiredAt).toBe(application.stageEnteredAt);

      expect(candidate.documents.map((document: { kind: string; mimeType: string }) => [document.kind, document.mimeType])).toEqual([
        ['CV', 'application/pdf'],
        ['COVER_LETTER', 'text/plain'],
      ]);
      expect(candidate.documents[0].fileName).toBe('Zoe_Mueller_CV.pdf');
      for (const document of candidate.documents) {
        expect(document.sizeBytes).toBeGreaterThan(0);
        expect(document.createdAt).toMatch(ISO_TIMESTAMP);
      }
    });

    it('null dates and address stay null', async () => {
      const data = await query('query ($id: ID!) { candidate(id: $id) { dateOfBirth address { city } gender nationality applications { startDate hiredAt } } }', {
        id: candidateGlobalId('demo', 'max.weber@example.com'),
      });
      expect(data.candidate.dateOfBirth).toBeNull();
      expect(data.candidate.address).toBeNull();
      expect(data.candidate.gender).toBeNull();
      const rejected = data.candidate.applications.find((application: { hiredAt: string | null }) => application.hiredAt === null);
      expect(rejected.startDate).toBeNull();
    });

    it('every Date field is YYYY-MM-DD', async () => {
      const data = await query('{ candidates(first: 100) { edges { node { dateOfBirth applications { startDate } } } } }');
      let checked = 0;
      for (const edge of data.candidates.edges) {
        const dates = [edge.node.dateOfBirth, ...edge.node.applications.map((application: { startDate: string | null }) => application.startDate)];
        for (const date of dates.filter((value) => value !== null)) {
          expect(date).toMatch(CALENDAR_DATE);
          checked += 1;
        }
      }
      expect(checked).toBeGreaterThan(50);
    });

    it('unknown id returns null', async () => {
      const data = await query('query ($id: ID!) { candidate(id: $id) { id } }', { id: globalId('Candidate', '00000000-0000-4000-8000-000000000000') });
      expect(data.candidate).toBeNull();
    });

    it('malformed and wrongly typed ids: BAD_USER_INPUT', async () => {
      for (const id of ['not-a-global-id', globalId('Candidate', 'not-a-uuid'), jobGlobalId('demo', 'backend')]) {
        const { body } = await service.graphql('query ($id: ID!) { candidate(id: $id) { id } }', { id }, token);
        expect(body.data).toEqual({ candidate: null });
        expect(body.errors).toHaveLength(1);
        expect(body.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
        expect(body.errors?.[0].message).toBe('Argument "id" is not a Candidate ID; pass the id field of a Candidate.');
      }
    });
  });

  describe('jobs', () => {
    it('lists every job, newest first', async () => {
      const expected = [...SEED_DEFINITIONS.demo.jobs].sort((a, b) => b.createdOn.localeCompare(a.createdOn)).map((job) => job.title);
      const data = await query('{ jobs { title department office employmentType weeklyHours status hiringManagers { email } } }');
      expect(data.jobs.map((job: { title: string }) => job.title)).toEqual(expected);
      const backend = data.jobs.find((job: { title: string }) => job.title === 'Senior Backend Engineer');
      expect(backend).toEqual({
        title: 'Senior Backend Engineer',
        department: 'Engineering',
        office: 'Berlin',
        employmentType: 'FULL_TIME',
        weeklyHours: 40,
        status: 'OPEN',
        hiringManagers: [{ email: 'hannah.schmidt@northwind.example' }],
      });
    });

    it('job returns its pipeline in order with candidates per stage', async () => {
      const data = await query(
        `query ($id: ID!) { job(id: $id) { title stages { name kind position
          candidates(first: 100) { totalCount edges { node { email } application { stage { kind } hiredAt startDate } } } } } }`,
        { id: jobGlobalId('demo', 'backend') },
      );
      const stages = data.job.stages;
      expect(stages.map((stage: { name: string; kind: string; position: number }) => [stage.position, stage.name, stage.kind])).toEqual(
        PIPELINE_STAGES.map((stage, position) => [position, stage.name, stage.kind]),
      );

      const backendApplications = SEED_DEFINITIONS.demo.candidates.flatMap((candidate) =>
        candidate.applications.filter((application) => application.job === 'backend').map((application) => application.stage),
      );
      for (const stage of stages) {
        const expected = backendApplications.filter((kind) => kind === stage.kind).length;
        expect(stage.candidates.totalCount, `candidates in ${stage.name}`).toBe(expected);
        expect(stage.candidates.edges).toHaveLength(expected);
        for (const edge of stage.candidates.edges) expect(edge.application.stage.kind).toBe(stage.kind);
      }

      const hired = stages.find((stage: { kind: string }) => stage.kind === 'HIRED');
      expect(hired.candidates.totalCount).toBe(5);
      expect(hired.candidates.edges.map((edge: { node: { email: string } }) => edge.node.email)).toContain('zoe.mueller@example.com');
      for (const edge of hired.candidates.edges) {
        expect(edge.application.hiredAt).toMatch(ISO_TIMESTAMP);
        if (edge.application.startDate !== null) expect(edge.application.startDate).toMatch(CALENDAR_DATE);
      }
    });

    it('stage candidates are most recent first and page with first', async () => {
      const data = await query(
        `query ($id: ID!) { job(id: $id) { stages { kind candidates(first: 2) { totalCount edges { application { stageEnteredAt } } pageInfo { hasNextPage } } } } }`,
        { id: jobGlobalId('demo', 'backend') },
      );
      const hired = data.job.stages.find((stage: { kind: string }) => stage.kind === 'HIRED');
      expect(hired.candidates.totalCount).toBe(5);
      expect(hired.candidates.edges).toHaveLength(2);
      expect(hired.candidates.pageInfo.hasNextPage).toBe(true);
      const [first, second] = hired.candidates.edges.map((edge: { application: { stageEnteredAt: string } }) => edge.application.stageEnteredAt);
      expect(first >= second).toBe(true);
    });

    it('unknown job id returns null', async () => {
      const data = await query('query ($id: ID!) { job(id: $id) { id } }', { id: globalId('Job', '00000000-0000-4000-8000-000000000000') });
      expect(data.job).toBeNull();
    });
  });
});
