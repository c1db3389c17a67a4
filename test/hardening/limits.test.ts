import { request as httpRequest } from 'node:http';
import type { Server } from 'node:http';
import { Lexer, Source, TokenKind } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryLimitCodes, queryLimits } from '../../src/graphql/limits.ts';
import { pageSize } from '../../src/graphql/pagination.ts';
import { listen } from '../../src/server.ts';
import { createHiredCandidates } from '../exports/support.ts';
import { candidateGlobalId, jobGlobalId } from '../helpers/seed-facts.ts';
import { startTestService, TEST_ENCRYPTION_KEY, TEST_JWT_SECRET, type TestService } from '../helpers/service.ts';

// Abuse limits: each one is tried just under and just over its threshold, and a rejection
// must carry its own code, name the limit and run no resolver.

/** Field chain from a Candidate down through its applications, jobs and pipelines, with a leaf per level. */
const CHAIN: { open: string; leaf: string }[] = [
  { open: 'applications', leaf: 'id' },
  { open: 'job', leaf: 'id' },
  { open: 'stages', leaf: 'id' },
  { open: 'candidates(first: 1)', leaf: 'totalCount' },
  { open: 'edges', leaf: 'cursor' },
  { open: 'node', leaf: 'id' },
];

/** Builds a query whose deepest field sits at `depth` (the root field `candidate` is depth 1). */
function queryOfDepth(depth: number): string {
  let body = '';
  let closing = '';
  for (let level = 2; level < depth; level++) {
    const step = CHAIN[(level - 2) % CHAIN.length]!;
    body += `${step.open} { `;
    closing += ' }';
  }
  if (depth === 1) return 'query ($id: ID!) { candidate(id: $id) { __typename } }';
  const leaf = depth === 2 ? 'id' : CHAIN[(depth - 3) % CHAIN.length]!.leaf;
  return `query ($id: ID!) { candidate(id: $id) { ${body}${leaf}${closing} } }`;
}

/** Lexical tokens of a document as the parser reads them: comments and the end of input do not count. */
function countTokens(document: string): number {
  const lexer = new Lexer(new Source(document));
  let count = 0;
  while (lexer.advance().kind !== TokenKind.EOF) count++;
  return count;
}

interface LimitError {
  message: string;
  extensions: { code: string };
}

describe('operation shape limits', () => {
  let service: TestService;
  let token: string;
  const candidateId = candidateGlobalId('demo', 'zoe.mueller@example.com');

  beforeAll(async () => {
    service = await startTestService();
    token = await service.tokenFor({ role: 'RECRUITER' });
  });

  afterAll(async () => {
    await service?.stop();
  });

  async function send(document: string, variables: object = {}) {
    return service.graphql(document, variables, token);
  }

  function expectLimit(response: { status: number; body: { data?: unknown; errors?: LimitError[] } }, code: string, text: RegExp): void {
    expect(response.status).toBe(400);
    expect(response.body.data).toBeUndefined();
    expect(response.body.errors).toHaveLength(1);
    expect(response.body.errors?.[0]?.extensions.code).toBe(code);
    expect(response.body.errors?.[0]?.message).toMatch(text);
  }

  it('depth at the limit is accepted', async () => {
    const { status, body } = await send(queryOfDepth(queryLimits.maxDepth), { id: candidateId });
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
  });

  it('depth over the limit: QUERY_TOO_DEEP', async () => {
    const response = await send(queryOfDepth(queryLimits.maxDepth + 1), { id: candidateId });
    expectLimit(response, queryLimitCodes.maxDepth, new RegExp(`depth limit of ${queryLimits.maxDepth}`, 'i'));
  });

  it('depth through fragments counts the same', async () => {
    // Fragments do not reset the count: the same chain spread over fragments is still too deep.
    const document = `query ($id: ID!) { candidate(id: $id) { ...A } }
      fragment A on Candidate { applications { job { stages { candidates(first: 1) { edges { node { ...B } } } } } } }
      fragment B on Candidate { applications { job { stages { candidates(first: 1) { totalCount } } } } }`;
    expectLimit(await send(document, { id: candidateId }), queryLimitCodes.maxDepth, /depth limit/i);
  });

  it('aliases at the limit are accepted', async () => {
    const fields = Array.from({ length: queryLimits.maxAliases }, (_, index) => `a${index}: viewer { role }`).join(' ');
    const { status, body } = await send(`{ ${fields} }`);
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
  });

  it('aliases over the limit: TOO_MANY_ALIASES', async () => {
    const fields = Array.from({ length: queryLimits.maxAliases + 1 }, (_, index) => `a${index}: viewer { role }`).join(' ');
    expectLimit(await send(`{ ${fields} }`), queryLimitCodes.maxAliases, new RegExp(`Aliases limit of ${queryLimits.maxAliases}`, 'i'));
  });

  it('directives at the limit are accepted', async () => {
    const fields = Array.from({ length: queryLimits.maxDirectives }, () => '__typename @include(if: true)').join(' ');
    const { status, body } = await send(`{ ${fields} }`);
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
  });

  it('directives over the limit: TOO_MANY_DIRECTIVES', async () => {
    const fields = Array.from({ length: queryLimits.maxDirectives + 1 }, () => '__typename @skip(if: false)').join(' ');
    expectLimit(await send(`{ ${fields} }`), queryLimitCodes.maxDirectives, new RegExp(`Directives limit of ${queryLimits.maxDirectives}`, 'i'));
  });

  /**
   * Builds a bulk export whose candidateIds list makes the document exactly `tokens` lexical
   * tokens long. The ids are not Candidate IDs, so an accepted document ends as InvalidInput.
   */
  function documentOfTokens(tokens: number): string {
    const build = (count: number) =>
      `mutation { exportCandidatesToHris(input: { candidateIds: [${Array.from({ length: count }, (_, index) => `"c${index}"`).join(' ')}], waitSeconds: 0 }) { __typename } }`;
    const fixed = countTokens(build(0));
    const document = build(tokens - fixed);
    expect(countTokens(document)).toBe(tokens);
    return document;
  }

  it('tokens at the limit are accepted', async () => {
    const { status, body } = await send(documentOfTokens(queryLimits.maxTokens));
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    expect(body.data.exportCandidatesToHris).toEqual({ __typename: 'InvalidInput' });
  });

  it('tokens over the limit: TOO_MANY_TOKENS', async () => {
    expectLimit(await send(documentOfTokens(queryLimits.maxTokens + 1)), queryLimitCodes.maxTokens, new RegExp(`Token limit of ${queryLimits.maxTokens}`, 'i'));
  });

  // Two nested connections of 100 nodes each: 100 × (2 + 100 × 4) and more, far over the limit.
  const NESTED_PAGES = `query ($first: Int) { candidates(first: $first) { edges { node { applications { job { stages {
    candidates(first: $first) { edges { node { email firstName lastName } } } } } } } } } }`;

  it('cost over the limit with literal page sizes: QUERY_TOO_COSTLY', async () => {
    const document = NESTED_PAGES.replace('query ($first: Int) ', '').replaceAll('$first', '100');
    expectLimit(await send(document), queryLimitCodes.maxCost, new RegExp(`over the limit of ${queryLimits.maxCost}`));
  });

  it('cost reads page sizes from variables', async () => {
    expectLimit(await send(NESTED_PAGES, { first: 100 }), queryLimitCodes.maxCost, /estimated cost/);
    const small = await send(NESTED_PAGES, { first: 2 });
    expect(small.body.errors).toBeUndefined();
    expect(small.status).toBe(200);
  });

  it('cost counts a missing page size as the default page', async () => {
    // Without first, each connection returns the default page: 20 × 20 nodes is still allowed,
    // 15 aliased copies of it are not.
    const one = 'candidates { edges { node { applications { job { stages { candidates { edges { node { email } } } } } } } } }';
    const accepted = await send(`{ ${one} }`);
    expect(accepted.body.errors).toBeUndefined();
    const aliased = Array.from({ length: 15 }, (_, index) => `p${index}: ${one}`).join(' ');
    expectLimit(await send(`{ ${aliased} }`), queryLimitCodes.maxCost, /estimated cost/);
  });

  it('many aliased pages of 100: QUERY_TOO_COSTLY', async () => {
    const page = 'candidates(first: 100) { edges { node { email firstName lastName applications { job { title } stage { kind } } } } }';
    const document = `{ ${Array.from({ length: queryLimits.maxAliases }, (_, index) => `p${index}: ${page}`).join(' ')} }`;
    expectLimit(await send(document), queryLimitCodes.maxCost, /estimated cost/);
  });

  it('largest page of the job pipeline is accepted', async () => {
    const document = `query ($id: ID!) { job(id: $id) { title stages { name kind position
      candidates(first: ${pageSize.maxSize}) { totalCount edges { cursor node { id firstName lastName preferredName email }
      application { id startDate offeredPositionTitle stageEnteredAt hiredAt } } } } } }`;
    const { status, body } = await send(document, { id: jobGlobalId('demo', 'backend') });
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
  });

  for (const argument of ['first', 'last'] as const) {
    it(`${argument} over the page maximum: BAD_USER_INPUT`, async () => {
      const { status, body } = await send(`{ candidates(${argument}: ${pageSize.maxSize + 1}) { totalCount } }`);
      expect(status).toBe(200);
      expect(body.data).toBeNull();
      expect(body.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
      expect(body.errors?.[0]?.message).toBe(
        `Argument "${argument}" is ${pageSize.maxSize + 1}; it must be from 0 to ${pageSize.maxSize}. Fetch further pages with "after" and pageInfo.endCursor.`,
      );
    });
  }

  it('negative first: BAD_USER_INPUT naming the argument', async () => {
    const { body } = await send('query ($id: ID!) { job(id: $id) { stages { candidates(first: -1) { totalCount } } } }', { id: jobGlobalId('demo', 'backend') });
    expect(body.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
    expect(body.errors?.[0]?.message).toMatch(/^Argument "first" is -1; it must be from 0 to 100/);
  });
});

describe('HTTP limits on a listening server', () => {
  const MAX_BODY = 4096;
  let service: TestService;
  let server: Server;
  let port: number;
  let token: string;

  beforeAll(async () => {
    service = await startTestService({ env: { MAX_REQUEST_BODY_BYTES: String(MAX_BODY) } });
    token = await service.tokenFor({ role: 'RECRUITER' });
    const listening = await listen(service, '127.0.0.1', 0);
    server = listening.server;
    port = Number(new URL(listening.url).port);
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await service?.stop();
  });

  /** Sends a raw HTTP request and returns status and body text. */
  function rawRequest(options: { headers: Record<string, string>; body?: string; chunks?: string[] }): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const request = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/graphql', headers: options.headers }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      });
      request.on('error', reject);
      for (const chunk of options.chunks ?? []) request.write(chunk);
      request.end(options.body);
    });
  }

  const headers = () => ({ 'content-type': 'application/json', authorization: `Bearer ${token}` });

  it('body under the limit is answered', async () => {
    const body = JSON.stringify({ query: '{ viewer { role } }' });
    const response = await rawRequest({ headers: { ...headers(), 'content-length': String(Buffer.byteLength(body)) }, body });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toEqual({ data: { viewer: { role: 'RECRUITER' } } });
  });

  it('body over MAX_REQUEST_BODY_BYTES: 413 PAYLOAD_TOO_LARGE', async () => {
    const body = JSON.stringify({ query: `{ viewer { role } } # ${'x'.repeat(MAX_BODY)}` });
    const response = await rawRequest({ headers: { ...headers(), 'content-length': String(Buffer.byteLength(body)) }, body });
    expect(response.status).toBe(413);
    expect(JSON.parse(response.text)).toEqual({
      errors: [{ message: `The request body exceeds the limit of ${MAX_BODY} bytes (MAX_REQUEST_BODY_BYTES).`, extensions: { code: 'PAYLOAD_TOO_LARGE' } }],
    });
  });

  it('POST without Content-Length: 411 LENGTH_REQUIRED', async () => {
    // Chunked transfer encoding sends no Content-Length, so the size is unknown up front.
    const response = await rawRequest({
      headers: { ...headers(), 'transfer-encoding': 'chunked' },
      chunks: ['{"query":', '"{ viewer { role } }"}'],
    });
    expect(response.status).toBe(411);
    expect(JSON.parse(response.text)).toEqual({
      errors: [{ message: 'POST requests must send a Content-Length header.', extensions: { code: 'LENGTH_REQUIRED' } }],
    });
  });

  it('chunked body over the limit is not read: 411', async () => {
    const chunks = Array.from({ length: 8 }, () => 'x'.repeat(MAX_BODY));
    const response = await rawRequest({ headers: { ...headers(), 'transfer-encoding': 'chunked' }, chunks });
    expect(response.status).toBe(411);
  });

  it('GET with a query string is answered without a body', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/graphql?query=${encodeURIComponent('{ viewer { role } }')}`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { viewer: { role: 'RECRUITER' } } });
  });
});

describe('bulk export size limit', () => {
  const MAX = 3;
  let service: TestService;
  let token: string;

  beforeAll(async () => {
    service = await startTestService({ env: { MAX_BULK_EXPORT_CANDIDATES: String(MAX) } });
    token = await service.tokenFor({ role: 'RECRUITER' });
  });

  afterAll(async () => {
    await service?.stop();
  });

  const EXPORT_MANY = `mutation ($input: ExportCandidatesToHrisInput!) { exportCandidatesToHris(input: $input) {
    __typename ... on InvalidInput { problems { field message } } } }`;

  async function exportRows() {
    return {
      batches: await service.prisma.hrisExportBatch.count(),
      items: await service.prisma.hrisExportBatchItem.count(),
      attempts: await service.prisma.hrisExportAttempt.count(),
      exports: await service.prisma.hrisExport.count(),
    };
  }

  it('selection at the limit passes validation', async () => {
    const hires = await createHiredCandidates(service.prisma, { count: MAX, prefix: 'at-limit' });
    const { body } = await service.graphql(EXPORT_MANY, { input: { candidateIds: hires.map((hire) => hire.globalId), waitSeconds: 0 } }, token);
    // No HRIS is connected, so the request ends there; the size was accepted.
    expect(body.data.exportCandidatesToHris).toEqual({ __typename: 'HrisNotConnected' });
  });

  it('selection over MAX_BULK_EXPORT_CANDIDATES: InvalidInput', async () => {
    const hires = await createHiredCandidates(service.prisma, { count: MAX + 1, prefix: 'over-limit' });
    const before = await exportRows();
    const { body } = await service.graphql(EXPORT_MANY, { input: { candidateIds: hires.map((hire) => hire.globalId), waitSeconds: 0 } }, token);
    expect(body.errors).toBeUndefined();
    expect(body.data.exportCandidatesToHris).toEqual({
      __typename: 'InvalidInput',
      problems: [{ field: 'input.candidateIds', message: `lists ${MAX + 1} candidates; at most ${MAX} per bulk export. Split the selection.` }],
    });
    expect(await exportRows()).toEqual(before);
  });

  it('job with more hires than the limit: InvalidInput', async () => {
    // The seeded backend job has 5 hires, more than the limit of 3.
    const before = await exportRows();
    const { body } = await service.graphql(EXPORT_MANY, { input: { jobId: jobGlobalId('demo', 'backend'), waitSeconds: 0 } }, token);
    expect(body.data.exportCandidatesToHris.__typename).toBe('InvalidInput');
    expect(body.data.exportCandidatesToHris.problems).toHaveLength(1);
    expect(body.data.exportCandidatesToHris.problems[0].field).toBe('input.jobId');
    expect(body.data.exportCandidatesToHris.problems[0].message).toMatch(new RegExp(`hires; at most ${MAX} per bulk export`));
    expect(await exportRows()).toEqual(before);
  });
});

// Production logs at info by default; the error lines would only clutter the test output.
const PRODUCTION_ENV = { NODE_ENV: 'production', JWT_SECRET: TEST_JWT_SECRET, ENCRYPTION_KEY: TEST_ENCRYPTION_KEY, LOG_LEVEL: 'silent' };

describe('error masking in production', () => {
  let service: TestService;
  let token: string;

  beforeAll(async () => {
    service = await startTestService({ env: PRODUCTION_ENV });
    token = await service.tokenFor({ role: 'RECRUITER' });
  });

  afterAll(async () => {
    await service?.stop();
  });

  /** Words of the real failure that must not reach the client. */
  const INTERNAL_WORDS = ['Candidate_moved', 'relation', 'does not exist', 'prisma', 'Prisma', 'invocation', 'postgres', '.ts:', '    at '];

  it('resolver failing on a missing table: masked INTERNAL_SERVER_ERROR', async () => {
    // A table that is missing, as after a migration that did not run: the query fails in
    // the database with a message naming the table.
    await service.prisma.$executeRawUnsafe('ALTER TABLE "Candidate" RENAME TO "Candidate_moved"');
    let response: Response;
    try {
      response = await service.app.fetch('http://test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ viewer { role } candidates(first: 5) { totalCount edges { node { email } } } }' }),
      });
    } finally {
      await service.prisma.$executeRawUnsafe('ALTER TABLE "Candidate_moved" RENAME TO "Candidate"');
    }
    const text = await response.text();
    const body = JSON.parse(text) as { data: unknown; errors: { message: string; path: string[]; extensions: unknown }[] };
    expect(response.status).toBe(200);
    // Query.candidates is non-null, so its failure makes the whole data null.
    expect(body.data).toBeNull();
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]).toEqual({ message: 'Unexpected error.', path: ['candidates'], locations: [{ line: 1, column: 19 }], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    for (const word of INTERNAL_WORDS) expect(text).not.toContain(word);

    // The service works again once the table is back.
    const again = await service.graphql('{ candidates(first: 1) { totalCount } }', {}, token);
    expect(again.body.errors).toBeUndefined();
  });

  it('database stopped: masked 500 INTERNAL_SERVER_ERROR', async () => {
    const stopped = await startTestService({ env: PRODUCTION_ENV });
    const stoppedToken = await stopped.tokenFor({ role: 'RECRUITER' });
    await stopped.stop();
    try {
      const response = await stopped.app.fetch('http://test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: `Bearer ${stoppedToken}` },
        body: JSON.stringify({ query: '{ viewer { role } }' }),
      });
      const text = await response.text();
      expect(response.status).toBe(500);
      expect(JSON.parse(text)).toEqual({ errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      for (const word of INTERNAL_WORDS) expect(text).not.toContain(word);
    } finally {
      // The request opened a new pool on the stopped database; close it again.
      await stopped.prisma.$disconnect();
    }
  });
});
