import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from '../plugins/personio/sandbox/index.ts';
import { CandidatesDocument, ConnectHrisDocument, ExportCandidateToHrisDocument } from '../src/client/generated.ts';
import { createBenchDatabase, databaseLabel, type BenchDatabase, type DatabaseKind } from '../bench/support/database.ts';
import { demoTokenFor, DEMO_ADMIN_EMAIL, DEMO_RECRUITER_EMAIL } from '../bench/support/data.ts';
import { hiresNotExactlyOnce } from '../bench/support/exports.ts';
import { graphqlBody, hasDataWithoutErrors, loadFailures, runGraphqlLoad, type LoadResult } from '../bench/support/load.ts';
import { machineDescription, median, resultsComment, round, table, today, writeSection, type FigureResult } from '../bench/support/report.ts';
import { startSandboxProcess, type SandboxProcess } from '../bench/support/sandbox-client.ts';
import { BENCH_JWT_SECRET } from '../bench/support/service.ts';
import { startServiceProcess, type ServiceProcess } from '../bench/support/service-client.ts';
import { writeSummary } from '../bench/support/summary.ts';

/**
 * Load test (`npm run load-test`): the candidate list and the export mutation under load for a
 * fixed time on 127.0.0.1, asserting that every request succeeds and that the service's memory
 * does not grow. Writes its figures into the load section of docs/benchmarks.md and exits
 * non-zero when a check fails. Not part of CI.
 *
 *   npm run load-test                                  30 s on PGlite
 *   npm run load-test -- --duration 120 --database postgresql
 */

const USAGE = 'Usage: npm run load-test -- [--duration SECONDS] [--warm-up SECONDS] [--database pglite|postgresql] [--no-write]';

/** Hires that the export stream cycles through; each is exported once during the warm-up. */
const HIRES = 10;
const LIST_CONNECTIONS = 8;
const EXPORT_CONNECTIONS = 4;
/**
 * Export requests per second. A re-export reads employees once (the supervisor lookup), and
 * the Personio client paces employee reads to Personio's 300 per minute (4.8 per second after
 * its burst), so a faster stream would only queue inside the client until requests time out.
 */
const EXPORT_RATE = 4;
const SAMPLE_INTERVAL_MS = 2_000;
/** Allowed growth from the first to the last third of the run: the larger of a share and a floor. */
const HEAP_GROWTH_LIMIT = { share: 0.05, bytes: 2 * 1024 ** 2 };
const RSS_GROWTH_LIMIT = { share: 0.1, bytes: 16 * 1024 ** 2 };
const SUCCESSFUL_EXPORTS = new Set(['CandidateExported', 'CandidatePartiallyExported', 'CandidateAlreadyExported']);

interface Options {
  durationSeconds: number;
  warmUpSeconds: number;
  database: DatabaseKind;
  write: boolean;
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '30' },
      'warm-up': { type: 'string', default: '10' },
      database: { type: 'string', default: 'pglite' },
      'no-write': { type: 'boolean', default: false },
    },
  });
  const durationSeconds = Number(values.duration);
  const warmUpSeconds = Number(values['warm-up']);
  if (!Number.isInteger(durationSeconds) || durationSeconds < 10 || durationSeconds > 3_600) throw new Error(`--duration must be a whole number of seconds from 10 to 3600, got ${values.duration}. ${USAGE}`);
  if (!Number.isInteger(warmUpSeconds) || warmUpSeconds < 1 || warmUpSeconds > 600) throw new Error(`--warm-up must be a whole number of seconds from 1 to 600, got ${values['warm-up']}. ${USAGE}`);
  const database = ({ pglite: 'embedded', postgresql: 'postgresql' } as const)[values.database as 'pglite' | 'postgresql'];
  if (!database) throw new Error(`--database must be pglite or postgresql, got ${values.database}. ${USAGE}`);
  return { durationSeconds, warmUpSeconds, database, write: !values['no-write'] };
}

async function postGraphql(url: string, token: string, body: string): Promise<any> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
  const parsed = (await response.json()) as { data?: any; errors?: unknown };
  if (response.status !== 200 || parsed.errors || !parsed.data) throw new Error(`POST ${url} returned HTTP ${response.status}: ${JSON.stringify(parsed).slice(0, 500)}`);
  return parsed.data;
}

function isSuccessfulExport(body: string): boolean {
  if (!hasDataWithoutErrors(body)) return false;
  const typename = (JSON.parse(body) as { data: { exportCandidateToHris?: { __typename?: string } } }).data.exportCandidateToHris?.__typename;
  return typename !== undefined && SUCCESSFUL_EXPORTS.has(typename);
}

interface MemorySample {
  atSeconds: number;
  heapUsed: number;
  rss: number;
}

interface Growth {
  firstThird: number;
  lastThird: number;
  growth: number;
  limit: number;
  /** Least-squares slope over all samples, in bytes per second. */
  slopePerSecond: number;
  passed: boolean;
}

function growthOf(samples: readonly MemorySample[], pick: (sample: MemorySample) => number, rule: { share: number; bytes: number }): Growth {
  const third = Math.max(1, Math.floor(samples.length / 3));
  const firstThird = median(samples.slice(0, third).map(pick));
  const lastThird = median(samples.slice(-third).map(pick));
  const meanTime = samples.reduce((sum, sample) => sum + sample.atSeconds, 0) / samples.length;
  const meanValue = samples.reduce((sum, sample) => sum + pick(sample), 0) / samples.length;
  const covariance = samples.reduce((sum, sample) => sum + (sample.atSeconds - meanTime) * (pick(sample) - meanValue), 0);
  const variance = samples.reduce((sum, sample) => sum + (sample.atSeconds - meanTime) ** 2, 0);
  const limit = Math.max(rule.bytes, rule.share * firstThird);
  return { firstThird, lastThird, growth: lastThird - firstThird, limit, slopePerSecond: variance === 0 ? 0 : covariance / variance, passed: lastThird - firstThird <= limit };
}

const mib = (bytes: number) => round(bytes / 1024 ** 2, 1);

async function main(): Promise<void> {
  const options = parseOptions();
  const machine = machineDescription();
  const started = performance.now();
  let sandbox: SandboxProcess | null = null;
  let service: ServiceProcess | null = null;
  let postgres: BenchDatabase | null = null;
  const dataDir = options.database === 'embedded' ? await mkdtemp(path.join(os.tmpdir(), 'hris-load-')) : null;
  try {
    if (options.database === 'postgresql') postgres = await createBenchDatabase('postgresql');
    sandbox = await startSandboxProcess({});
    service = await startServiceProcess({
      database: dataDir ? { kind: 'embedded', dataDir } : { kind: 'postgresql', url: postgres!.url },
      personioBaseUrl: sandbox.url,
      hires: HIRES,
    });
    const adminToken = await demoTokenFor(DEMO_ADMIN_EMAIL, BENCH_JWT_SECRET);
    const token = await demoTokenFor(DEMO_RECRUITER_EMAIL, BENCH_JWT_SECRET);
    const connected = await postGraphql(
      service.url,
      adminToken,
      graphqlBody(ConnectHrisDocument.toString(), { input: { personio: { clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET, appId: 'acme-gmbh' } } }),
    );
    if (connected.connectHris.__typename !== 'ConnectHrisSuccess') throw new Error(`connectHris returned ${connected.connectHris.__typename}.`);

    const exportBodies = service.hires.map((hire) => graphqlBody(ExportCandidateToHrisDocument.toString(), { input: { candidateId: hire.globalId } }));
    // The first export of each hire creates its employee; the load then re-exports them.
    for (const body of exportBodies) {
      const data = await postGraphql(service.url, token, body);
      if (!SUCCESSFUL_EXPORTS.has(data.exportCandidateToHris.__typename)) throw new Error(`The first export returned ${JSON.stringify(data.exportCandidateToHris).slice(0, 500)}`);
    }
    const listLoad = { url: service.url, token, bodies: [graphqlBody(CandidatesDocument.toString(), { first: 50 })], connections: LIST_CONNECTIONS };
    const exportLoad = { url: service.url, token, bodies: exportBodies, connections: EXPORT_CONNECTIONS, overallRate: EXPORT_RATE, verifyBody: isSuccessfulExport };

    console.log(`Warm-up: ${options.warmUpSeconds} s.`);
    const warmUp = await Promise.all([
      runGraphqlLoad({ ...listLoad, durationSeconds: options.warmUpSeconds }),
      runGraphqlLoad({ ...exportLoad, durationSeconds: options.warmUpSeconds }),
    ]);
    const warmUpFailures = warmUp.flatMap(loadFailures);
    if (warmUpFailures.length > 0) throw new Error(`The warm-up failed: ${warmUpFailures.join('; ')}`);

    console.log(`Load: ${options.durationSeconds} s.`);
    const samples: MemorySample[] = [];
    const loadStarted = performance.now();
    const sample = async () => {
      const memory = await service!.memory(true);
      samples.push({ atSeconds: (performance.now() - loadStarted) / 1000, heapUsed: memory.heapUsed, rss: memory.rss });
    };
    await sample();
    const sampler = setInterval(() => void sample().catch((error: unknown) => console.error(`A memory sample failed: ${String(error)}`)), SAMPLE_INTERVAL_MS);
    let list: LoadResult;
    let exports: LoadResult;
    try {
      [list, exports] = await Promise.all([
        runGraphqlLoad({ ...listLoad, durationSeconds: options.durationSeconds }),
        runGraphqlLoad({ ...exportLoad, durationSeconds: options.durationSeconds }),
      ]);
    } finally {
      clearInterval(sampler);
    }
    await sample();

    const heap = growthOf(samples, (entry) => entry.heapUsed, HEAP_GROWTH_LIMIT);
    const rss = growthOf(samples, (entry) => entry.rss, RSS_GROWTH_LIMIT);
    const failures = [...loadFailures(list).map((failure) => `candidate list: ${failure}`), ...loadFailures(exports).map((failure) => `export: ${failure}`)];
    if (!heap.passed) failures.push(`heapUsed grew by ${mib(heap.growth)} MiB, more than the ${mib(heap.limit)} MiB allowed`);
    if (!rss.passed) failures.push(`RSS grew by ${mib(rss.growth)} MiB, more than the ${mib(rss.limit)} MiB allowed`);
    const notExactlyOnce = await hiresNotExactlyOnce(sandbox, service.hires);
    if (notExactlyOnce.length > 0) failures.push(`${notExactlyOnce.length} hires are not exactly one sandbox employee, first ${notExactlyOnce[0]}`);

    const totalRequests = list.completed + exports.completed;
    const errorCount = [list, exports].reduce((sum, result) => sum + result.non2xx + result.errors + result.mismatches, 0);
    const streamRow = (name: string, result: LoadResult, connections: number, rate: string) => [
      name,
      connections,
      rate,
      result.completed,
      round(result.requestsPerSecond, 1),
      result.p50Ms,
      result.p99Ms,
      result.maxMs,
      result.non2xx + result.errors + result.mismatches,
    ];
    const memoryRow = (name: string, growth: Growth, rule: { share: number; bytes: number }) => [
      name,
      mib(growth.firstThird),
      mib(growth.lastThird),
      mib(growth.growth),
      `${mib(growth.limit)} (${rule.share * 100} % or ${mib(rule.bytes)} MiB)`,
      round((growth.slopePerSecond * options.durationSeconds) / 1024 / (totalRequests / 1000), 1),
      growth.passed ? 'yes' : '**no**',
    ];
    const results: FigureResult[] = [
      {
        figure: `Load test, ${options.durationSeconds} s: errors`,
        database: databaseLabel(options.database),
        value: `${errorCount} errors in ${totalRequests} requests (list ${round(list.requestsPerSecond, 0)} req/s, p99 ${list.p99Ms} ms; export ${round(exports.requestsPerSecond, 1)} req/s, p99 ${exports.p99Ms} ms)`,
        target: 'zero errors',
        met: errorCount === 0 && list.completed > 0 && exports.completed > 0 && notExactlyOnce.length === 0,
      },
      {
        figure: `Load test, ${options.durationSeconds} s: memory growth after warm-up`,
        database: databaseLabel(options.database),
        value: `heapUsed ${mib(heap.growth)} MiB, RSS ${mib(rss.growth)} MiB`,
        target: `heap ≤ ${mib(heap.limit)} MiB, RSS ≤ ${mib(rss.limit)} MiB`,
        met: heap.passed && rss.passed,
      },
    ];

    const markdown = `## Load test

Measured ${today()} by \`npm run load-test\` (\`scripts/load-test.ts\`, ${options.durationSeconds} s after a warm-up of ${options.warmUpSeconds} s) on ${machine}; database ${databaseLabel(options.database)}.

**Method.** The service runs in a child process as in the API overhead section (production mode, 127.0.0.1), connected to a Personio sandbox in another child process with Personio's documented rate limits and no added latency. ${HIRES} hires with a CV are added and each is exported once before the load starts. Two autocannon streams then run at the same time. One sends the typed client's \`Candidates\` query (\`candidates(first: 50)\`) on ${LIST_CONNECTIONS} connections as fast as the service responds. The other sends the \`ExportCandidateToHris\` mutation for the ${HIRES} hires in turn, on ${EXPORT_CONNECTIONS} connections at ${EXPORT_RATE} requests per second; these return "already exported" from the export ledger after a supervisor lookup in the sandbox. The export stream is capped because the Personio client paces employee reads to Personio's 300 per minute. A request counts as an error when its status is not 2xx, it times out (10 s) or fails to connect, or its body has GraphQL \`errors\` or, for the export, a union member other than CandidateExported, CandidatePartiallyExported or CandidateAlreadyExported.

**Memory criterion.** Every ${SAMPLE_INTERVAL_MS / 1000} s from the end of the warm-up to the end of the run (${samples.length} samples), the service process runs a full garbage collection (\`--expose-gc\`) and reports \`process.memoryUsage()\`. Growth is the median of the last third of the samples minus the median of the first third. The run passes when heapUsed grows by at most ${HEAP_GROWTH_LIMIT.share * 100} % or ${mib(HEAP_GROWTH_LIMIT.bytes)} MiB (whichever is larger) and RSS by at most ${RSS_GROWTH_LIMIT.share * 100} % or ${mib(RSS_GROWTH_LIMIT.bytes)} MiB. These limits allow for allocator noise and, on PGlite, for database buffers, but not for memory retained per request. The slope column is a least-squares fit over all samples, converted to KiB per 1000 requests, where a kilobyte retained per request would show as about 1000 KiB. Over a short run the noise of single samples dominates the slope, so it is for information and the thirds decide. A run of ${options.durationSeconds} s shows leaks of about a kilobyte per request or more; \`--duration\` runs longer to find smaller ones.

${table(['Stream', 'Connections', 'Rate', 'Requests', 'Requests/s', 'p50 ms', 'p99 ms', 'Max ms', 'Errors'], [
  streamRow('`candidates(first: 50)`', list, LIST_CONNECTIONS, 'unlimited'),
  streamRow('`exportCandidateToHris`', exports, EXPORT_CONNECTIONS, `${EXPORT_RATE}/s`),
])}

${table(['Memory', 'First third (MiB)', 'Last third (MiB)', 'Growth (MiB)', 'Allowed (MiB)', 'Slope (KiB per 1000 requests)', 'Passed'], [
  memoryRow('heapUsed after GC', heap, HEAP_GROWTH_LIMIT),
  memoryRow('RSS', rss, RSS_GROWTH_LIMIT),
])}

${failures.length === 0 ? 'Result: passed, with zero errors and no memory growth beyond the criterion.' : `Result: **failed**:\n${failures.map((failure) => `- ${failure}`).join('\n')}`}

${resultsComment(results)}`;
    console.log(`\n${markdown}`);
    if (options.write) {
      await writeSection('load', markdown);
      await writeSummary();
    }
    console.log(`\nThe load test took ${round((performance.now() - started) / 1000, 0)} s.`);
    if (failures.length > 0) process.exitCode = 1;
  } finally {
    await service?.stop();
    await sandbox?.stop();
    await postgres?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
