import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedOrganizationId, seedUserId } from '../../src/db/seed-data.ts';
import { startTestService, TEST_JWT_SECRET, type TestService } from '../helpers/service.ts';

// Every way a bearer token can be wrong ends in 401 UNAUTHENTICATED before any resolver
// runs: the response carries no data, names what is wrong without echoing the token, and a
// mutation sent with such a token changes nothing.

const DEMO_ORG_ID = seedOrganizationId('demo');
const GLOBEX_ORG_ID = seedOrganizationId('globex');
const DEMO_ADMIN_ID = seedUserId('demo', 'amara.okafor@northwind.example');
const GLOBEX_ADMIN_ID = seedUserId('globex', 'grace.hopper@globex.example');
const VIEWER_QUERY = '{ viewer { user { email } } }';
const INVALID_TOKEN = 'The token is invalid: its signature or format could not be verified.';
const UNKNOWN_USER = 'The token names a user that does not exist in its organization.';

const secretKey = new TextEncoder().encode(TEST_JWT_SECRET);
const now = () => Math.floor(Date.now() / 1000);

interface Claims {
  sub?: unknown;
  org?: unknown;
  exp?: unknown;
  nbf?: unknown;
  iss?: string;
  aud?: string;
}

/** Signs an HS256 token with exactly these claims (no defaults), with the test secret unless given. */
function signHs256(claims: Claims, secret: Uint8Array = secretKey): Promise<string> {
  return new SignJWT({ ...claims } as Record<string, unknown>).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().sign(secret);
}

/** Claims of a valid token of the demo admin, expiring in an hour. */
function validClaims(extra: Claims = {}): Claims {
  return { sub: DEMO_ADMIN_ID, org: DEMO_ORG_ID, exp: now() + 3600, ...extra };
}

function base64url(value: object | string): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

async function expectRejected(service: TestService, token: string, message: string | RegExp, query = VIEWER_QUERY): Promise<void> {
  const response = await service.app.fetch('http://test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  const text = await response.text();
  expect(response.status).toBe(401);
  expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
  const body = JSON.parse(text) as { data?: unknown; errors: { message: string; extensions: unknown }[] };
  expect(body.data).toBeUndefined();
  expect(body.errors).toHaveLength(1);
  expect(body.errors[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED' });
  if (typeof message === 'string') expect(body.errors[0]?.message).toBe(message);
  else expect(body.errors[0]?.message).toMatch(message);
  // The response never echoes the token or any of its parts.
  for (const part of token.split('.').filter((segment) => segment.length > 8)) expect(text).not.toContain(part);
}

describe('HS256 token rejections', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService();
  });

  afterAll(async () => {
    await service?.stop();
  });

  it('valid token is accepted', async () => {
    const { status, body } = await service.graphql(VIEWER_QUERY, {}, await signHs256(validClaims()));
    expect(status).toBe(200);
    expect(body.data).toEqual({ viewer: { user: { email: 'amara.okafor@northwind.example' } } });
  });

  const cases: { name: string; token: () => Promise<string>; message: string | RegExp }[] = [
    { name: 'wrong signature', token: () => signHs256(validClaims(), new TextEncoder().encode('x'.repeat(48))), message: INVALID_TOKEN },
    {
      name: 'payload changed after signing',
      token: async () => {
        const [header, , signature] = (await signHs256(validClaims())).split('.');
        return `${header}.${base64url(validClaims({ sub: GLOBEX_ADMIN_ID, org: GLOBEX_ORG_ID }))}.${signature}`;
      },
      message: INVALID_TOKEN,
    },
    { name: 'unsigned token (alg none)', token: async () => `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(validClaims())}.`, message: INVALID_TOKEN },
    { name: 'expired', token: () => signHs256(validClaims({ exp: now() - 1 })), message: 'The token has expired; request a new one.' },
    { name: 'expired a year ago', token: () => signHs256(validClaims({ exp: now() - 365 * 86_400 })), message: 'The token has expired; request a new one.' },
    {
      name: 'not yet valid (nbf in 10 minutes)',
      token: () => signHs256(validClaims({ nbf: now() + 600 })),
      message: 'The token is not valid yet: its `nbf` claim is in the future. Check the clock of the token issuer.',
    },
    { name: 'missing exp claim', token: () => signHs256({ sub: DEMO_ADMIN_ID, org: DEMO_ORG_ID }), message: 'The token has no `exp` claim; request a token that sets it.' },
    { name: 'exp that is not a number', token: () => signHs256(validClaims({ exp: 'tomorrow' })), message: /`exp` claim is invalid/ },
    { name: 'missing sub claim', token: () => signHs256({ org: DEMO_ORG_ID, exp: now() + 3600 }), message: 'The token has no valid `sub` claim (the user id).' },
    { name: 'missing org claim', token: () => signHs256({ sub: DEMO_ADMIN_ID, exp: now() + 3600 }), message: 'The token has no valid `org` claim (the organization id).' },
    { name: 'org claim that is a number', token: () => signHs256(validClaims({ org: 42 })), message: 'The token has no valid `org` claim (the organization id).' },
    { name: 'sub claim that is not a UUID', token: () => signHs256(validClaims({ sub: "' OR 1=1 --" })), message: 'The token has no valid `sub` claim (the user id).' },
    { name: 'unknown user', token: () => signHs256(validClaims({ sub: randomUUID() })), message: UNKNOWN_USER },
    { name: 'user of another organization', token: () => signHs256(validClaims({ sub: GLOBEX_ADMIN_ID, org: DEMO_ORG_ID })), message: UNKNOWN_USER },
    { name: 'organization that does not exist', token: () => signHs256(validClaims({ org: randomUUID() })), message: UNKNOWN_USER },
    { name: 'token of 10,000 characters', token: async () => `${'a'.repeat(5000)}.${'b'.repeat(4998)}.c`, message: INVALID_TOKEN },
  ];

  for (const testCase of cases) {
    it(`${testCase.name}: 401 UNAUTHENTICATED`, async () => {
      await expectRejected(service, await testCase.token(), testCase.message);
    });
  }

  it('rejected token on a mutation changes nothing', async () => {
    const connection = await service.prisma.hrisConnection.create({
      data: { organizationId: DEMO_ORG_ID, provider: 'personio', status: 'CONNECTED', credentialsCiphertext: 'stored', accountLabel: 'acme-gmbh' },
    });
    const before = await service.prisma.hrisConnection.findUniqueOrThrow({ where: { id: connection.id } });
    const globalId = Buffer.from(`HrisConnection:${connection.id}`).toString('base64');
    const mutation = `mutation { disconnectHris(id: "${globalId}") { disconnected } }`;
    for (const claims of [validClaims({ exp: now() - 1 }), validClaims({ sub: GLOBEX_ADMIN_ID }), { sub: DEMO_ADMIN_ID, org: DEMO_ORG_ID }]) {
      await expectRejected(service, await signHs256(claims), /./, mutation);
    }
    expect(await service.prisma.hrisConnection.findUniqueOrThrow({ where: { id: connection.id } })).toEqual(before);
    await service.prisma.hrisConnection.delete({ where: { id: connection.id } });
  });
});

describe('issuer and audience checks', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService({ env: { JWT_ISSUER: 'https://ats.example', JWT_AUDIENCE: 'hris-export' } });
  });

  afterAll(async () => {
    await service?.stop();
  });

  it('token with the expected iss and aud is accepted', async () => {
    const { status, body } = await service.graphql(VIEWER_QUERY, {}, await signHs256(validClaims({ iss: 'https://ats.example', aud: 'hris-export' })));
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
  });

  const cases: { name: string; claims: Claims; message: string }[] = [
    { name: 'wrong issuer', claims: validClaims({ iss: 'https://evil.example', aud: 'hris-export' }), message: "The token's `iss` claim does not name the expected issuer (JWT_ISSUER)." },
    { name: 'missing issuer', claims: validClaims({ aud: 'hris-export' }), message: 'The token has no `iss` claim; request a token that sets it.' },
    { name: 'wrong audience', claims: validClaims({ iss: 'https://ats.example', aud: 'another-service' }), message: "The token's `aud` claim does not name the expected audience (JWT_AUDIENCE)." },
    { name: 'missing audience', claims: validClaims({ iss: 'https://ats.example' }), message: 'The token has no `aud` claim; request a token that sets it.' },
  ];

  for (const testCase of cases) {
    it(`${testCase.name}: 401 UNAUTHENTICATED`, async () => {
      await expectRejected(service, await signHs256(testCase.claims), testCase.message);
    });
  }
});

describe('RS256 tokens through JWT_JWKS_URL', () => {
  let service: TestService;
  let keyServer: Server;
  let privateKey: CryptoKey;
  let otherPrivateKey: CryptoKey;

  function signRs256(claims: Claims, key: CryptoKey = privateKey, kid = 'key-1'): Promise<string> {
    return new SignJWT({ ...claims } as Record<string, unknown>).setProtectedHeader({ alg: 'RS256', kid }).setIssuedAt().sign(key);
  }

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    otherPrivateKey = (await generateKeyPair('RS256')).privateKey;
    const publicJwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
    const keySet = JSON.stringify({ keys: [publicJwk] });
    keyServer = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(keySet);
    });
    await new Promise<void>((resolve) => keyServer.listen(0, '127.0.0.1', resolve));
    const { port } = keyServer.address() as AddressInfo;
    service = await startTestService({ env: { JWT_JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json` } });
  });

  afterAll(async () => {
    await service?.stop();
    await new Promise<void>((resolve) => keyServer?.close(() => resolve()));
  });

  it('token signed with the published key is accepted', async () => {
    const { status, body } = await service.graphql(VIEWER_QUERY, {}, await signRs256(validClaims()));
    expect(status).toBe(200);
    expect(body.data).toEqual({ viewer: { user: { email: 'amara.okafor@northwind.example' } } });
  });

  it('token signed with another RSA key: 401', async () => {
    await expectRejected(service, await signRs256(validClaims(), otherPrivateKey), INVALID_TOKEN);
  });

  it('token naming an unpublished key id: 401', async () => {
    await expectRejected(service, await signRs256(validClaims(), otherPrivateKey, 'key-2'), INVALID_TOKEN);
  });

  it('HS256 token when RS256 is expected: 401', async () => {
    // Even a token signed with the service's JWT_SECRET is refused once a JWKS URL is set.
    await expectRejected(service, await signHs256(validClaims()), INVALID_TOKEN);
  });

  it('expired RS256 token: 401', async () => {
    await expectRejected(service, await signRs256(validClaims({ exp: now() - 5 })), 'The token has expired; request a new one.');
  });

  it('user of another organization: 401', async () => {
    await expectRejected(service, await signRs256(validClaims({ sub: GLOBEX_ADMIN_ID, org: DEMO_ORG_ID })), UNKNOWN_USER);
  });
});
