import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { table, type SectionName } from './support/report.ts';
import { formatDuration, writeSummary } from './support/summary.ts';

/**
 * Entry of `npm run bench`: runs the benchmark scripts one after another, each in a process
 * of its own with a time limit, then rebuilds the summary section of docs/benchmarks.md from
 * the results that every section stores on the page.
 *
 *   npm run bench                               every section
 *   npm run bench -- statements cold-start      only these sections
 *   npm run bench -- --quick                    one run per case, smallest sizes, page untouched
 *   npm run bench -- --database pglite          one database (pglite or postgresql)
 *   npm run bench -- summary                    only rebuild the summary from the page
 */

const benchDirectory = path.dirname(fileURLToPath(import.meta.url));
/** Set by Ctrl-C or SIGTERM: the running script is stopped and no further one starts. */
let interrupted = false;

/** Benchmark scripts in page order, with the time after which a script is stopped. */
const BENCHMARKS: readonly { section: SectionName; limitMinutes: number }[] = [
  { section: 'statements', limitMinutes: 10 },
  // About 28 minutes at Personio's rates, of which 500 hires take nine.
  { section: 'export-limits', limitMinutes: 60 },
  { section: 'export-cost', limitMinutes: 30 },
  { section: 'api-overhead', limitMinutes: 20 },
  { section: 'cold-start', limitMinutes: 20 },
];

interface Outcome {
  section: SectionName;
  seconds: number;
  /** null when the script finished with exit code 0. */
  failure: string | null;
}

function parseRunArguments(argv: readonly string[]): { sections: SectionName[]; passThrough: string[] } {
  const sections: SectionName[] = [];
  const passThrough: string[] = [];
  let summaryOnly = false;
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    if (argument.startsWith('--')) {
      passThrough.push(argument);
      if (argument === '--database' && argv[index + 1] !== undefined) passThrough.push(argv[++index]!);
      continue;
    }
    if (argument === 'summary') {
      summaryOnly = true;
      continue;
    }
    const known = BENCHMARKS.find((benchmark) => benchmark.section === argument);
    if (!known) throw new Error(`Unknown benchmark "${argument}". Choose from: ${BENCHMARKS.map((benchmark) => benchmark.section).join(', ')}, or summary.`);
    sections.push(known.section);
  }
  if (summaryOnly && sections.length > 0) throw new Error('"summary" rebuilds the summary without running benchmarks, so give it alone.');
  if (summaryOnly) return { sections: [], passThrough };
  return { sections: sections.length > 0 ? sections : BENCHMARKS.map((benchmark) => benchmark.section), passThrough };
}

/** Runs one script in its own process group, so a time-out stops its child processes too. */
function runScript(section: SectionName, limitMinutes: number, passThrough: readonly string[]): Promise<Outcome> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(benchDirectory, `${section}.ts`), ...passThrough], {
    stdio: 'inherit',
    detached: true,
  });
  const group = -child.pid!;
  // SIGTERM first, so a script can stop the servers it started in process groups of their own.
  const stopGroup = () => {
    signalGroup(group, 'SIGTERM');
    setTimeout(() => signalGroup(group, 'SIGKILL'), 10_000).unref();
  };
  // Ctrl-C reaches only the foreground process group, which the detached script is not part of.
  const forward = () => {
    interrupted = true;
    stopGroup();
  };
  process.once('SIGINT', forward);
  process.once('SIGTERM', forward);
  return new Promise((resolve) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      stopGroup();
    }, limitMinutes * 60_000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      process.removeListener('SIGINT', forward);
      process.removeListener('SIGTERM', forward);
      const seconds = (performance.now() - started) / 1000;
      let failure: string | null = null;
      if (timedOut) failure = `stopped after its limit of ${limitMinutes} minutes`;
      else if (code !== 0) failure = `exited with ${signal ? `signal ${signal}` : `code ${code}`}`;
      resolve({ section, seconds, failure });
    });
  });
}

function signalGroup(group: number, signal: NodeJS.Signals): void {
  try {
    process.kill(group, signal);
  } catch {
    // The group has already exited.
  }
}

async function main(): Promise<void> {
  const { sections, passThrough } = parseRunArguments(process.argv.slice(2));
  const started = performance.now();
  const outcomes: Outcome[] = [];
  for (const section of sections) {
    const { limitMinutes } = BENCHMARKS.find((benchmark) => benchmark.section === section)!;
    console.log(`\n=== ${section} (limit ${limitMinutes} min) ===`);
    const outcome = await runScript(section, limitMinutes, passThrough);
    outcomes.push(outcome);
    if (interrupted) break;
    console.log(`=== ${section}: ${outcome.failure ?? 'done'} after ${formatDuration(outcome.seconds)} ===`);
  }
  if (!passThrough.includes('--quick') && !interrupted) await writeSummary();
  if (outcomes.length === 0) {
    console.log('Summary rebuilt.');
    return;
  }

  console.log(`\n${table(['Benchmark', 'Result', 'Wall time'], outcomes.map((outcome) => [outcome.section, outcome.failure ?? 'done', formatDuration(outcome.seconds)]))}`);
  console.log(`\nTotal wall time: ${formatDuration((performance.now() - started) / 1000)}.`);
  if (outcomes.some((outcome) => outcome.failure !== null)) process.exitCode = 1;
}

await main();
