import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HrisPluginDefinition } from '../../src/hris/index.ts';
import { createFakePlugin, createFakeState } from '../fixtures/fake-hris.ts';
import { startTestService, type TestService } from '../helpers/service.ts';

// The whole connect-and-export path with a provider that uses only the public plugin
// interface: if core code depended on Personio, these tests would fail.
const state = createFakeState();
let service: TestService;
let admin: string;

const exportMutation = /* GraphQL */ `
  mutation Export($id: ID!) {
    exportCandidateToHris(input: { candidateId: $id }) {
      __typename
      ... on CandidatePartiallyExported { employeeId employeeUrl fields { field status value } documents { fileName status } }
      ... on CandidateExported { employeeId }
      ... on CandidateAlreadyExported { employeeId updateSupported message }
      ... on HrisUnavailable { message timedOut }
    }
  }
`;

async function hiredCandidateIds(count: number): Promise<string[]> {
  const result = await service.graphql(`{ candidates(filter: { status: HIRED }, first: ${count}) { edges { node { id } } } }`, {}, admin);
  return result.body.data.candidates.edges.map((edge: { node: { id: string } }) => edge.node.id);
}

beforeAll(async () => {
  service = await startTestService({ plugins: [createFakePlugin(state) as unknown as HrisPluginDefinition<never, never>] });
  admin = await service.tokenFor({ role: 'ADMIN' });
});

afterAll(async () => {
  await service.stop();
});

describe('core with a fake provider', () => {
  it('lists the fake provider and its derived form fields', async () => {
    const result = await service.graphql('{ hrisProviders { key displayName capabilities credentialFields { key secret required } } }', {}, admin);
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data.hrisProviders).toEqual([
      {
        key: 'fake-hr',
        displayName: 'Fake HR',
        capabilities: ['documents'],
        credentialFields: [
          { key: 'apiKey', secret: true, required: true },
          { key: 'workspace', secret: false, required: true },
        ],
      },
    ]);
  });

  it('rejects invalid credentials with the field path', async () => {
    const result = await service.graphql(
      'mutation { connectHris(input: { fakeHr: { apiKey: "short", workspace: "North Wind" } }) { __typename ... on InvalidInput { problems { field message } } } }',
      {},
      admin,
    );
    expect(result.body.data.connectHris.__typename).toBe('InvalidInput');
    expect(result.body.data.connectHris.problems).toEqual([
      { field: 'input.fakeHr.apiKey', message: 'must be at least 8 characters' },
      { field: 'input.fakeHr.workspace', message: 'must be lower-case letters, digits or hyphens' },
    ]);
  });

  it('connects, exports, rejects a second employee', async () => {
    const connected = await service.graphql(
      'mutation { connectHris(input: { fakeHr: { apiKey: "secret-key-1", workspace: "northwind" } }) { __typename ... on ConnectHrisSuccess { connection { provider status accountLabel } } } }',
      {},
      admin,
    );
    expect(connected.body.data.connectHris).toEqual({
      __typename: 'ConnectHrisSuccess',
      connection: { provider: 'fake-hr', status: 'CONNECTED', accountLabel: 'northwind' },
    });

    const [candidateId] = await hiredCandidateIds(1);
    const first = await service.graphql(exportMutation, { id: candidateId }, admin);
    const summary = first.body.data.exportCandidateToHris;
    expect(['CandidateExported', 'CandidatePartiallyExported']).toContain(summary.__typename);
    expect(summary.employeeId).toBe('1');
    expect(state.employees).toHaveLength(1);
    expect(state.documents.length).toBeGreaterThan(0);

    const second = await service.graphql(exportMutation, { id: candidateId }, admin);
    expect(second.body.data.exportCandidateToHris).toMatchObject({ __typename: 'CandidateAlreadyExported', employeeId: '1', updateSupported: false });
    expect(state.employees).toHaveLength(1);
  });

  it('reports a provider failure as its union member', async () => {
    const [, candidateId] = await hiredCandidateIds(2);
    state.failures.create = [{ kind: 'UNAVAILABLE', timedOut: true, message: 'The fake HRIS timed out.' }];
    const result = await service.graphql(exportMutation, { id: candidateId }, admin);
    expect(result.body.data.exportCandidateToHris).toEqual({ __typename: 'HrisUnavailable', message: 'The fake HRIS timed out.', timedOut: true });
    const retry = await service.graphql(exportMutation, { id: candidateId }, admin);
    expect(['CandidateExported', 'CandidatePartiallyExported']).toContain(retry.body.data.exportCandidateToHris.__typename);
  });
});
