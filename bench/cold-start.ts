import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CandidatesDocument } from '../src/client/generated.ts';
import { createPrismaClient } from '../src/db/client.ts';
import { seedDemo } from '../src/db/seed.ts';
import { createBenchDatabase, databaseLabel, measureEachDatabase, type BenchDatabase, type DatabaseKind } from './support/database.ts';
import { demoTokenFor, DEMO_RECRUITER_EMAIL } from './support/data.ts';
import { freePort, startNpmStart, type NpmStart } from './support/npm-start.ts';
import { machineDescription, median, parseArguments, resultsComment, round, table, today, withMedian, writeSection, type FigureResult } from './support/report.ts';
import { BENCH_ENCRYPTION_KEY, BENCH_JWT_SECRET, UNREACHABLE_PERSONIO_URL } from './support/service.ts';

// Time from `npm start` to the first successful GraphQL query, on a new database and on an
// existing one.

const START_TIMEOUT_MS = 180_000;
const POLL_INTERVAL_MS = 20;

/** Log messages of the start sequence, in order, with the column name the table gives them. */
const PHASES: readonly { message: string; column: string }[] = [
  { message: 'Embedded database started', column: 'PGlite open' },
  { message: 'Database migrations applied', column: 'migrated' },
  { message: 'Demo data seeded', column: 'seeded' },
  { message: 'Server started', column: 'listening' },
];

type Case = 'new' | 'existing';

interface Start {
  database: DatabaseKind;
  state: Case;
  /** ms from spawning `npm start` to the first response with data and no errors. */
  firstQueryMs: number;
  /** ms at which each log message of PHASES appeared, or null when it did not. */
  phases: (number | null)[];
}

/**
 * Sends the query every POLL_INTERVAL_MS until a response has status 200, data and no errors.
 * Refused connections and 503 responses during start count as not ready yet.
 */
async function waitForFirstQuery(server: NpmStart, url: string, body: string, token: string | null): Promise<number> {
  const deadline = server.startedAt + START_TIMEOUT_MS;
  let lastProblem = 'no response yet';
  while (performance.now() < deadline) {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      const text = await response.text();
      const parsed = JSON.parse(text) as { data?: unknown; errors?: unknown };
      if (response.status === 200 && parsed.data && !parsed.errors) return performance.now() - server.startedAt;
      lastProblem = `HTTP ${response.status}: ${text.slice(0, 300)}`;
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
  throw new Error(`No successful query within ${START_TIMEOUT_MS / 1000} s; last problem: ${lastProblem}. Output:\n${server.lines.slice(-20).join('\n')}`);
}

async function measureStart(database: DatabaseKind, state: Case, env: Record<string, string>, authenticated: boolean): Promise<Start> {
  const port = await freePort();
  const token = authenticated ? await demoTokenFor(DEMO_RECRUITER_EMAIL, BENCH_JWT_SECRET) : null;
  // Without users (PostgreSQL is not seeded at start) only a query without a viewer can succeed.
  const body = JSON.stringify(authenticated ? { query: CandidatesDocument.toString(), variables: { first: 1 } } : { query: '{ __typename }' });
  const server = startNpmStart({
    ...env,
    HOST: '127.0.0.1',
    PORT: String(port),
    JWT_SECRET: BENCH_JWT_SECRET,
    ENCRYPTION_KEY: BENCH_ENCRYPTION_KEY,
    PERSONIO_BASE_URL: UNREACHABLE_PERSONIO_URL,
  });
  try {
    const firstQueryMs = await waitForFirstQuery(server, `http://127.0.0.1:${port}/graphql`, body, token);
    const phases = PHASES.map((phase) => server.messageTimes.get(phase.message) ?? null);
    console.log(`${databaseLabel(database)} ${state}: first query after ${round(firstQueryMs, 0)} ms (${PHASES.map((phase, index) => `${phase.column} ${phases[index] === null ? '-' : round(phases[index]!, 0)}`).join(', ')})`);
    return { database, state, firstQueryMs, phases };
  } finally {
    await server.stop();
  }
}

async function measureEmbedded(): Promise<Start[]> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'hris-bench-cold-'));
  try {
    const env = { DATA_DIR: dataDir };
    return [await measureStart('embedded', 'new', env, true), await measureStart('embedded', 'existing', env, true)];
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function measurePostgres(): Promise<Start[]> {
  // An empty database, as a new deployment gets it: the service applies the migrations.
  const fresh = await createBenchDatabase('postgresql', { migrate: false });
  let existing: BenchDatabase | null = null;
  try {
    const first = await measureStart('postgresql', 'new', { DATABASE_URL: fresh.url }, false);
    existing = await createBenchDatabase('postgresql');
    const prisma = createPrismaClient(existing.url);
    try {
      await seedDemo(prisma);
    } finally {
      await prisma.$disconnect();
    }
    return [first, await measureStart('postgresql', 'existing', { DATABASE_URL: existing.url }, true)];
  } finally {
    await fresh.close();
    await existing?.close();
  }
}

async function main(): Promise<void> {
  const { quick, databases } = parseArguments();
  const runs = quick ? 1 : 3;
  const machine = machineDescription();
  const { results: starts, skipped } = await measureEachDatabase(databases, async (kind) => {
    const measured: Start[] = [];
    for (let run = 0; run < runs; run++) measured.push(...(kind === 'embedded' ? await measureEmbedded() : await measurePostgres()));
    return measured;
  });

  const rows: (string | number)[][] = [];
  const results: FigureResult[] = [];
  for (const kind of databases) {
    for (const state of ['new', 'existing'] as const) {
      const group = starts.filter((start) => start.database === kind && start.state === state);
      if (group.length === 0) continue;
      const phaseMedians = PHASES.map((_, index) => {
        const times = group.map((start) => start.phases[index]).filter((time): time is number => time !== null);
        return times.length === 0 ? '-' : round(median(times) / 1000, 2);
      });
      rows.push([databaseLabel(kind), state, ...phaseMedians, withMedian(group.map((start) => start.firstQueryMs / 1000), 2)]);
      results.push({
        figure: `Cold start to first query, ${state} database`,
        database: databaseLabel(kind),
        value: `${round(median(group.map((start) => start.firstQueryMs)) / 1000, 2)} s`,
        target: 'reported, no target',
        met: null,
      });
    }
  }

  const markdown = `## Cold start

Measured ${today()} by \`npm run bench -- cold-start\` (\`bench/cold-start.ts\`) on ${machine}.

**Method.** Each run spawns \`npm start\` (which runs \`tsx src/main.ts\`) as a child process with a free random \`PORT\` on 127.0.0.1. It then sends a query every ${POLL_INTERVAL_MS} ms until one returns status 200 with data and no errors. The figure is the time from spawning to that response. It includes npm, tsx compiling the TypeScript sources on the fly, and Prisma loading its client. *PGlite, new*: a new temporary \`DATA_DIR\`, so the service creates the embedded database, applies the migrations and seeds the demo data. *PGlite, existing*: the same data folder started again after a clean stop (SIGTERM). *PostgreSQL, new*: an empty database, to which the service applies the migrations; there is no user yet, so the query is \`{ __typename }\` without a token. *PostgreSQL, existing*: a migrated database with the demo data. The PGlite and PostgreSQL queries other than the empty one are the typed client's \`Candidates\` with \`first: 1\` and a recruiter's token. The phase columns give the time at which the service logged each step, so they show where the time goes. ${runs} run${runs > 1 ? 's' : ''} per case; the phase columns are medians, in seconds.

${table(['Database', 'Database state', ...PHASES.map((phase) => `${phase.column} (s)`), `First successful query (s, ${runs} run${runs > 1 ? 's' : ''})`], rows)}
${skipped.map((line) => `\n${line}`).join('')}
${resultsComment(results)}`;
  console.log(`\n${markdown}`);
  if (!quick) await writeSection('cold-start', markdown);
}

await main();
