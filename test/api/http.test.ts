import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../helpers/service.ts';

describe('health and readiness endpoints', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService({ seed: false });
  });

  afterAll(async () => {
    await service?.stop();
  });

  it('GET /health returns 200 without a token', async () => {
    const response = await service.app.fetch('http://test/health');
    expect(response.status).toBe(200);
    // Yoga's built-in health check answers with an empty body.
    expect(await response.text()).toBe('');
  });

  it('GET /ready returns ready while the database answers', async () => {
    const response = await service.app.fetch('http://test/ready');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready' });
  });
});

describe('readiness without a database', () => {
  it('GET /ready returns 503 once the database is gone', async () => {
    const service = await startTestService({ seed: false });
    await service.stop();
    try {
      const response = await service.app.fetch('http://test/ready');
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ status: 'unavailable', reason: 'database unreachable' });
    } finally {
      // The readiness query opened a new pool on the stopped database; close it again.
      await service.prisma.$disconnect();
    }
  });
});

describe('request body limit', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService({ seed: false, env: { MAX_REQUEST_BODY_BYTES: '2048' } });
  });

  afterAll(async () => {
    await service?.stop();
  });

  it('rejects a body over MAX_REQUEST_BODY_BYTES with 413', async () => {
    const response = await service.app.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ __typename } # ${'x'.repeat(4096)}` }),
    });
    expect(response.status).toBe(413);
  });

  it('accepts a body under MAX_REQUEST_BODY_BYTES', async () => {
    const { status, body } = await service.graphql('{ __typename }');
    expect(status).toBe(200);
    expect(body.data).toEqual({ __typename: 'Query' });
  });
});
