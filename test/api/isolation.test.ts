import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, startPersonioSandbox, type RunningSandbox } from '../../plugins/personio/sandbox/index.ts';
import { SHARED_CANDIDATE_EMAILS, seedOrganizationId } from '../../src/db/seed-data.ts';
import { buildSchema } from '../../src/graphql/schema.ts';
import { exportCandidates } from '../exports/support.ts';
import { candidateGlobalId, hiredCandidateEmails, jobGlobalId, SEED_DEFINITIONS } from '../helpers/seed-facts.ts';
import { startTestService, type SeedOrganization, type TestService } from '../helpers/service.ts';

// Every root field, called by an admin of one seeded organization with ids of the other,
// must respond as for unknown ids: null, false or an empty list, never the other's data.

const CONNECT_MUTATION = `mutation ($input: ConnectHrisInput!) {
  connectHris(input: $input) { __typename ... on ConnectHrisSuccess { connection { id } } ... on InvalidInput { message } } }`;

const SANDBOX_CREDENTIALS = { clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET, appId: 'acme-gmbh' };

interface IsolationContext {
  service: TestService;
  own: SeedOrganization;
  other: SeedOrganization;
  /** Token of the first admin of `own`. */
  token: string;
  /** Relay IDs of each organization's HRIS connection. */
  connectionIds: Record<SeedOrganization, string>;
  /** Id of a completed bulk export of each organization. */
  batchIds: Record<SeedOrganization, string>;
}

/** Candidates of the other organization to probe: those sharing an email with this one, plus every hire. */
function probeCandidateEmails(org: SeedOrganization): string[] {
  const shared = SEED_DEFINITIONS[org].candidates
    .map((candidate) => candidate.email)
    .filter((email) => SHARED_CANDIDATE_EMAILS.some((sharedEmail) => sharedEmail.toLowerCase() === email.toLowerCase()));
  return [...new Set([...shared, ...hiredCandidateEmails(org)])];
}

async function connectionRow(service: TestService, org: SeedOrganization) {
  return service.prisma.hrisConnection.findFirstOrThrow({ where: { organizationId: seedOrganizationId(org) } });
}

/** Row counts of the export tables, per organization where the table has the column. */
async function exportRowCounts(service: TestService) {
  const counts: Record<string, number> = {};
  for (const org of ['demo', 'globex'] as const) {
    const organizationId = seedOrganizationId(org);
    counts[`${org}.exports`] = await service.prisma.hrisExport.count({ where: { organizationId } });
    counts[`${org}.attempts`] = await service.prisma.hrisExportAttempt.count({ where: { organizationId } });
    counts[`${org}.batches`] = await service.prisma.hrisExportBatch.count({ where: { organizationId } });
  }
  counts['batchItems'] = await service.prisma.hrisExportBatchItem.count();
  return counts;
}

async function batchRow(service: TestService, batchId: string) {
  return service.prisma.hrisExportBatch.findUniqueOrThrow({ where: { id: batchId }, include: { items: { orderBy: { position: 'asc' } } } });
}

const EXPORT_ONE = `mutation ($id: ID!) { exportCandidateToHris(input: { candidateId: $id }) {
  __typename ... on CandidateNotFound { candidateId message } } }`;

const EXPORT_MANY = `mutation ($input: ExportCandidatesToHrisInput!) { exportCandidatesToHris(input: $input) {
  __typename ... on InvalidInput { problems { field message } } } }`;

/** One isolation check per root field. A root field missing here fails the completeness test. */
const ROOT_FIELDS: Record<string, (context: IsolationContext) => Promise<void>> = {
  async viewer({ service, own, token }) {
    const { body } = await service.graphql('{ viewer { organization { id slug } user { email } } }', {}, token);
    expect(body.data.viewer.organization.slug).toBe(own);
    expect(SEED_DEFINITIONS[own].users.map((user) => user.email)).toContain(body.data.viewer.user.email);
  },

  async candidates({ service, own, other, token }) {
    for (const job of SEED_DEFINITIONS[other].jobs) {
      const { body } = await service.graphql(
        'query ($id: ID!) { candidates(first: 100, filter: { jobId: $id }) { totalCount edges { node { id } } } }',
        { id: jobGlobalId(other, job.key) },
        token,
      );
      expect(body.errors).toBeUndefined();
      expect(body.data.candidates).toEqual({ totalCount: 0, edges: [] });
    }

    const ownIds = new Set(SEED_DEFINITIONS[own].candidates.map((candidate) => candidateGlobalId(own, candidate.email)));
    const { body } = await service.graphql('{ candidates(first: 100) { totalCount edges { node { id } } } }', {}, token);
    expect(body.data.candidates.totalCount).toBe(SEED_DEFINITIONS[own].candidates.length);
    for (const edge of body.data.candidates.edges) expect(ownIds.has(edge.node.id)).toBe(true);

    // Candidates with the same email exist in both organizations; search finds only the own one.
    for (const email of SHARED_CANDIDATE_EMAILS) {
      const search = await service.graphql('query ($q: String!) { candidates(filter: { search: $q }) { edges { node { id } } } }', { q: email }, token);
      expect(search.body.data.candidates.edges).toEqual([{ node: { id: candidateGlobalId(own, email) } }]);
    }
  },

  async candidate({ service, other, token }) {
    const emails = probeCandidateEmails(other);
    expect(emails.length).toBeGreaterThan(0);
    for (const email of emails) {
      const { body } = await service.graphql('query ($id: ID!) { candidate(id: $id) { id email } }', { id: candidateGlobalId(other, email) }, token);
      expect(body.errors).toBeUndefined();
      expect(body.data.candidate).toBeNull();
    }
  },

  async jobs({ service, own, token }) {
    const { body } = await service.graphql('{ jobs { id } }', {}, token);
    const ownIds = SEED_DEFINITIONS[own].jobs.map((job) => jobGlobalId(own, job.key)).sort();
    expect(body.data.jobs.map((job: { id: string }) => job.id).sort()).toEqual(ownIds);
  },

  async job({ service, other, token }) {
    for (const job of SEED_DEFINITIONS[other].jobs) {
      const { body } = await service.graphql('query ($id: ID!) { job(id: $id) { id title } }', { id: jobGlobalId(other, job.key) }, token);
      expect(body.errors).toBeUndefined();
      expect(body.data.job).toBeNull();
    }
  },

  async hrisProviders({ service, token }) {
    // Installed plugins are the same for every organization and carry no organization data.
    const { body } = await service.graphql('{ hrisProviders { key } }', {}, token);
    expect(body.data.hrisProviders).toEqual([{ key: 'personio' }]);
  },

  async hrisConnections({ service, own, token, connectionIds }) {
    const { body } = await service.graphql('{ hrisConnections { id } }', {}, token);
    expect(body.data.hrisConnections).toEqual([{ id: connectionIds[own] }]);
  },

  async connectHris({ service, own, other, token, connectionIds }) {
    const before = await connectionRow(service, other);
    const { body } = await service.graphql(CONNECT_MUTATION, { input: { personio: SANDBOX_CREDENTIALS } }, token);
    expect(body.data.connectHris.__typename).toBe('ConnectHrisSuccess');
    // Reconnecting updates the own connection in place; the other organization's row is untouched.
    expect(body.data.connectHris.connection.id).toBe(connectionIds[own]);
    expect(await connectionRow(service, other)).toEqual(before);
  },

  async checkHrisConnection({ service, other, token, connectionIds }) {
    const before = await connectionRow(service, other);
    const { body } = await service.graphql('mutation ($id: ID!) { checkHrisConnection(id: $id) { id status } }', { id: connectionIds[other] }, token);
    expect(body.errors).toBeUndefined();
    expect(body.data.checkHrisConnection).toBeNull();
    expect(await connectionRow(service, other)).toEqual(before);
  },

  async disconnectHris({ service, other, token, connectionIds }) {
    const { body } = await service.graphql('mutation ($id: ID!) { disconnectHris(id: $id) { disconnected } }', { id: connectionIds[other] }, token);
    expect(body.errors).toBeUndefined();
    expect(body.data.disconnectHris).toEqual({ disconnected: false });
    const row = await connectionRow(service, other);
    expect(row.status).toBe('CONNECTED');
    expect(row.credentialsCiphertext).not.toBeNull();
  },

  async exportCandidateToHris({ service, other, token }) {
    const before = await exportRowCounts(service);
    const emails = probeCandidateEmails(other);
    expect(emails.length).toBeGreaterThan(0);
    for (const email of emails) {
      const { body } = await service.graphql(EXPORT_ONE, { id: candidateGlobalId(other, email) }, token);
      expect(body.errors).toBeUndefined();
      expect(body.data.exportCandidateToHris.__typename).toBe('CandidateNotFound');
    }
    expect(await exportRowCounts(service)).toEqual(before);
  },

  async exportCandidatesToHris({ service, other, token }) {
    const before = await exportRowCounts(service);
    const ids = probeCandidateEmails(other).map((email) => candidateGlobalId(other, email));
    const selection = await service.graphql(EXPORT_MANY, { input: { candidateIds: ids, waitSeconds: 0 } }, token);
    expect(selection.body.errors).toBeUndefined();
    expect(selection.body.data.exportCandidatesToHris).toEqual({
      __typename: 'InvalidInput',
      problems: ids.map((_id, index) => ({ field: `input.candidateIds[${index}]`, message: 'No candidate with this ID is visible to you.' })),
    });

    for (const job of SEED_DEFINITIONS[other].jobs) {
      const { body } = await service.graphql(EXPORT_MANY, { input: { jobId: jobGlobalId(other, job.key), waitSeconds: 0 } }, token);
      expect(body.errors).toBeUndefined();
      expect(body.data.exportCandidatesToHris).toEqual({
        __typename: 'InvalidInput',
        problems: [{ field: 'input.jobId', message: 'No job with this ID is visible to you.' }],
      });
    }
    expect(await exportRowCounts(service)).toEqual(before);
  },

  async hrisExportBatch({ service, own, other, token, batchIds }) {
    const foreign = await service.graphql('query ($id: ID!) { hrisExportBatch(id: $id) { id items { candidateId } } }', { id: batchIds[other] }, token);
    expect(foreign.body.errors).toBeUndefined();
    expect(foreign.body.data.hrisExportBatch).toBeNull();

    // The own batch is found, so the null above is not a broken query.
    const mine = await service.graphql('query ($id: ID!) { hrisExportBatch(id: $id) { id } }', { id: batchIds[own] }, token);
    expect(mine.body.data.hrisExportBatch).toEqual({ id: batchIds[own] });
  },

  async hrisExportHistory({ service, own, other, token }) {
    const ownAttempts = await service.prisma.hrisExportAttempt.findMany({ where: { organizationId: seedOrganizationId(own) }, select: { id: true } });
    const otherAttempts = await service.prisma.hrisExportAttempt.count({ where: { organizationId: seedOrganizationId(other) } });
    expect(ownAttempts.length).toBeGreaterThan(0);
    expect(otherAttempts).toBeGreaterThan(0);

    const { body } = await service.graphql('{ hrisExportHistory(first: 100) { edges { node { id candidate { id } } } } }', {}, token);
    expect(body.errors).toBeUndefined();
    const ids = body.data.hrisExportHistory.edges.map((edge: { node: { id: string } }) => edge.node.id).sort();
    expect(ids).toEqual(ownAttempts.map((attempt) => attempt.id).sort());

    for (const job of SEED_DEFINITIONS[other].jobs) {
      const filtered = await service.graphql('query ($id: ID!) { hrisExportHistory(jobId: $id, first: 100) { edges { node { id } } } }', { id: jobGlobalId(other, job.key) }, token);
      expect(filtered.body.errors).toBeUndefined();
      expect(filtered.body.data.hrisExportHistory.edges).toEqual([]);
    }
  },

  async resumeHrisExportBatch({ service, other, token, batchIds }) {
    // An interrupted batch is the kind resume acts on; the other organization's must stay as it is.
    await service.prisma.hrisExportBatch.update({ where: { id: batchIds[other] }, data: { status: 'INTERRUPTED' } });
    try {
      const before = await batchRow(service, batchIds[other]);
      const counts = await exportRowCounts(service);
      const { body } = await service.graphql('mutation ($id: ID!) { resumeHrisExportBatch(id: $id) { id status } }', { id: batchIds[other] }, token);
      expect(body.errors).toBeUndefined();
      expect(body.data.resumeHrisExportBatch).toBeNull();
      expect(await batchRow(service, batchIds[other])).toEqual(before);
      expect(await exportRowCounts(service)).toEqual(counts);
    } finally {
      await service.prisma.hrisExportBatch.update({ where: { id: batchIds[other] }, data: { status: 'COMPLETED' } });
    }
  },
};

describe('organization isolation', () => {
  let sandbox: RunningSandbox;
  let service: TestService;
  const connectionIds = {} as Record<SeedOrganization, string>;
  const batchIds = {} as Record<SeedOrganization, string>;
  const tokens = {} as Record<SeedOrganization, string>;

  beforeAll(async () => {
    sandbox = await startPersonioSandbox({ port: 0 });
    service = await startTestService({ env: { PERSONIO_BASE_URL: sandbox.url } });
    for (const org of ['demo', 'globex'] as const) {
      tokens[org] = await service.tokenFor({ role: 'ADMIN', org });
      const { body } = await service.graphql(CONNECT_MUTATION, { input: { personio: SANDBOX_CREDENTIALS } }, tokens[org]);
      if (body.data?.connectHris?.__typename !== 'ConnectHrisSuccess') {
        throw new Error(`Connecting ${org} to the Personio sandbox failed: ${JSON.stringify(body)}`);
      }
      connectionIds[org] = body.data.connectHris.connection.id;
    }
    // Each organization exports one hire, so that both have a batch, attempts and ledger rows.
    for (const org of ['demo', 'globex'] as const) {
      const [email] = hiredCandidateEmails(org);
      const batch = await exportCandidates(service, tokens[org], { candidateIds: [candidateGlobalId(org, email!)], waitSeconds: 60 });
      if (batch.__typename !== 'HrisExportBatch' || batch.status !== 'COMPLETED') {
        throw new Error(`The bulk export of ${org} did not complete: ${JSON.stringify(batch)}`);
      }
      batchIds[org] = batch.id;
    }
  });

  afterAll(async () => {
    await service?.stop();
    await sandbox?.stop();
  });

  it('covers every root field of the schema', () => {
    const schema = buildSchema(service.services.registry);
    const rootFields = [
      ...Object.keys(schema.getQueryType()?.getFields() ?? {}),
      ...Object.keys(schema.getMutationType()?.getFields() ?? {}),
    ].sort();
    expect(Object.keys(ROOT_FIELDS).sort()).toEqual(rootFields);
  });

  const directions = [
    { own: 'demo', other: 'globex' },
    { own: 'globex', other: 'demo' },
  ] as const;

  for (const [field, check] of Object.entries(ROOT_FIELDS)) {
    for (const { own, other } of directions) {
      it(`${field}: ${own} admin cannot reach ${other}`, async () => {
        await check({ service, own, other, token: tokens[own], connectionIds, batchIds });
      });
    }
  }
});
