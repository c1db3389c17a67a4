import { createBenchDatabase, databaseLabel, postgresUnavailableReason, type DatabaseKind } from './support/database.ts';
import { createPipelineDataSet, DEMO_RECRUITER_EMAIL, PIPELINE_SIZES } from './support/data.ts';
import { machineDescription, median, parseArguments, round, table, today, writeSection } from './support/report.ts';
import { startBenchService } from './support/service.ts';

// SQL statements per GraphQL request for the candidates list and a job pipeline at 10, 50 and
// 200 items, on PGlite and PostgreSQL. Target: the count does not grow with the item count.

const CANDIDATE_FIELDS = `id firstName lastName email phone
  applications { stageEnteredAt startDate job { title department hiringManagers { email } } stage { name kind } }
  documents { fileName kind sizeBytes }
  hrisExports { status employeeId employeeUrl exportedBy { email } }`;

const CANDIDATES_LIST = `query CandidatesList($first: Int!, $jobId: ID!) {
  candidates(first: $first, filter: { jobId: $jobId }) { totalCount edges { node { ${CANDIDATE_FIELDS} } } }
}`;

const JOB_PIPELINE = `query JobPipeline($id: ID!, $first: Int!) {
  job(id: $id) { title hiringManagers { email } stages { name kind
    candidates(first: $first) { totalCount edges { application { stageEnteredAt startDate stage { kind } } node { ${CANDIDATE_FIELDS} } } } } }
}`;

const RUNS = 3;

/**
 * Item counts per request. A connection page holds at most 100 nodes (the default maxPageSize of
 * @pothos/plugin-relay, which caps `first` silently), so the list stops at 100, while the largest
 * pipeline holds its 200 applicants in six stages of at most 34.
 */
const LIST_SIZES = [10, 50, 100] as const;

interface Measurement {
  database: DatabaseKind;
  query: 'candidates list' | 'job pipeline';
  items: number;
  statements: number[];
  durationsMs: number[];
  /** Statements of the last run per table, such as `Candidate ×2`. */
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
  return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([name, count]) => `${name} ×${count}`).join(', ');
}

async function measureDatabase(kind: DatabaseKind): Promise<Measurement[]> {
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

    const cases = [
      ...LIST_SIZES.map((items) => ({
        query: 'candidates list' as const,
        items,
        document: CANDIDATES_LIST,
        variables: { first: items, jobId: data.jobGlobalIds[200] },
      })),
      ...PIPELINE_SIZES.map((items) => ({
        query: 'job pipeline' as const,
        items,
        document: JOB_PIPELINE,
        variables: { id: data.jobGlobalIds[items], first: 100 },
      })),
    ];
    for (const testCase of cases) {
      // The first request warms Prisma's query cache and the JIT; it is not counted.
      await service.graphql(testCase.document, testCase.variables, token);
      const measurement: Measurement = { database: kind, query: testCase.query, items: testCase.items, statements: [], durationsMs: [], tables: '' };
      for (let run = 0; run < RUNS; run++) {
        recorded.length = 0;
        recording = true;
        const started = performance.now();
        const result = await service.graphql<any>(testCase.document, testCase.variables, token);
        measurement.durationsMs.push(performance.now() - started);
        recording = false;
        measurement.statements.push(recorded.length);
        measurement.tables = countByTable(recorded);
        const returned = testCase.query === 'candidates list'
          ? result.candidates.edges.length
          : result.job.stages.reduce((sum: number, stage: any) => sum + stage.candidates.edges.length, 0);
        if (returned !== testCase.items) throw new Error(`${testCase.query} returned ${returned} items, expected ${testCase.items}.`);
      }
      results.push(measurement);
      console.log(`${databaseLabel(kind)} ${testCase.query} ${testCase.items} items: ${measurement.statements.join(', ')} statements, ${measurement.durationsMs.map((ms) => round(ms)).join(', ')} ms`);
    }
  } finally {
    await service.stop();
    await database.close();
  }
  return results;
}

function constantVerdict(measurements: readonly Measurement[]): string[] {
  const verdicts: string[] = [];
  for (const database of new Set(measurements.map((entry) => entry.database))) {
    for (const query of ['candidates list', 'job pipeline'] as const) {
      const counts = measurements.filter((entry) => entry.database === database && entry.query === query).flatMap((entry) => entry.statements);
      const constant = new Set(counts).size === 1;
      verdicts.push(`- ${databaseLabel(database)}, ${query}: ${constant ? `constant at ${counts[0]} statements (target met)` : `varies between ${Math.min(...counts)} and ${Math.max(...counts)} statements (target missed)`}.`);
    }
  }
  return verdicts;
}

async function main(): Promise<void> {
  const { quick } = parseArguments();
  const measurements: Measurement[] = [];
  const skipped: string[] = [];
  measurements.push(...(await measureDatabase('embedded')));
  const unavailable = await postgresUnavailableReason();
  if (unavailable) skipped.push(`PostgreSQL was skipped: ${unavailable}`);
  else measurements.push(...(await measureDatabase('postgresql')));

  const rows = measurements.map((entry) => [
    databaseLabel(entry.database),
    entry.query,
    entry.items,
    entry.statements.join(', '),
    round(median(entry.durationsMs)),
    entry.tables,
  ]);
  const markdown = `## SQL statements per request

Measured ${today()} by \`npm run bench:statements\` (\`bench/statements.ts\`) on ${machineDescription()}.

**Method.** The service runs in-process on a fresh, migrated database seeded with the demo data, plus three jobs with 10, 50 and 200 applicants spread over the six pipeline stages. Every candidate has one to three applications, a CV and an export record. The Prisma client's \`onStatement\` hook counts every SQL statement a request sends, including the viewer lookup of authentication. Two requests by a recruiter are measured: the candidates list (\`candidates(first: N, filter: { jobId })\` over the 200 applicants of the largest job, N = ${LIST_SIZES.join(', ')}) and the pipeline of the jobs with ${PIPELINE_SIZES.join(', ')} applicants (\`job(id) { stages { candidates(first: 100) } }\`). A page holds at most 100 nodes, the default \`maxPageSize\` of @pothos/plugin-relay, so the list cannot show 200 items in one request. Each node selects its applications with job, hiring managers and stage, its documents, and its export history (\`hrisExports\` with \`exportedBy\`). A warm-up request precedes ${RUNS} counted runs; the duration is the median time of one request through the app's fetch handler, without HTTP.

**Target:** the statement count stays the same from 10 to 200 items.

${table(['Database', 'Request', 'Items', `Statements (${RUNS} runs)`, 'Median ms', 'Statements by table (last run)'], rows)}

${constantVerdict(measurements).join('\n')}
${skipped.map((line) => `\n${line}`).join('')}`;
  console.log(`\n${markdown}`);
  if (!quick) await writeSection('statements', markdown);
}

await main();
