import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCandidateId, seedJobId, seedOrganizationId, seedUserId } from '../../src/db/seed-data.ts';
import type { Role } from '../../src/generated/prisma/client.ts';
import { buildSchema } from '../../src/graphql/schema.ts';
import {
  candidateEmailsForJobs,
  candidateGlobalId,
  globalId,
  jobGlobalId,
  jobKeyByTitle,
  managedJobTitles,
  SEED_DEFINITIONS,
} from '../helpers/seed-facts.ts';
import { startTestService, type TestService } from '../helpers/service.ts';

const ROLES: readonly Role[] = ['ADMIN', 'HIRING_MANAGER', 'RECRUITER', 'INTERVIEWER'];
const STAFF: readonly Role[] = ['ADMIN', 'HIRING_MANAGER', 'RECRUITER'];

// A candidate and a job that both demo hiring managers manage (Customer Success Manager),
// so every staff role may read them.
const SHARED_JOB_ID = jobGlobalId('demo', 'customer-success');
const SHARED_CANDIDATE_ID = candidateGlobalId('demo', 'jean-luc.picard-martin@example.com');
const UNKNOWN_CONNECTION_ID = globalId('HrisConnection', '00000000-0000-4000-8000-000000000000');

// The seeded user that each role's token belongs to (the first demo user with the role).
const ROLE_EMAILS: Record<Role, string> = {
  ADMIN: 'amara.okafor@northwind.example',
  HIRING_MANAGER: 'hannah.schmidt@northwind.example',
  RECRUITER: 'lucia.fernandez@northwind.example',
  INTERVIEWER: 'priya.raman@northwind.example',
};

// Export history stored before the tests: a disconnected Personio connection, one completed
// bulk export requested by each staff user, and an attempt on the shared job. A hiring
// manager sees only the batches they requested, so each role requests its own.
const FIXTURE_CONNECTION_ID = '7e57c0de-0000-4000-8000-000000000001';
const FIXTURE_ATTEMPT_ID = '7e57c0de-0000-4000-8000-000000000002';
const FIXTURE_BATCH_IDS: Record<Role, string> = {
  ADMIN: '7e57c0de-0000-4000-8000-0000000000a1',
  HIRING_MANAGER: '7e57c0de-0000-4000-8000-0000000000a2',
  RECRUITER: '7e57c0de-0000-4000-8000-0000000000a3',
  INTERVIEWER: '7e57c0de-0000-4000-8000-0000000000a4',
};

interface RootFieldCase {
  document: string;
  variables?: Record<string, unknown> | ((role: Role) => Record<string, unknown>);
  /** Roles that get data; every other role gets FORBIDDEN. */
  allowed: readonly Role[];
  /** Checks the field's value for an allowed role. */
  check(value: any, role: Role): void;
}

/** One request per root field. A root field missing here fails the completeness test. */
const ROOT_FIELDS: Record<string, RootFieldCase> = {
  viewer: {
    document: '{ viewer { role } }',
    allowed: ROLES,
    check: (value, role) => expect(value.role).toBe(role),
  },
  candidates: {
    document: '{ candidates(first: 1) { totalCount } }',
    allowed: STAFF,
    check: (value) => expect(value.totalCount).toBeGreaterThan(0),
  },
  candidate: {
    document: 'query ($id: ID!) { candidate(id: $id) { email } }',
    variables: { id: SHARED_CANDIDATE_ID },
    allowed: STAFF,
    check: (value) => expect(value).toEqual({ email: 'jean-luc.picard-martin@example.com' }),
  },
  jobs: {
    document: '{ jobs { title } }',
    allowed: STAFF,
    check: (value) => expect(value.map((job: { title: string }) => job.title)).toContain('Customer Success Manager'),
  },
  job: {
    document: 'query ($id: ID!) { job(id: $id) { title } }',
    variables: { id: SHARED_JOB_ID },
    allowed: STAFF,
    check: (value) => expect(value).toEqual({ title: 'Customer Success Manager' }),
  },
  hrisProviders: {
    document: '{ hrisProviders { key } }',
    allowed: ['ADMIN'],
    check: (value) => expect(value.map((provider: { key: string }) => provider.key)).toContain('personio'),
  },
  hrisConnections: {
    document: '{ hrisConnections { id } }',
    allowed: STAFF,
    check: (value) => expect(value).toEqual([]),
  },
  connectHris: {
    // An appId that fails validation: the call returns without contacting Personio.
    document: `mutation { connectHris(input: { personio: { clientId: "papi-x", clientSecret: "secret", appId: "not a subdomain!" } }) {
      __typename ... on InvalidInput { problems { field } } } }`,
    allowed: ['ADMIN'],
    check: (value) => {
      expect(value.__typename).toBe('InvalidInput');
      expect(value.problems).toEqual([{ field: 'input.personio.appId' }]);
    },
  },
  checkHrisConnection: {
    document: 'mutation ($id: ID!) { checkHrisConnection(id: $id) { id } }',
    variables: { id: UNKNOWN_CONNECTION_ID },
    allowed: ['ADMIN'],
    check: (value) => expect(value).toBeNull(),
  },
  disconnectHris: {
    document: 'mutation ($id: ID!) { disconnectHris(id: $id) { disconnected } }',
    variables: { id: UNKNOWN_CONNECTION_ID },
    allowed: ['ADMIN'],
    check: (value) => expect(value).toEqual({ disconnected: false }),
  },
  exportCandidateToHris: {
    // A hire on the shared job; no HRIS is connected, so nothing is sent anywhere.
    document: 'mutation ($id: ID!) { exportCandidateToHris(input: { candidateId: $id }) { __typename } }',
    variables: { id: SHARED_CANDIDATE_ID },
    allowed: STAFF,
    check: (value) => expect(value).toEqual({ __typename: 'HrisNotConnected' }),
  },
  exportCandidatesToHris: {
    document: `mutation ($ids: [ID!]) { exportCandidatesToHris(input: { candidateIds: $ids, waitSeconds: 0 }) {
      __typename ... on HrisNotConnected { message } } }`,
    variables: { ids: [SHARED_CANDIDATE_ID] },
    allowed: STAFF,
    check: (value) => expect(value.__typename).toBe('HrisNotConnected'),
  },
  hrisExportBatch: {
    document: 'query ($id: ID!) { hrisExportBatch(id: $id) { id status items { candidateId } } }',
    variables: (role) => ({ id: FIXTURE_BATCH_IDS[role] }),
    allowed: STAFF,
    check: (value, role) =>
      expect(value).toEqual({ id: FIXTURE_BATCH_IDS[role], status: 'COMPLETED', items: [{ candidateId: seedCandidateId('demo', 'jean-luc.picard-martin@example.com') }] }),
  },
  hrisExportHistory: {
    document: '{ hrisExportHistory(first: 100) { edges { node { id outcome } } } }',
    allowed: STAFF,
    check: (value) => expect(value.edges.map((edge: { node: { id: string } }) => edge.node.id)).toContain(FIXTURE_ATTEMPT_ID),
  },
  resumeHrisExportBatch: {
    // A completed batch has nothing to resume, so allowed roles get null and nothing runs.
    document: 'mutation ($id: ID!) { resumeHrisExportBatch(id: $id) { id } }',
    variables: (role) => ({ id: FIXTURE_BATCH_IDS[role] }),
    allowed: STAFF,
    check: (value) => expect(value).toBeNull(),
  },
};

/** Stores the export history that the hrisExportBatch, hrisExportHistory and resume rows read. */
async function storeExportHistory(service: TestService): Promise<void> {
  const organizationId = seedOrganizationId('demo');
  const candidateId = seedCandidateId('demo', 'jean-luc.picard-martin@example.com');
  await service.prisma.hrisConnection.create({
    data: { id: FIXTURE_CONNECTION_ID, organizationId, provider: 'personio', status: 'DISCONNECTED', disconnectedAt: new Date() },
  });
  for (const role of ROLES) {
    await service.prisma.hrisExportBatch.create({
      data: {
        id: FIXTURE_BATCH_IDS[role],
        organizationId,
        connectionId: FIXTURE_CONNECTION_ID,
        requestedById: seedUserId('demo', ROLE_EMAILS[role]),
        status: 'COMPLETED',
        finishedAt: new Date(),
        items: { create: [{ position: 0, candidateId, status: 'DONE', outcome: 'HRIS_NOT_CONNECTED' }] },
      },
    });
  }
  await service.prisma.hrisExportAttempt.create({
    data: {
      id: FIXTURE_ATTEMPT_ID,
      organizationId,
      candidateId,
      jobId: seedJobId('demo', 'customer-success'),
      userId: seedUserId('demo', ROLE_EMAILS.RECRUITER),
      outcome: 'HRIS_NOT_CONNECTED',
      summary: { kind: 'HRIS_NOT_CONNECTED', candidateId, provider: null, message: 'No HRIS is connected.' },
      durationMs: 3,
    },
  });
}

function variablesFor(testCase: RootFieldCase, role: Role): Record<string, unknown> | undefined {
  return typeof testCase.variables === 'function' ? testCase.variables(role) : testCase.variables;
}

describe('role matrix over root fields', () => {
  let service: TestService;
  const tokens = new Map<Role, string>();

  beforeAll(async () => {
    service = await startTestService();
    for (const role of ROLES) tokens.set(role, await service.tokenFor(ROLE_EMAILS[role]));
    await storeExportHistory(service);
  });

  afterAll(async () => {
    await service?.stop();
  });

  it('covers every root field of the schema', () => {
    const schema = buildSchema(service.services.registry);
    const rootFields = [
      ...Object.keys(schema.getQueryType()?.getFields() ?? {}),
      ...Object.keys(schema.getMutationType()?.getFields() ?? {}),
    ].sort();
    expect(Object.keys(ROOT_FIELDS).sort()).toEqual(rootFields);
  });

  for (const [field, testCase] of Object.entries(ROOT_FIELDS)) {
    for (const role of ROLES) {
      const allowed = testCase.allowed.includes(role);
      it(`${field} as ${role}: ${allowed ? 'allowed' : 'FORBIDDEN'}`, async () => {
        const { status, body } = await service.graphql(testCase.document, variablesFor(testCase, role), tokens.get(role));
        expect(status).toBe(200);
        if (allowed) {
          expect(body.errors).toBeUndefined();
          testCase.check(body.data[field], role);
        } else {
          expect(body.errors).toHaveLength(1);
          expect(body.errors?.[0].extensions.code).toBe('FORBIDDEN');
          expect(body.errors?.[0].message).toBe(`Not allowed: ${coordinate(field, testCase)} is not available to the ${role} role.`);
          expect(body.errors?.[0].path).toEqual([field]);
        }
      });
    }

    it(`${field} without a token: UNAUTHENTICATED`, async () => {
      const { body } = await service.graphql(testCase.document, variablesFor(testCase, 'ADMIN'));
      expect(body.errors).toHaveLength(1);
      expect(body.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(body.errors?.[0].message).toContain(coordinate(field, testCase));
    });
  }

  it('hiring manager reads only own batches', async () => {
    const token = tokens.get('HIRING_MANAGER');
    for (const role of ['ADMIN', 'RECRUITER'] as const) {
      const read = await service.graphql('query ($id: ID!) { hrisExportBatch(id: $id) { id } }', { id: FIXTURE_BATCH_IDS[role] }, token);
      expect(read.body.errors).toBeUndefined();
      expect(read.body.data.hrisExportBatch).toBeNull();
    }
    // Admins and recruiters read every batch of the organization.
    const admin = await service.graphql('query ($id: ID!) { hrisExportBatch(id: $id) { id } }', { id: FIXTURE_BATCH_IDS.HIRING_MANAGER }, tokens.get('ADMIN'));
    expect(admin.body.data.hrisExportBatch).toEqual({ id: FIXTURE_BATCH_IDS.HIRING_MANAGER });
  });
});

/** The schema coordinate of a root field, such as Query.jobs or Mutation.connectHris. */
function coordinate(field: string, testCase: RootFieldCase): string {
  return `${testCase.document.trimStart().startsWith('mutation') ? 'Mutation' : 'Query'}.${field}`;
}

describe('hiring manager scope', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService();
  });

  afterAll(async () => {
    await service?.stop();
  });

  const managers = [
    { email: 'hannah.schmidt@northwind.example', jobs: ['Senior Backend Engineer', 'Product Designer', 'Customer Success Manager'] },
    { email: 'kenji.watanabe@northwind.example', jobs: ['Account Executive DACH', 'People Partner', 'Customer Success Manager'] },
  ];

  for (const manager of managers) {
    const name = manager.email.split('.')[0];

    it(`${name} manages the expected jobs in the seed`, () => {
      expect(managedJobTitles('demo', manager.email).sort()).toEqual([...manager.jobs].sort());
    });

    it(`${name} sees only managed jobs`, async () => {
      const { body } = await service.graphql('{ jobs { title } }', {}, await service.tokenFor(manager.email));
      expect(body.errors).toBeUndefined();
      expect(body.data.jobs.map((job: { title: string }) => job.title).sort()).toEqual([...manager.jobs].sort());
    });

    it(`${name} sees only candidates of managed jobs`, async () => {
      const keys = manager.jobs.map((title) => jobKeyByTitle('demo', title));
      const expected = candidateEmailsForJobs('demo', keys).sort();
      const { body } = await service.graphql('{ candidates(first: 100) { totalCount edges { node { email } } } }', {}, await service.tokenFor(manager.email));
      expect(body.errors).toBeUndefined();
      expect(body.data.candidates.totalCount).toBe(expected.length);
      expect(body.data.candidates.edges.map((edge: { node: { email: string } }) => edge.node.email).sort()).toEqual(expected);
    });

    it(`${name} gets null for other jobs and their candidates`, async () => {
      const token = await service.tokenFor(manager.email);
      const otherJobs = SEED_DEFINITIONS.demo.jobs.filter((job) => !manager.jobs.includes(job.title));
      expect(otherJobs.length).toBeGreaterThan(0);
      for (const job of otherJobs) {
        const jobResult = await service.graphql('query ($id: ID!) { job(id: $id) { title } }', { id: jobGlobalId('demo', job.key) }, token);
        expect(jobResult.body.errors).toBeUndefined();
        expect(jobResult.body.data.job).toBeNull();

        const filtered = await service.graphql(
          'query ($id: ID!) { candidates(filter: { jobId: $id }) { totalCount } }',
          { id: jobGlobalId('demo', job.key) },
          token,
        );
        expect(filtered.body.data.candidates.totalCount).toBe(0);
      }

      const managedKeys = manager.jobs.map((title) => jobKeyByTitle('demo', title));
      const visible = new Set(candidateEmailsForJobs('demo', managedKeys));
      const hidden = SEED_DEFINITIONS.demo.candidates.filter((candidate) => !visible.has(candidate.email));
      expect(hidden.length).toBeGreaterThan(0);
      for (const candidate of hidden) {
        const { body } = await service.graphql('query ($id: ID!) { candidate(id: $id) { email } }', { id: candidateGlobalId('demo', candidate.email) }, token);
        expect(body.errors).toBeUndefined();
        expect(body.data.candidate).toBeNull();
      }
    });
  }

  it('hiring manager sees only applications of managed jobs', async () => {
    // Max Weber applied to Customer Success Manager (Hannah's) and Account Executive DACH (Kenji's).
    const query = 'query ($id: ID!) { candidate(id: $id) { applications { job { title } stage { kind } } } }';
    const variables = { id: candidateGlobalId('demo', 'max.weber@example.com') };

    const hannah = await service.graphql(query, variables, await service.tokenFor('hannah.schmidt@northwind.example'));
    expect(hannah.body.data.candidate.applications).toEqual([{ job: { title: 'Customer Success Manager' }, stage: { kind: 'REJECTED' } }]);

    const kenji = await service.graphql(query, variables, await service.tokenFor('kenji.watanabe@northwind.example'));
    expect(kenji.body.data.candidate.applications).toEqual([
      { job: { title: 'Customer Success Manager' }, stage: { kind: 'REJECTED' } },
      { job: { title: 'Account Executive DACH' }, stage: { kind: 'HIRED' } },
    ]);
  });

  for (const role of ['ADMIN', 'RECRUITER'] as const) {
    it(`${role} sees all demo candidates and jobs`, async () => {
      const token = await service.tokenFor({ role });
      const { body } = await service.graphql('{ candidates(first: 100) { totalCount edges { node { id } } } jobs { id } }', {}, token);
      expect(body.errors).toBeUndefined();
      expect(body.data.candidates.totalCount).toBe(60);
      expect(SEED_DEFINITIONS.demo.candidates).toHaveLength(60);
      expect(body.data.candidates.edges).toHaveLength(60);
      expect(body.data.jobs).toHaveLength(SEED_DEFINITIONS.demo.jobs.length);
    });
  }
});
