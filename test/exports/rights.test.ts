import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/generated/prisma/client.ts';
import { candidateGlobalId, jobGlobalId } from '../helpers/seed-facts.ts';
import {
  BATCH_FIELDS,
  connectOrFail,
  createHiredCandidates,
  DEMO_USERS,
  exportCandidateResponse,
  exportCandidates,
  startEnvironment,
  type Environment,
  employeesWithEmail,
} from './support.ts';

/**
 * Who may export whom, against the sandbox: admins and recruiters export every hire, hiring
 * managers only hires of jobs they manage, interviewers nothing. A refused caller never
 * causes a request to the HRIS.
 */

const EXPORT_MANY = `mutation ($input: ExportCandidatesToHrisInput!) {
  exportCandidatesToHris(input: $input) {
    __typename
    ... on HrisExportBatch { ${BATCH_FIELDS} }
    ... on InvalidInput { problems { field message } }
  }
}`;

describe('export rights per role', () => {
  let env: Environment;
  const tokens = {} as Record<Role, string>;

  beforeAll(async () => {
    env = await startEnvironment({ env: { PERSONIO_MAX_RETRIES: '1' } });
    await connectOrFail(env.service, env.adminToken);
    tokens.ADMIN = env.adminToken;
    tokens.RECRUITER = env.recruiterToken;
    tokens.HIRING_MANAGER = await env.service.tokenFor(DEMO_USERS.hannah);
    tokens.INTERVIEWER = await env.service.tokenFor(DEMO_USERS.interviewer);
  });

  afterAll(async () => {
    await env?.stop();
  });


  // Hannah manages the backend job; Kenji manages account-executive.
  const cases: { role: Role; jobKey: string; expected: string }[] = [
    { role: 'ADMIN', jobKey: 'account-executive', expected: 'CandidatePartiallyExported' },
    { role: 'RECRUITER', jobKey: 'account-executive', expected: 'CandidatePartiallyExported' },
    { role: 'HIRING_MANAGER', jobKey: 'backend', expected: 'CandidatePartiallyExported' },
    // A hire whose only application is to a job the manager does not manage is invisible to them.
    { role: 'HIRING_MANAGER', jobKey: 'account-executive', expected: 'CandidateNotFound' },
    { role: 'INTERVIEWER', jobKey: 'backend', expected: 'FORBIDDEN' },
  ];

  for (const [index, testCase] of cases.entries()) {
    it(`${testCase.role} exporting a ${testCase.jobKey} hire: ${testCase.expected}`, async () => {
      const [hire] = await createHiredCandidates(env.service.prisma, { count: 1, jobKey: testCase.jobKey, prefix: `rights-${index}` });
      const requestsBefore = env.sandbox.control.requests().length;

      const { body } = await exportCandidateResponse(env.service, tokens[testCase.role], hire!.globalId);

      if (testCase.expected === 'FORBIDDEN') {
        expect(body.data).toBeNull();
        expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      } else {
        expect(body.errors).toBeUndefined();
        expect(body.data.exportCandidateToHris.__typename).toBe(testCase.expected);
      }
      const exported = testCase.expected === 'CandidatePartiallyExported';
      expect(employeesWithEmail(env, hire!.email)).toHaveLength(exported ? 1 : 0);
      if (!exported) expect(env.sandbox.control.requests()).toHaveLength(requestsBefore);
    });
  }

  it('hiring manager export of a hire into another job is not allowed', async () => {
    // Max Weber applied to Customer Success, which Hannah co-manages, and was hired as Account Executive.
    const { body } = await exportCandidateResponse(env.service, tokens.HIRING_MANAGER, candidateGlobalId('demo', 'max.weber@example.com'));
    expect(body.data.exportCandidateToHris).toEqual({
      __typename: 'ExportNotAllowed',
      message: 'Hiring managers can export only candidates hired into jobs they manage.',
    });
    expect(employeesWithEmail(env, 'max.weber@example.com')).toEqual([]);
  });

  it('hiring manager bulk export of own hires completes', async () => {
    const hires = await createHiredCandidates(env.service.prisma, { count: 2, jobKey: 'backend', prefix: 'rights-bulk-own' });
    const batch = await exportCandidates(env.service, tokens.HIRING_MANAGER, { candidateIds: hires.map((hire) => hire.globalId) });
    expect(batch.totals).toEqual([{ outcome: 'PARTIALLY_EXPORTED', count: 2 }]);
  });

  it('hiring manager bulk export naming another job\'s hire is rejected', async () => {
    const own = await createHiredCandidates(env.service.prisma, { count: 1, jobKey: 'backend', prefix: 'rights-bulk-mixed-own' });
    const other = await createHiredCandidates(env.service.prisma, { count: 1, jobKey: 'account-executive', prefix: 'rights-bulk-mixed-other' });
    const requestsBefore = env.sandbox.control.requests().length;

    const result = await exportCandidates(env.service, tokens.HIRING_MANAGER, { candidateIds: [own[0]!.globalId, other[0]!.globalId] });

    expect(result.__typename).toBe('InvalidInput');
    expect(result.problems).toEqual([{ field: 'input.candidateIds[1]', message: 'No candidate with this ID is visible to you.' }]);
    // Nothing is exported, not even the manager's own hire.
    expect(employeesWithEmail(env, own[0]!.email)).toEqual([]);
    expect(env.sandbox.control.requests()).toHaveLength(requestsBefore);
  });

  it('hiring manager bulk export of another job is rejected', async () => {
    const result = await exportCandidates(env.service, tokens.HIRING_MANAGER, { jobId: jobGlobalId('demo', 'account-executive') });
    expect(result.__typename).toBe('InvalidInput');
    expect(result.problems).toEqual([{ field: 'input.jobId', message: 'No job with this ID is visible to you.' }]);
  });

  it('interviewer bulk export is forbidden', async () => {
    const hires = await createHiredCandidates(env.service.prisma, { count: 1, prefix: 'rights-bulk-interviewer' });
    const { body } = await env.service.graphql(EXPORT_MANY, { input: { candidateIds: hires.map((hire) => hire.globalId) } }, tokens.INTERVIEWER);
    expect(body.data).toBeNull();
    expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await env.service.prisma.hrisExportBatch.count({ where: { items: { some: { candidateId: hires[0]!.id } } } })).toBe(0);
  });
});
