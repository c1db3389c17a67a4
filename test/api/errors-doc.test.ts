import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isUnionType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summaryTypeNames } from '../../src/graphql/exports.ts';
import { queryLimitCodes } from '../../src/graphql/limits.ts';
import { failureTypeNames } from '../../src/graphql/results.ts';
import { buildSchema } from '../../src/graphql/schema.ts';
import { startTestService, type TestService } from '../helpers/service.ts';

// docs/errors.md must list every `extensions.code` the API can return and every member of the
// schema's result unions; a code or member added without documentation fails here.

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Codes that graphql-yoga sets itself. Each has a request below that produces it, except
 * INTERNAL_SERVER_ERROR, which test/hardening/limits.test.ts produces with a failing database.
 */
const LIBRARY_CODES = ['BAD_REQUEST', 'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'OPERATION_RESOLUTION_FAILURE', 'REQUEST_ENTITY_TOO_LARGE', 'INTERNAL_SERVER_ERROR'] as const;

async function sourceFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'generated') files.push(...(await sourceFiles(full)));
    } else if (entry.name.endsWith('.ts')) {
      files.push(full);
    }
  }
  return files;
}

/** Collects every `code: 'UPPER_CASE'` literal in src/, and the limit codes that limits.ts keeps in a table. */
async function codesInSource(): Promise<Set<string>> {
  const codes = new Set<string>(Object.values(queryLimitCodes));
  for (const file of await sourceFiles(path.join(root, 'src'))) {
    const text = await readFile(file, 'utf8');
    for (const match of text.matchAll(/\bcode:\s*'([A-Z][A-Z_]+)'/g)) codes.add(match[1]!);
  }
  return codes;
}

/** Returns the codes in the first column of the "Error codes" table. */
function documentedCodes(doc: string): Set<string> {
  const section = doc.split('## Error codes')[1]?.split('\n## ')[0] ?? '';
  return new Set([...section.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((match) => match[1]!));
}

/** Rows of the typed results tables, as [member, outcome]. */
function documentedMembers(doc: string): [string, string][] {
  const section = doc.split('## Typed results')[1] ?? '';
  return [...section.matchAll(/^\| `(\w+)` \| (`[A-Z_]+`|—) \|/gm)].map((match) => [match[1]!, match[2]!.replaceAll('`', '')]);
}

describe('docs/errors.md', () => {
  let doc: string;
  let service: TestService;

  beforeAll(async () => {
    doc = await readFile(path.join(root, 'docs/errors.md'), 'utf8');
    service = await startTestService({ seed: false, env: { MAX_REQUEST_BODY_BYTES: '2048' } });
  });

  afterAll(async () => {
    await service?.stop();
  });

  it('lists every code in src/', async () => {
    const codes = await codesInSource();
    // The scan finds the codes it is meant to find.
    for (const known of ['UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'PAYLOAD_TOO_LARGE', 'LENGTH_REQUIRED', 'QUERY_TOO_DEEP']) expect(codes).toContain(known);
    const documented = documentedCodes(doc);
    for (const code of codes) expect(documented.has(code), `docs/errors.md does not list ${code}`).toBe(true);
  });

  it('lists every code graphql-yoga adds', () => {
    const documented = documentedCodes(doc);
    for (const code of LIBRARY_CODES) expect(documented.has(code), `docs/errors.md does not list ${code}`).toBe(true);
  });

  it('lists no code that nothing returns', async () => {
    const known = new Set([...(await codesInSource()), ...LIBRARY_CODES]);
    for (const code of documentedCodes(doc)) expect(known.has(code), `docs/errors.md lists ${code}, which nothing returns`).toBe(true);
  });

  const libraryRequests: { code: (typeof LIBRARY_CODES)[number]; status: number; init: RequestInit }[] = [
    { code: 'BAD_REQUEST', status: 400, init: { body: '{"query": ' } },
    { code: 'GRAPHQL_PARSE_FAILED', status: 400, init: { body: JSON.stringify({ query: '{ viewer {' }) } },
    { code: 'GRAPHQL_VALIDATION_FAILED', status: 400, init: { body: JSON.stringify({ query: '{ noSuchField }' }) } },
    { code: 'OPERATION_RESOLUTION_FAILURE', status: 400, init: { body: JSON.stringify({ query: 'query A { __typename }', operationName: 'B' }) } },
    {
      code: 'REQUEST_ENTITY_TOO_LARGE',
      status: 413,
      // A streamed body has no Content-Length, so the size is known only while it is read.
      init: {
        body: new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode(JSON.stringify({ query: `{ __typename } # ${'x'.repeat(4096)}` })));
            controller.close();
          },
        }),
        duplex: 'half',
      } as RequestInit,
    },
  ];

  for (const { code, status, init } of libraryRequests) {
    it(`${code} is what graphql-yoga returns`, async () => {
      const response = await service.app.fetch('http://test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        ...init,
      });
      expect(response.status).toBe(status);
      const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
      expect(body.errors[0]?.extensions.code).toBe(code);
    });
  }

  it('lists every member of every result union with its outcome', () => {
    const schema = buildSchema(service.services.registry);
    const unions = Object.values(schema.getTypeMap()).filter(isUnionType);
    expect(unions.map((union) => union.name).sort()).toEqual(['ConnectHrisResult', 'ExportCandidatesResult', 'ExportSummary']);

    const rows = documentedMembers(doc);
    for (const union of unions) {
      const section = doc.split(`### \`${union.name}\``)[1]?.split('\n### ')[0];
      expect(section, `docs/errors.md has no section for ${union.name}`).toBeDefined();
      for (const member of union.getTypes()) {
        expect(section, `docs/errors.md does not list ${member.name} under ${union.name}`).toMatch(new RegExp(`^\\| \`${member.name}\` \\|`, 'm'));
      }
    }

    // Each ExportSummary member shows the outcome label that batches and history store.
    const outcomes = new Map<string, string>([
      ...Object.entries(summaryTypeNames).map(([outcome, member]) => [member, outcome] as [string, string]),
      ...Object.entries(failureTypeNames).map(([kind, member]) => [member, `HRIS_${kind}`] as [string, string]),
    ]);
    const summarySection = doc.split('### `ExportSummary`')[1]?.split('\n### ')[0] ?? '';
    const summaryRows = documentedMembers(`## Typed results\n${summarySection}`);
    expect(summaryRows.length).toBe(outcomes.size);
    for (const [member, outcome] of summaryRows) expect(outcome, `outcome of ${member}`).toBe(outcomes.get(member));
    expect(rows.length).toBeGreaterThan(summaryRows.length);
  });
});
