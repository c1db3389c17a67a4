import { createBenchDatabase, databaseLabel, measureEachDatabase, type DatabaseKind } from './support/database.ts';
import { createPipelineDataSet, DEMO_RECRUITER_EMAIL, PIPELINE_SIZES } from './support/data.ts';
import { machineDescription, median, parseArguments, resultsComment, round, table, today, writeSection, type FigureResult } from './support/report.ts';
import { startBenchService } from './support/service.ts';

// SQL statements per GraphQL request for the candidates list and a job pipeline at 10, 50 and
// 200 items, on PGlite and PostgreSQL. Target: the count does not grow with the item count.

const CANDIDATE_FIELDS = `id firstName lastName email phone
  applications { stageEnteredAt startDate job { title department hiringManagers { email } } stage { name kind } }
  documents { fileName kind sizeBytes }
  hrisExports { status employeeId employeeUrl exportedBy { email } }`;

const CANDIDATES_LIST = `query CandidatesList($first: Int!, $after: String, $jobId: ID!) {
  candidates(first: $first, after: $after, filter: { jobId: $jobId }) { totalCount pageInfo { endCursor } edges { node { ${CANDIDATE_FIELDS} } } }
}`;

const JOB_PIPELINE = `query JobPipeline($id: ID!, $first: Int!) {
  job(id: $id) { title hiringManagers { email } stages { name kind
    candidates(first: $first) { totalCount edges { application { stageEnteredAt startDate stage { kind } } node { ${CANDIDATE_FIELDS} } } } } }
}`;

/**
 * Nodes per page. A connection page contains at most 100 nodes (the default maxPageSize of
 * @pothos/plugin-relay, which caps `first` silently), so the list shows 200 items in two
 * requests, while the largest pipeline spreads its 200 applicants over six stages of at most 34.
 */
const PAGE_SIZE = 100;

type Query = 'candidates list' | 'job pipeline';

interface Measurement {
  database: DatabaseKind;
  query: Query;
  items: number;
  /** Requests needed for all items: 2 for the list of 200. */
  requests: number;
  /** Statements of each request, over all runs. */
  statements: number[];
  /** Time for all requests of one run, in ms. */
  durationsMs: number[];
  /** Statements of the last run's first request per table, such as `Candidate ×2`. */
  tables: string;
}

/** Names the tables a statement reads or writes, for the breakdown column. */
function tableOf(sql: string): string {
  const match = /(?:FROM|INTO|UPDATE)\s+"public"\."(\w+)"/i.exec(sql);
  return match?.[1] ?? sql.trim().split(/\s+/)[0]!.toUpperCase();
}

function countByTable(statements: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const sql of statements) counts.set(tableOf(sql), (counts.get(tableOf(sql)) ?? 0) + 1);
  return [...counts]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, count]) => `${name} ×${count}`)
    .join(', ');
}

async function measureDatabase(kind: DatabaseKind, runs: number): Promise<Measurement[]> {
  const recorded: string[] = [];
  let recording = false;
  const database = await createBenchDatabase(kind);
  const service = await startBenchService({ database, onStatement: (sql) => recording && recorded.push(sql) }).catch(async (error: unknown) => {
    await database.close();
    throw error;
  });
  const results: Measurement[] = [];
  try {
    const data = await createPipelineDataSet(service.prisma);
    const token = await service.tokenFor(DEMO_RECRUITER_EMAIL);

    /** Sends the requests of one case in order and returns the items it returned and the statements of each request. */
    async function runCase(query: Query, items: number): Promise<{ returned: number; statements: number[]; firstRequest: string[] }> {
      const statements: number[] = [];
      let firstRequest: string[] = [];
      let returned = 0;
      if (query === 'job pipeline') {
        recorded.length = 0;
        recording = true;
        const result = await service.graphql<any>(JOB_PIPELINE, { id: data.jobGlobalIds[items as keyof typeof data.jobGlobalIds], first: PAGE_SIZE }, token);
        recording = false;
        returned = result.job.stages.reduce((sum: number, stage: any) => sum + stage.candidates.edges.length, 0);
        return { returned, statements: [recorded.length], firstRequest: [...recorded] };
      }
      let after: string | null = null;
      while (returned < items) {
        recorded.length = 0;
        recording = true;
        const result: any = await service.graphql<any>(CANDIDATES_LIST, { first: Math.min(PAGE_SIZE, items - returned), after, jobId: data.jobGlobalIds[200] }, token);
        recording = false;
        statements.push(recorded.length);
        if (firstRequest.length === 0) firstRequest = [...recorded];
        returned += result.candidates.edges.length;
        after = result.candidates.pageInfo.endCursor;
        if (result.candidates.edges.length === 0) break;
      }
      return { returned, statements, firstRequest };
    }

    const cases = [...PIPELINE_SIZES.map((items) => ({ query: 'candidates list' as const, items })), ...PIPELINE_SIZES.map((items) => ({ query: 'job pipeline' as const, items }))];
    for (const testCase of cases) {
      // The first run warms Prisma's query cache and the JIT; it is not counted.
      await runCase(testCase.query, testCase.items);
      const measurement: Measurement = { database: kind, query: testCase.query, items: testCase.items, requests: 0, statements: [], durationsMs: [], tables: '' };
      for (let run = 0; run < runs; run++) {
        const started = performance.now();
        const outcome = await runCase(testCase.query, testCase.items);
        measurement.durationsMs.push(performance.now() - started);
        measurement.statements.push(...outcome.statements);
        measurement.requests = outcome.statements.length;
        measurement.tables = countByTable(outcome.firstRequest);
        if (outcome.returned !== testCase.items) throw new Error(`${testCase.query} returned ${outcome.returned} items, expected ${testCase.items}.`);
      }
      results.push(measurement);
      console.log(`${databaseLabel(kind)} ${testCase.query} ${testCase.items} items: ${measurement.statements.join(', ')} statements per request, ${measurement.durationsMs.map((ms) => round(ms)).join(', ')} ms`);
    }
  } finally {
    await service.stop();
    await database.close();
  }
  return results;
}

function verdicts(measurements: readonly Measurement[]): { lines: string[]; results: FigureResult[] } {
  const lines: string[] = [];
  const results: FigureResult[] = [];
  for (const database of new Set(measurements.map((entry) => entry.database))) {
    for (const query of ['candidates list', 'job pipeline'] as const) {
      const counts = measurements.filter((entry) => entry.database === database && entry.query === query).flatMap((entry) => entry.statements);
      if (counts.length === 0) continue;
      const constant = new Set(counts).size === 1;
      const value = constant ? `constant at ${counts[0]} statements per request` : `varies between ${Math.min(...counts)} and ${Math.max(...counts)} statements per request`;
      lines.push(`- ${databaseLabel(database)}, ${query}: ${value} (target ${constant ? 'met' : 'missed'}).`);
      results.push({ figure: `SQL statements per request, ${query} (10, 50, 200 items)`, database: databaseLabel(database), value, target: 'constant in the number of items', met: constant });
    }
  }
  return { lines, results };
}

async function main(): Promise<void> {
  const { quick, databases } = parseArguments();
  const runs = quick ? 1 : 3;
  const machine = machineDescription();
  const { results: measurements, skipped } = await measureEachDatabase(databases, (kind) => measureDatabase(kind, runs));

  const rows = measurements.map((entry) => [
    databaseLabel(entry.database),
    entry.query,
    entry.items,
    entry.requests,
    entry.statements.join(', '),
    round(median(entry.durationsMs)),
    entry.tables,
  ]);
  const { lines, results } = verdicts(measurements);
  const markdown = `## SQL statements per request

Measured ${today()} by \`npm run bench -- statements\` (\`bench/statements.ts\`) on ${machine}.

**Method.** The service runs in-process on a fresh, migrated database seeded with the demo data, plus three jobs with ${PIPELINE_SIZES.join(', ')} applicants spread over the six pipeline stages. Every candidate has one to three applications, a CV and an export record. The \`onStatement\` option of \`createPrismaClient\`, which wraps the pg pool's query function, counts every SQL statement a request sends, including the viewer lookup of authentication. Two requests by a recruiter are measured. The candidates list is \`candidates(first, after, filter: { jobId })\` over the ${Math.max(...PIPELINE_SIZES)} applicants of the largest job, reading ${PIPELINE_SIZES.join(', ')} items. A page holds at most ${PAGE_SIZE} nodes (the default \`maxPageSize\` of @pothos/plugin-relay), so ${Math.max(...PIPELINE_SIZES)} items take ${Math.ceil(Math.max(...PIPELINE_SIZES) / PAGE_SIZE)} requests, and the table lists the statements of each. The job pipeline is \`job(id) { stages { candidates(first: ${PAGE_SIZE}) } }\` for the jobs with ${PIPELINE_SIZES.join(', ')} applicants, in one request. Each node selects its applications with job, hiring managers and stage, its documents, and its export history (\`hrisExports\` with \`exportedBy\`). A warm-up precedes ${runs} counted run${runs > 1 ? 's' : ''}; the duration is the median time of all requests of one run through the app's fetch handler, without HTTP.

**Target:** the statement count per request stays the same from 10 to 200 items.

${table(['Database', 'Request', 'Items', 'Requests', `Statements per request (${runs} run${runs > 1 ? 's' : ''})`, 'Median ms', 'Statements by table (first request)'], rows)}

${lines.join('\n')}
${skipped.map((line) => `\n${line}`).join('')}
${resultsComment(results)}`;
  console.log(`\n${markdown}`);
  if (!quick) await writeSection('statements', markdown);
}

await main();
