import { personioManifest } from '../plugins/personio/manifest.ts';
import { createBenchDatabase, databaseLabel, measureEachDatabase, type BenchDatabase, type DatabaseKind } from './support/database.ts';
import { createHires } from './support/data.ts';
import { hiresNotExactlyOnce, runBulkExport, startExportEnvironment, type BatchResult } from './support/exports.ts';
import { unpacedPlugins } from './support/plugins.ts';
import { machineDescription, median, parseArguments, resultsComment, round, table, today, withMedian, writeSection, type FigureResult } from './support/report.ts';

// Bulk exports to a Personio sandbox without latency or rate limits, and with the client's
// pacing switched off: exports per second, CPU time and SQL statements per export.

const PLAN: Record<'full' | 'quick', readonly (readonly [size: number, runs: number])[]> = {
  full: [
    [50, 3],
    [200, 3],
    [500, 3],
  ],
  quick: [[50, 1]],
};

interface Run {
  database: DatabaseKind;
  size: number;
  result: BatchResult;
  statements: number;
  problems: string[];
}

async function measureRun(database: BenchDatabase, size: number, run: number): Promise<Run> {
  let recording = false;
  let statements = 0;
  const environment = await startExportEnvironment(
    database,
    { rateLimits: false, latencyMs: 0 },
    { plugins: unpacedPlugins, onStatement: () => recording && statements++ },
  );
  try {
    const hires = await createHires(environment.service.prisma, { count: size, prefix: `cost-${size}-${run}`, withCv: true });
    recording = true;
    // The mutation waits for the batch (up to 300 s), so no polling request adds to the cost.
    const result = await runBulkExport(environment, hires, { timeoutMs: 900_000, waitSeconds: 300, pollIntervalMs: 1_000 });
    recording = false;
    const problems: string[] = [];
    if (result.failed > 0 || result.succeeded !== size) problems.push(`${result.failed} of ${size} items failed (${JSON.stringify(result.totals)})`);
    if ((result.requests.acceptedByRoute['employees.create'] ?? 0) !== size) problems.push(`${result.requests.acceptedByRoute['employees.create'] ?? 0} employees created for ${size} hires`);
    const notExactlyOnce = await hiresNotExactlyOnce(environment.sandbox, hires);
    if (notExactlyOnce.length > 0) problems.push(`${notExactlyOnce.length} hires are not exactly one sandbox employee, first ${notExactlyOnce[0]}`);
    if (result.requests.rateLimited + result.requests.otherErrors > 0) problems.push(`${result.requests.rateLimited + result.requests.otherErrors} sandbox error responses`);
    console.log(
      `${databaseLabel(database.kind)} ${size} hires run ${run}: ${round(result.wallMs / 1000)} s, ${round(size / (result.wallMs / 1000))} exports/s, ${round(result.serviceCpuMs / size)} ms CPU and ${round(statements / size)} statements per export${problems.length > 0 ? `; PROBLEMS: ${problems.join('; ')}` : ''}`,
    );
    return { database: database.kind, size, result, statements, problems };
  } finally {
    recording = false;
    await environment.stop();
  }
}

async function main(): Promise<void> {
  const { quick, databases } = parseArguments();
  const plan = PLAN[quick ? 'quick' : 'full'];
  const machine = machineDescription();
  const { results: runs, skipped } = await measureEachDatabase(databases, async (kind) => {
    const database = await createBenchDatabase(kind);
    const measured: Run[] = [];
    try {
      for (const [size, count] of plan) {
        for (let run = 1; run <= count; run++) measured.push(await measureRun(database, size, run));
      }
    } finally {
      await database.close();
    }
    return measured;
  });

  const rows: (string | number)[][] = [];
  const results: FigureResult[] = [];
  for (const kind of databases) {
    for (const [size] of plan) {
      const group = runs.filter((run) => run.database === kind && run.size === size);
      if (group.length === 0) continue;
      const rates = group.map((run) => run.size / (run.result.wallMs / 1000));
      const cpu = group.map((run) => run.result.serviceCpuMs / run.size);
      const statements = group.map((run) => run.statements / run.size);
      rows.push([
        databaseLabel(kind),
        size,
        withMedian(group.map((run) => run.result.wallMs / 1000)),
        withMedian(rates),
        withMedian(cpu),
        withMedian(group.map((run) => run.result.sandboxCpuMs / run.size)),
        withMedian(statements),
        round(median(group.map((run) => run.result.requests.total / run.size)), 2),
        group.reduce((sum, run) => sum + run.result.failed, 0),
      ]);
      results.push({
        figure: `Export cost without limits, ${size} hires`,
        database: databaseLabel(kind),
        value: `${round(median(rates))} exports/s, ${round(median(cpu))} ms CPU and ${round(median(statements))} SQL statements per export`,
        target: 'reported, no target; no failure',
        met: group.every((run) => run.problems.length === 0) ? null : false,
      });
    }
  }
  const problems = runs.flatMap((run) => run.problems.map((problem) => `${databaseLabel(run.database)}, ${run.size} hires: ${problem}`));

  const markdown = `## Export cost without limits

Measured ${today()} by \`npm run bench -- export-cost\` (\`bench/export-cost.ts\`) on ${machine}.

**Method.** As in the previous section, but the sandbox has no rate limits and no latency, and the Personio client's clock is replaced by one whose sleep returns at once, which switches off its rate pacing (\`bench/support/plugins.ts\`). What remains is the service's own work per export: the GraphQL mutation, loading the hire, the ledger rows, building the payload, HTTP to the sandbox, and recording outcomes, with ${personioManifest.maxConcurrentExports} exports running at a time. One \`exportCandidatesToHris\` mutation exports N hires with one CV each and waits for the batch, so no polling request is counted. "CPU per export" is \`process.cpuUsage()\` of the benchmark process over the batch, divided by N: the service, Prisma and the pg driver, and on PGlite also the database itself, which runs in the same process. On PostgreSQL the database server's CPU time is not included. The sandbox runs in a child process; its CPU time is listed apart. "SQL statements per export" counts every statement the service's pg pool sent during the batch, divided by N. Exports per second are N divided by the time from the mutation to the batch's \`finishedAt\`. Each size runs ${plan[0]![1]} time${plan[0]![1] > 1 ? 's' : ''}.

${table(['Database', 'Hires', 'Wall (s)', 'Exports/s', 'Service CPU per export (ms)', 'Sandbox CPU per export (ms)', 'SQL statements per export', 'Personio requests per export', 'Failed items'], rows)}

${problems.length === 0 ? 'Every export of every run succeeded.' : `**Problems:**\n${problems.map((problem) => `- ${problem}`).join('\n')}`}
${skipped.map((line) => `\n${line}`).join('')}
${resultsComment(results)}`;
  console.log(`\n${markdown}`);
  if (!quick) await writeSection('export-cost', markdown);
  if (problems.length > 0) process.exitCode = 1;
}

await main();
