import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CandidateDocument, CandidatesDocument } from '../src/client/generated.ts';
import { createBenchDatabase, databaseLabel, measureEachDatabase, type DatabaseKind } from './support/database.ts';
import { DEMO_SEED_FACTS } from '../src/db/seed-data.ts';
import { demoTokenFor, DEMO_RECRUITER_EMAIL, PIPELINE_SIZES } from './support/data.ts';
import { forkIpcChild } from './support/ipc-child.ts';
import { graphqlBody, loadFailures, runGraphqlLoad, type LoadResult } from './support/load.ts';
import { machineDescription, median, parseArguments, resultsComment, round, table, today, withMedian, writeSection, type FigureResult } from './support/report.ts';
import { BENCH_JWT_SECRET } from './support/service.ts';
import { startServiceProcess } from './support/service-client.ts';

// Requests per second and latency of `candidate(id)` and `candidates(first: 50)` against a bare
// graphql-yoga server that returns a constant, each in its own process on 127.0.0.1.

const bareEntry = path.join(path.dirname(fileURLToPath(import.meta.url)), 'support/bare-yoga.ts');
const CONNECTIONS = 10;
const WARM_UP_SECONDS = 3;

type Target = 'bare yoga' | 'candidate(id)' | 'candidates(first: 50)';
const TARGETS: readonly Target[] = ['bare yoga', 'candidate(id)', 'candidates(first: 50)'];

interface Run extends LoadResult {
  /** CPU time of the server process per completed request, in ms. */
  serverCpuMs: number;
  /** SQL statements per completed request; null for the bare server. */
  statements: number | null;
}

interface Measurement {
  database: DatabaseKind;
  target: Target;
  runs: Run[];
}

interface TargetLoad {
  url: string;
  bodies: string[];
  token?: string;
  cpuUsage(): Promise<NodeJS.CpuUsage>;
  statements?: () => Promise<number>;
}

const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;

/** Runs one measured load and reads the server's CPU time and statement count around it. */
async function measureRun(load: TargetLoad, seconds: number): Promise<Run> {
  const cpuBefore = await load.cpuUsage();
  const statementsBefore = (await load.statements?.()) ?? null;
  const result = await runGraphqlLoad({ ...load, connections: CONNECTIONS, durationSeconds: seconds });
  const cpuAfter = await load.cpuUsage();
  const statementsAfter = (await load.statements?.()) ?? null;
  const completed = Math.max(1, result.completed);
  return {
    ...result,
    serverCpuMs: (cpuMs(cpuAfter) - cpuMs(cpuBefore)) / completed,
    statements: statementsBefore === null || statementsAfter === null ? null : (statementsAfter - statementsBefore) / completed,
  };
}

async function measureDatabase(kind: DatabaseKind, runs: number, seconds: number): Promise<Measurement[]> {
  const dataDir = kind === 'embedded' ? await mkdtemp(path.join(os.tmpdir(), 'hris-bench-api-')) : null;
  const postgres = kind === 'postgresql' ? await createBenchDatabase('postgresql') : null;
  const cleanUp: (() => Promise<void>)[] = [];
  try {
    const service = await startServiceProcess({
      database: dataDir ? { kind: 'embedded', dataDir } : { kind: 'postgresql', url: postgres!.url },
      pipelineData: true,
    });
    cleanUp.push(() => service.stop());
    const bare = await forkIpcChild<string>(bareEntry, {}, { name: 'bare graphql-yoga' });
    cleanUp.push(() => bare.child.stop());

    const token = await demoTokenFor(DEMO_RECRUITER_EMAIL, BENCH_JWT_SECRET);
    const serviceCounters = { cpuUsage: () => service.cpuUsage(), statements: () => service.statements() };
    const loads: Record<Target, TargetLoad> = {
      'bare yoga': { url: bare.ready, bodies: [graphqlBody('{ hello }')], cpuUsage: () => bare.child.ask<NodeJS.CpuUsage>({}) },
      'candidate(id)': { url: service.url, bodies: [graphqlBody(CandidateDocument.toString(), { id: service.pipeline!.candidateGlobalId })], token, ...serviceCounters },
      'candidates(first: 50)': { url: service.url, bodies: [graphqlBody(CandidatesDocument.toString(), { first: 50 })], token, ...serviceCounters },
    };
    const measurements = TARGETS.map((target): Measurement => ({ database: kind, target, runs: [] }));

    for (const target of TARGETS) {
      const warmUp = await runGraphqlLoad({ ...loads[target], connections: CONNECTIONS, durationSeconds: WARM_UP_SECONDS });
      const failures = loadFailures(warmUp);
      if (failures.length > 0) throw new Error(`Warm-up of ${target} on ${databaseLabel(kind)} failed: ${failures.join('; ')}`);
    }
    // Targets take turns within each run, so a change in the machine's load affects all of them.
    for (let run = 0; run < runs; run++) {
      for (const measurement of measurements) {
        const result = await measureRun(loads[measurement.target], seconds);
        measurement.runs.push(result);
        console.log(
          `${databaseLabel(kind)} ${measurement.target} run ${run + 1}: ${round(result.requestsPerSecond)} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, ${round(result.serverCpuMs, 2)} ms server CPU per request`,
        );
      }
    }
    return measurements;
  } finally {
    for (const step of cleanUp.reverse()) await step();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    await postgres?.close();
  }
}

async function main(): Promise<void> {
  const { quick, databases } = parseArguments();
  const runs = quick ? 1 : 3;
  const seconds = quick ? 5 : 10;
  const machine = machineDescription();
  const { results: measurements, skipped } = await measureEachDatabase(databases, (kind) => measureDatabase(kind, runs, seconds));

  const rows: (string | number)[][] = [];
  const results: FigureResult[] = [];
  const failures: string[] = [];
  for (const kind of databases) {
    const bare = measurements.find((entry) => entry.database === kind && entry.target === 'bare yoga');
    if (!bare) continue;
    for (const measurement of measurements.filter((entry) => entry.database === kind)) {
      const rps = measurement.runs.map((run) => run.requestsPerSecond);
      // Each run's figure is divided by the bare server's figure of the same run.
      const throughputRatios = measurement.runs.map((run, index) => run.requestsPerSecond / bare.runs[index]!.requestsPerSecond);
      const latencyRatios = measurement.runs.map((run, index) => run.p50Ms / bare.runs[index]!.p50Ms);
      rows.push([
        databaseLabel(kind),
        measurement.target === 'bare yoga' ? 'bare graphql-yoga `{ hello }`' : `\`${measurement.target}\``,
        withMedian(rps, 0),
        withMedian(measurement.runs.map((run) => run.p50Ms), 0),
        withMedian(measurement.runs.map((run) => run.p99Ms), 0),
        measurement.target === 'bare yoga' ? '1' : round(median(throughputRatios), 3),
        measurement.target === 'bare yoga' ? '1' : round(median(latencyRatios), 1),
        withMedian(measurement.runs.map((run) => run.serverCpuMs), 2),
        measurement.runs[0]?.statements === null ? '–' : round(median(measurement.runs.map((run) => run.statements ?? Number.NaN)), 1),
      ]);
      for (const run of measurement.runs) failures.push(...loadFailures(run).map((failure) => `${databaseLabel(kind)} ${measurement.target}: ${failure}`));
      if (measurement.target !== 'bare yoga') {
        results.push({
          figure: `API throughput, \`${measurement.target}\``,
          database: databaseLabel(kind),
          value: `${round(median(rps), 0)} req/s, ${round(median(throughputRatios) * 100, 1)} % of bare yoga; p99 ${round(median(measurement.runs.map((run) => run.p99Ms)), 0)} ms; ${round(median(measurement.runs.map((run) => run.serverCpuMs)), 1)} ms server CPU per request`,
          target: 'reported, no target; zero errors',
          met: measurement.runs.every((run) => loadFailures(run).length === 0) ? null : false,
        });
      }
    }
  }

  const markdown = `## API overhead

Measured ${today()} by \`npm run bench -- api-overhead\` (\`bench/api-overhead.ts\`) on ${machine}.

**Method.** The service runs in a child process on 127.0.0.1 as \`npm start\` runs it: \`createService\` and \`listen\`, \`NODE_ENV=production\`, logs formatted at level info and written to /dev/null. Its database holds the demo data plus the benchmark jobs of the statements section (${DEMO_SEED_FACTS.counts.candidates + Math.max(...PIPELINE_SIZES)} candidates; the ${Math.max(...PIPELINE_SIZES)} added ones have one to three applications, a CV and an export record each). The baseline is a bare graphql-yoga server in a second child process that returns a constant for \`{ hello }\`, without authentication or database. autocannon runs in the benchmark process with ${CONNECTIONS} connections and sends the typed client's operations: \`Candidate\` (\`candidate(id)\` with applications, documents and export history, for a candidate with three applications) and \`Candidates\` (\`candidates(first: 50)\`, five scalar fields per node) with a recruiter's bearer token. Each target is warmed up for ${WARM_UP_SECONDS} s, then the three targets take turns for ${runs} run${runs > 1 ? 's' : ''} of ${seconds} s each. Requests per second are completed requests divided by the run's duration; latencies are autocannon's percentiles of successful responses. A response counts as failed unless it has status 2xx, \`data\` and no \`errors\`. The ratios divide each run's figure by the bare server's figure of the same run, and the table shows their median. "Server CPU per request" is the CPU time (\`process.cpuUsage()\`) of the server process during a run divided by its completed requests. It depends far less on what else runs on the machine than throughput does, and on PGlite it includes the database. "SQL statements per request" counts the statements the service's pg pool sent during a run, divided by its completed requests. On PGlite the database runs inside the service process; on PostgreSQL it is a separate server on the same machine. The machine has ${os.cpus().length} cores for the load generator, the server and the database together, so absolute numbers are lower than on a dedicated server; the ratio is the figure to compare.

${table(['Database', 'Request', `Requests/s (${runs} run${runs > 1 ? 's' : ''})`, 'p50 ms', 'p99 ms', 'Throughput vs bare (median)', 'p50 latency vs bare (median)', 'Server CPU per request (ms)', 'SQL statements per request'], rows)}

${failures.length === 0 ? 'Every request of every run succeeded.' : `**Failed requests:**\n${failures.map((failure) => `- ${failure}`).join('\n')}`}
${skipped.map((line) => `\n${line}`).join('')}
${resultsComment(results)}`;
  console.log(`\n${markdown}`);
  if (!quick) await writeSection('api-overhead', markdown);
  if (failures.length > 0) process.exitCode = 1;
}

await main();
