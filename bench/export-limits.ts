import { DEFAULT_RATE_LIMITS } from '../plugins/personio/sandbox/index.ts';
import { personioManifest } from '../plugins/personio/manifest.ts';
import { createBenchDatabase, databaseLabel, measureEachDatabase, type BenchDatabase, type DatabaseKind } from './support/database.ts';
import { createHires } from './support/data.ts';
import { hiresNotExactlyOnce, runBulkExport, startExportEnvironment, type BatchResult } from './support/exports.ts';
import { pacingFloor, rateLimitBound, type LowerBound } from './support/personio-limits.ts';
import { machineDescription, median, parseArguments, resultsComment, round, table, today, withMedian, writeSection, type FigureResult } from './support/report.ts';

// Bulk exports of 50, 200 and 500 hires to a Personio sandbox with Personio's documented rate
// limits and 50 ms latency per request, against the lower bound those limits impose.

const LATENCY_MS = 50;
const SPEED_TARGET = 0.9;

/** Hire counts and runs per database. 500 hires take about nine minutes, so they run once, on PGlite only. */
const PLAN: Record<'full' | 'quick', Record<DatabaseKind, readonly (readonly [size: number, runs: number])[]>> = {
  full: {
    embedded: [
      [50, 3],
      [200, 3],
      [500, 1],
    ],
    postgresql: [
      [50, 1],
      [200, 1],
    ],
  },
  quick: { embedded: [[50, 1]], postgresql: [[50, 1]] },
};

interface Run {
  database: DatabaseKind;
  size: number;
  result: BatchResult;
  bound: LowerBound;
  floor: { seconds: number; binding: string };
  /** Hire emails that the sandbox does not hold exactly once. */
  notExactlyOnce: string[];
  problems: string[];
}

async function measureRun(database: BenchDatabase, size: number, run: number): Promise<Run> {
  const environment = await startExportEnvironment(database, { latencyMs: LATENCY_MS });
  try {
    const hires = await createHires(environment.service.prisma, { count: size, prefix: `limits-${size}-${run}`, withCv: true });
    // The batch runs for minutes, so a poll per second costs little and bounds nothing: the wall
    // time comes from the batch's finishedAt.
    const result = await runBulkExport(environment, hires, { timeoutMs: size * 3_000 + 180_000, waitSeconds: 0, pollIntervalMs: 1_000 });
    const notExactlyOnce = await hiresNotExactlyOnce(environment.sandbox, hires);

    const problems: string[] = [];
    if (result.failed > 0 || result.succeeded !== size) problems.push(`${result.failed} of ${size} items failed (${JSON.stringify(result.totals)})`);
    if (notExactlyOnce.length > 0) problems.push(`${notExactlyOnce.length} hires are not exactly one sandbox employee, first ${notExactlyOnce[0]}`);
    const created = result.requests.acceptedByRoute['employees.create'] ?? 0;
    if (created !== size) problems.push(`${created} employees created for ${size} hires`);
    // Every hire has one CV, so fewer uploads mean a 429 or an error that was not retried.
    const uploads = result.requests.acceptedByRoute['documents.upload'] ?? 0;
    if (uploads !== size) problems.push(`${uploads} CVs uploaded for ${size} hires`);
    if (result.requests.otherErrors > 0) problems.push(`${result.requests.otherErrors} sandbox responses with an error status other than 429`);

    const outcome: Run = {
      database: database.kind,
      size,
      result,
      bound: rateLimitBound(result.requests, DEFAULT_RATE_LIMITS),
      floor: pacingFloor(result.requests),
      notExactlyOnce,
      problems,
    };
    console.log(
      `${databaseLabel(database.kind)} ${size} hires run ${run}: ${round(result.wallMs / 1000)} s, bound ${round(outcome.bound.seconds)} s (${outcome.bound.binding}), ${result.requests.rateLimited} × 429${problems.length > 0 ? `; PROBLEMS: ${problems.join('; ')}` : ''}`,
    );
    return outcome;
  } finally {
    await environment.stop();
  }
}

function speed(run: Run): number {
  return run.bound.seconds / (run.result.wallMs / 1000);
}

function classBreakdown(run: Run): string {
  return table(
    ['Endpoint class', 'Accepted requests', 'Allowed per minute', 'Lower bound (s)'],
    run.bound.classes.map((entry) => [entry.name, entry.requests, entry.perMinute, round(entry.seconds)]),
  );
}

async function main(): Promise<void> {
  const { quick, databases } = parseArguments();
  const plan = PLAN[quick ? 'quick' : 'full'];
  const machine = machineDescription();
  const { results: runs, skipped } = await measureEachDatabase(databases, async (kind) => {
    const database = await createBenchDatabase(kind);
    const measured: Run[] = [];
    try {
      for (const [size, count] of plan[kind]) {
        for (let run = 1; run <= count; run++) measured.push(await measureRun(database, size, run));
      }
    } finally {
      await database.close();
    }
    return measured;
  });

  const rows = runs.map((run) => [
    databaseLabel(run.database),
    run.size,
    round(run.result.wallMs / 1000),
    `${round(run.bound.seconds)} (${run.bound.binding})`,
    `${round(speed(run) * 100)} %`,
    `${round(run.floor.seconds)} (${run.floor.binding})`,
    run.result.requests.total,
    run.result.requests.rateLimited,
    run.result.failed,
    run.notExactlyOnce.length,
  ]);

  const results: FigureResult[] = [];
  const verdicts: string[] = [];
  for (const kind of databases) {
    for (const [size] of plan[kind]) {
      const group = runs.filter((run) => run.database === kind && run.size === size);
      if (group.length === 0) continue;
      const speeds = group.map(speed);
      const problems = group.flatMap((run) => run.problems);
      const met = median(speeds) >= SPEED_TARGET && problems.length === 0;
      const label = `${databaseLabel(kind)}, ${size} hires (${group.length} run${group.length > 1 ? 's' : ''})`;
      verdicts.push(
        `- ${label}: wall ${withMedian(group.map((run) => run.result.wallMs / 1000))} s, ${withMedian(speeds.map((value) => value * 100))} % of the bound's speed; ${
          problems.length === 0 ? 'no failure, no duplicate, no 429 left unretried' : `problems: ${problems.join('; ')}`
        }: target ${met ? 'met' : 'missed'}.`,
      );
      results.push({
        figure: `Bulk export of ${size} hires under Personio's limits`,
        database: databaseLabel(kind),
        value: `${round(median(group.map((run) => run.result.wallMs / 1000)))} s, ${round(median(speeds) * 100)} % of the bound's speed${group.length === 1 ? ' (1 run)' : ''}`,
        target: `≥ ${SPEED_TARGET * 100} %, no failure or duplicate`,
        met,
      });
    }
  }
  const largest = runs.reduce<Run | null>((best, run) => (best === null || run.size > best.size ? run : best), null);
  const limits = DEFAULT_RATE_LIMITS;
  const perHire = largest ? round(largest.result.requests.total / largest.size, 2) : 'n/a';

  const markdown = `## Bulk export under Personio's rate limits

Measured ${today()} by \`npm run bench -- export-limits\` (\`bench/export-limits.ts\`) on ${machine}.

**Method.** For every run a Personio sandbox (\`plugins/personio/sandbox\`) starts in a child process on 127.0.0.1. Its default rate limits are Personio's documented v1 limits: document uploads ${limits.documentsUpload.limit} per ${limits.documentsUpload.windowMs / 1000} s, \`GET /v1/company/employees\` ${limits.employeesList.limit} per ${limits.employeesList.windowMs / 1000} s in bursts of at most ${limits.employeesListBurst.limit} per ${limits.employeesListBurst.windowMs / 1000} s, \`POST /v1/auth\` ${limits.auth.limit} per ${limits.auth.windowMs / 1000} s, and ${limits.global.limit} v1 requests per ${limits.global.windowMs / 1000} s per IP address, each a sliding window, with \`Retry-After\` on 429. Every request waits ${LATENCY_MS} ms before the sandbox responds. A new service instance connects to it, in the benchmark process, so its Personio client starts with an empty token cache and full pacing buckets. N hires with one CV each (about 1.5 KB) are added to the database, and one \`exportCandidatesToHris\` mutation exports them, ${personioManifest.maxConcurrentExports} at a time (the Personio plugin's \`maxConcurrentExports\`). The wall time runs from sending the mutation to the batch's \`finishedAt\`. Afterwards the sandbox's request log and employee list are checked: every hire is exactly one employee, one employee create and one CV upload were accepted per hire, and no item failed. An export that met a 429 and did not retry it would fail or lack its upload, so these checks also prove that every 429 was retried.

**Lower bound.** For each endpoint class, the accepted requests of the run divided by the class's allowed rate; the bound is the largest of these, and "speed" is the bound divided by the wall time. Each export makes a few Personio requests: employee lookup by email, create, read-back, CV upload and supervisor lookup. In the largest run they averaged ${perHire} per hire, including the few per batch for the token, attributes and document categories. So uploads, at ${limits.documentsUpload.limit} per minute, bind. Because the windows slide, a client may send a full window at once, so a run can beat this bound slightly. The column "client pacing floor" is the least time that the plugin's own token buckets (\`plugins/personio/http/rate-limiter.ts\`) allow for the same requests. They refill below Personio's rates so that no 60-second window can exceed them, for example uploads at (60 − 5) per minute after a burst of 5.

**Target:** at least ${SPEED_TARGET * 100} % of the bound's speed, no failure, no duplicate employee, no 429 that was not retried. 500 hires take about nine minutes, so they run once, and on PGlite only; PostgreSQL runs each size once, because under these limits the database does not change the outcome.

${table(['Database', 'Hires', 'Wall (s)', 'Lower bound (s)', 'Speed vs bound', 'Client pacing floor (s)', 'Personio requests', '429 responses', 'Failed items', 'Duplicates or missing'], rows)}

${verdicts.join('\n')}
${largest ? `\nRequests by endpoint class in the run with ${largest.size} hires (${databaseLabel(largest.database)}):\n\n${classBreakdown(largest)}\n` : ''}${skipped.map((line) => `\n${line}`).join('')}
${resultsComment(results)}`;
  console.log(`\n${markdown}`);
  if (!quick) await writeSection('export-limits', markdown);
  if (runs.some((run) => run.problems.length > 0)) process.exitCode = 1;
}

await main();
