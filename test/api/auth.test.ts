import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedOrganizationId, seedUserId } from '../../src/db/seed-data.ts';
import { startTestService, TEST_JWT_SECRET, TEST_ENCRYPTION_KEY, type TestService } from '../helpers/service.ts';

const DEMO_ORG_ID = seedOrganizationId('demo');
const GLOBEX_ORG_ID = seedOrganizationId('globex');
const DEMO_ADMIN_ID = seedUserId('demo', 'amara.okafor@northwind.example');
const GLOBEX_ADMIN_ID = seedUserId('globex', 'grace.hopper@globex.example');

const VIEWER_QUERY = '{ viewer { user { email } role organization { slug } } }';

interface TokenParts {
  sub?: string;
  org?: string;
  secret?: string;
  alg?: string;
  expiresAt?: number | string;
  notBefore?: number | string;
}

/** Signs a token with chosen claims; defaults make a valid token of the demo admin. */
async function sign(parts: TokenParts = {}): Promise<string> {
  const claims: Record<string, unknown> = {};
  if (parts.org !== '') claims['org'] = parts.org ?? DEMO_ORG_ID;
  let jwt = new SignJWT(claims).setProtectedHeader({ alg: parts.alg ?? 'HS256' }).setIssuedAt();
  if (parts.sub !== '') jwt = jwt.setSubject(parts.sub ?? DEMO_ADMIN_ID);
  jwt = jwt.setExpirationTime(parts.expiresAt ?? '1h');
  if (parts.notBefore !== undefined) jwt = jwt.setNotBefore(parts.notBefore);
  return jwt.sign(new TextEncoder().encode(parts.secret ?? TEST_JWT_SECRET));
}

async function postWithAuthorization(service: TestService, authorization: string): Promise<Response> {
  return service.app.fetch('http://test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization },
    body: JSON.stringify({ query: VIEWER_QUERY }),
  });
}

describe('authentication', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService();
  });

  afterAll(async () => {
    await service?.stop();
  });

  it('valid token returns the viewer', async () => {
    const { status, body } = await service.graphql(VIEWER_QUERY, {}, await sign());
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.viewer).toEqual({ user: { email: 'amara.okafor@northwind.example' }, role: 'ADMIN', organization: { slug: 'demo' } });
  });

  it('no token: viewer fails with UNAUTHENTICATED naming the field', async () => {
    const { status, body } = await service.graphql(VIEWER_QUERY);
    // The request itself is anonymous and valid; the field's auth scope rejects it.
    expect(status).toBe(200);
    expect(body.data).toBeNull();
    expect(body.errors).toHaveLength(1);
    expect(body.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(body.errors?.[0].message).toContain('Query.viewer');
    expect(body.errors?.[0].path).toEqual(['viewer']);
  });

  const rejectedTokens: { name: string; token: () => Promise<string>; message: string | RegExp }[] = [
    {
      name: 'wrong signature',
      token: () => sign({ secret: 'another-secret-that-is-long-enough-for-hs256-0123' }),
      message: 'The token is invalid: its signature or format could not be verified.',
    },
    {
      name: 'algorithm other than HS256',
      token: () => sign({ alg: 'HS512' }),
      message: 'The token is invalid: its signature or format could not be verified.',
    },
    {
      name: 'expired',
      token: () => sign({ expiresAt: Math.floor(Date.now() / 1000) - 60 }),
      message: 'The token has expired; request a new one.',
    },
    {
      name: 'not yet valid (nbf in the future)',
      token: () => sign({ notBefore: '1h' }),
      message: /`nbf` claim/,
    },
    {
      name: 'not a JWT',
      token: async () => 'not-a-jwt',
      message: 'The token is invalid: its signature or format could not be verified.',
    },
    {
      name: 'missing sub claim',
      token: () => sign({ sub: '' }),
      message: 'The token has no valid `sub` claim (the user id).',
    },
    {
      name: 'sub that is not a UUID',
      token: () => sign({ sub: 'amara' }),
      message: 'The token has no valid `sub` claim (the user id).',
    },
    {
      name: 'missing org claim',
      token: () => sign({ org: '' }),
      message: 'The token has no valid `org` claim (the organization id).',
    },
    {
      name: 'unknown user',
      token: () => sign({ sub: randomUUID() }),
      message: 'The token names a user that does not exist in its organization.',
    },
    {
      name: 'user of another organization',
      token: () => sign({ sub: GLOBEX_ADMIN_ID, org: DEMO_ORG_ID }),
      message: 'The token names a user that does not exist in its organization.',
    },
    {
      name: 'user with an unknown organization',
      token: () => sign({ org: randomUUID() }),
      message: 'The token names a user that does not exist in its organization.',
    },
  ];

  for (const testCase of rejectedTokens) {
    it(`${testCase.name}: 401 UNAUTHENTICATED`, async () => {
      const { status, body } = await service.graphql(VIEWER_QUERY, {}, await testCase.token());
      expect(status).toBe(401);
      expect(body.data).toBeUndefined();
      expect(body.errors).toHaveLength(1);
      expect(body.errors?.[0].extensions).toEqual({ code: 'UNAUTHENTICATED' });
      if (typeof testCase.message === 'string') expect(body.errors?.[0].message).toBe(testCase.message);
      else expect(body.errors?.[0].message).toMatch(testCase.message);
    });
  }

  it('globex user with its own organization is accepted', async () => {
    const { status, body } = await service.graphql(VIEWER_QUERY, {}, await sign({ sub: GLOBEX_ADMIN_ID, org: GLOBEX_ORG_ID }));
    expect(status).toBe(200);
    expect(body.data.viewer.organization.slug).toBe('globex');
  });

  it('401 carries WWW-Authenticate with invalid_token', async () => {
    const response = await postWithAuthorization(service, `Bearer ${await sign({ sub: randomUUID() })}`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
  });

  const malformedHeaders = ['Token abc', 'Bearer', 'Bearer ', 'Bearer two parts', 'Basic dXNlcjpwYXNz'];
  for (const header of malformedHeaders) {
    it(`malformed header ${JSON.stringify(header)}: 401 invalid_request`, async () => {
      const response = await postWithAuthorization(service, header);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_request"');
      const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
      expect(body.errors[0]?.extensions.code).toBe('UNAUTHENTICATED');
      expect(body.errors[0]?.message).toBe('The Authorization header must be "Bearer <JWT>".');
    });
  }

  it('scheme name is case-insensitive', async () => {
    const response = await postWithAuthorization(service, `bearer ${await sign()}`);
    expect(response.status).toBe(200);
  });

  it('token from tokenFor has a 12-hour lifetime', async () => {
    const token = await service.tokenFor({ role: 'ADMIN' });
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { iat: number; exp: number };
    expect(payload.exp - payload.iat).toBe(12 * 3600);
  });
});

describe('authorization errors', () => {
  // Production mode masks unexpected errors, so this proves that graphql-yoga (5.13.3 or
  // later) passes Pothos's authorization errors through with their code.
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService({
      env: { NODE_ENV: 'production', JWT_SECRET: TEST_JWT_SECRET, ENCRYPTION_KEY: TEST_ENCRYPTION_KEY },
    });
  });

  afterAll(async () => {
    await service?.stop();
  });

  it('FORBIDDEN reaches the client unmasked in production', async () => {
    const token = await service.tokenFor({ role: 'INTERVIEWER' });
    const { status, body } = await service.graphql('{ candidates(first: 1) { totalCount } }', {}, token);
    expect(status).toBe(200);
    expect(body.data).toBeNull();
    expect(body.errors).toHaveLength(1);
    expect(body.errors?.[0].extensions).toEqual({ code: 'FORBIDDEN' });
    expect(body.errors?.[0].message).toBe('Not allowed: Query.candidates is not available to the INTERVIEWER role.');
    expect(body.errors?.[0].path).toEqual(['candidates']);
  });

  it('UNAUTHENTICATED reaches the client unmasked in production', async () => {
    const { body } = await service.graphql('{ jobs { title } }');
    expect(body.errors?.[0].extensions).toEqual({ code: 'UNAUTHENTICATED' });
    expect(body.errors?.[0].message).toBe('Authentication required for Query.jobs: send an Authorization: Bearer <JWT> header.');
  });

  it('interviewer reads viewer in production', async () => {
    const token = await service.tokenFor({ role: 'INTERVIEWER' });
    const { body } = await service.graphql('{ viewer { role } }', {}, token);
    expect(body.errors).toBeUndefined();
    expect(body.data.viewer.role).toBe('INTERVIEWER');
  });
});
