import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobGlobalId } from '../helpers/seed-facts.ts';
import { startTestService, type TestService } from '../helpers/service.ts';
import { createStatementCounter } from '../helpers/statements.ts';

// The number of SQL statements per request must not grow with the page size: nested
// fields load through per-request dataloaders, one batched query per kind of row.

const CANDIDATE_PAGE = `query ($first: Int!) { candidates(first: $first) { totalCount edges { node {
  email applications { job { title hiringManagers { email } } stage { kind } } documents { fileName } } } } }`;

// Leaves out the candidates' other applications: their jobs are data, and a page that
// reaches a second job adds one batched Job query, which is no per-row query.
const JOB_PIPELINE = `query ($id: ID!, $first: Int!) { job(id: $id) { title stages { name candidates(first: $first) {
  totalCount edges { node { email documents { kind } } application { stage { kind } startDate } } } } } }`;

describe('SQL statements per request', () => {
  const counter = createStatementCounter();
  let service: TestService;
  let token: string;

  beforeAll(async () => {
    service = await startTestService({ onStatement: counter.onStatement });
    token = await service.tokenFor({ role: 'RECRUITER' });
  });

  afterAll(async () => {
    await service?.stop();
  });

  /** Runs the request and returns how many statements it sent, with their SQL for failure messages. */
  async function countStatements(document: string, variables: object): Promise<{ count: number; sql: string }> {
    counter.start();
    const { body } = await service.graphql(document, variables, token);
    const count = counter.stop();
    expect(body.errors).toBeUndefined();
    return { count, sql: counter.statements().join('\n') };
  }

  it('candidate page of 10 and of 50 send the same number', async () => {
    const small = await countStatements(CANDIDATE_PAGE, { first: 10 });
    const large = await countStatements(CANDIDATE_PAGE, { first: 50 });
    expect(small.count).toBeGreaterThan(0);
    expect(large.count, `statements for first: 1\n${small.sql}\n\nstatements for first: 50\n${large.sql}`).toBe(small.count);
  });

  it('job pipeline with 1 and with 50 candidates per stage send the same number', async () => {
    const variables = { id: jobGlobalId('demo', 'backend') };
    const small = await countStatements(JOB_PIPELINE, { ...variables, first: 1 });
    const large = await countStatements(JOB_PIPELINE, { ...variables, first: 50 });
    expect(small.count).toBeGreaterThan(0);
    expect(large.count, `statements for first: 1\n${small.sql}\n\nstatements for first: 50\n${large.sql}`).toBe(small.count);
  });

  it('hiring manager page sends the same number as a recruiter page', async () => {
    // A hiring manager's job ids load once per request, not once per candidate.
    const hiringManagerToken = await service.tokenFor({ role: 'HIRING_MANAGER' });
    counter.start();
    await service.graphql(CANDIDATE_PAGE, { first: 5 }, hiringManagerToken);
    const small = counter.stop();
    counter.start();
    await service.graphql(CANDIDATE_PAGE, { first: 30 }, hiringManagerToken);
    const large = counter.stop();
    expect(large).toBe(small);
  });
});
