import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHiredCandidates } from '../exports/support.ts';
import { jobGlobalId } from '../helpers/seed-facts.ts';
import { startTestService, type TestService } from '../helpers/service.ts';
import { createStatementCounter } from '../helpers/statements.ts';

// The number of SQL statements per request must not grow with the page size: nested
// fields load through per-request dataloaders, one batched query per kind of row.

const CANDIDATE_PAGE = `query ($first: Int!) { candidates(first: $first) { totalCount edges { node {
  email applications { hiredAt job { title hiringManagers { email } stages { name } } stage { kind position } }
  documents { fileName } hrisExports { status } } } } }`;

// Leaves out the candidates' other applications: their jobs are data, and a page that
// reaches a second job adds one batched Job query, which is no per-row query.
const JOB_PIPELINE = `query ($id: ID!, $first: Int!) { job(id: $id) { title hiringManagers { email } stages { name kind
  candidates(first: $first) { totalCount edges { node { email documents { kind } hrisExports { status } }
  application { stage { kind } startDate } } } } } }`;

/** Hires added to the backend job, so that one page and one stage hold 100 candidates. */
const EXTRA_HIRES = 100;

describe('SQL statements per request', () => {
  const counter = createStatementCounter();
  let service: TestService;
  let token: string;

  beforeAll(async () => {
    service = await startTestService({ onStatement: counter.onStatement });
    await createHiredCandidates(service.prisma, { count: EXTRA_HIRES, jobKey: 'backend', prefix: 'statements' });
    token = await service.tokenFor({ role: 'RECRUITER' });
  });

  afterAll(async () => {
    await service?.stop();
  });

  /** Runs the request and returns its data and how many statements it sent, with their SQL for failure messages. */
  async function countStatements(document: string, variables: object, as = token): Promise<{ count: number; sql: string; data: any }> {
    counter.start();
    const { body } = await service.graphql(document, variables, as);
    const count = counter.stop();
    expect(body.errors).toBeUndefined();
    return { count, sql: counter.statements().join('\n'), data: body.data };
  }

  it('candidate page of 10 and of 100 send the same number', async () => {
    const small = await countStatements(CANDIDATE_PAGE, { first: 10 });
    const large = await countStatements(CANDIDATE_PAGE, { first: 100 });
    expect(small.data.candidates.edges).toHaveLength(10);
    expect(large.data.candidates.edges).toHaveLength(100);
    // The large page reaches several jobs and stages, so the nested loaders batch many rows.
    const jobs = new Set(large.data.candidates.edges.flatMap((edge: any) => edge.node.applications.map((application: any) => application.job.title)));
    expect(jobs.size).toBeGreaterThan(1);
    expect(small.count).toBeGreaterThan(0);
    expect(large.count, `statements for first: 10\n${small.sql}\n\nstatements for first: 100\n${large.sql}`).toBe(small.count);
  });

  it('job pipeline at 10 and 100 per stage', async () => {
    const variables = { id: jobGlobalId('demo', 'backend') };
    const small = await countStatements(JOB_PIPELINE, { ...variables, first: 10 });
    const large = await countStatements(JOB_PIPELINE, { ...variables, first: 100 });
    const hiredEdges = (data: any) => data.job.stages.find((stage: { kind: string }) => stage.kind === 'HIRED').candidates.edges;
    expect(hiredEdges(small.data)).toHaveLength(10);
    expect(hiredEdges(large.data)).toHaveLength(100);
    expect(small.count).toBeGreaterThan(0);
    expect(large.count, `statements for first: 10\n${small.sql}\n\nstatements for first: 100\n${large.sql}`).toBe(small.count);
  });

  it('hiring manager page of 10 and of 100 send the same number', async () => {
    // A hiring manager's job ids load once per request, not once per candidate. Hannah
    // Schmidt manages the backend job, so she sees the added hires.
    const hiringManagerToken = await service.tokenFor('hannah.schmidt@northwind.example');
    const small = await countStatements(CANDIDATE_PAGE, { first: 10 }, hiringManagerToken);
    const large = await countStatements(CANDIDATE_PAGE, { first: 100 }, hiringManagerToken);
    expect(small.data.candidates.edges).toHaveLength(10);
    expect(large.data.candidates.edges).toHaveLength(100);
    expect(large.count, `statements for first: 10\n${small.sql}\n\nstatements for first: 100\n${large.sql}`).toBe(small.count);
  });
});
