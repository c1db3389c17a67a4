import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatabaseKind } from './database.ts';

export const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const REPORT_PATH = path.join(repositoryRoot, 'docs/benchmarks.md');

/**
 * Sections of docs/benchmarks.md in page order. Each script rewrites only the text between its
 * own markers: `summary` by bench/run.ts, `load` by scripts/load-test.ts, the others by the
 * bench/ script of the same name.
 */
export const SECTIONS = ['summary', 'statements', 'export-limits', 'export-cost', 'api-overhead', 'cold-start', 'load'] as const;
export type SectionName = (typeof SECTIONS)[number];

const PAGE_INTRO = `# Benchmarks

Measured numbers of the service, produced by \`npm run bench\` (scripts in \`bench/\`). Every
section below is rewritten by the script named in it; text between the HTML comment markers
is generated, so edit the scripts rather than the numbers.
`;

function markers(name: string): { start: string; end: string } {
  return { start: `<!-- ${name}:start -->`, end: `<!-- ${name}:end -->` };
}

/** Builds the page with empty sections, for the first run. */
function emptyPage(): string {
  const sections = SECTIONS.map((name) => {
    const { start, end } = markers(name);
    return `${start}\n${end}\n`;
  });
  return `${PAGE_INTRO}\n${sections.join('\n')}`;
}

async function readPage(): Promise<string> {
  try {
    return await readFile(REPORT_PATH, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return emptyPage();
  }
}

/**
 * Replaces the text between a section's markers in docs/benchmarks.md, creating the page or
 * the markers when they are missing. A missing section is inserted before the next known
 * section that exists, so the page keeps its order; everything outside the markers is kept.
 */
export async function writeSection(name: SectionName, markdown: string): Promise<void> {
  let page = await readPage();
  const { start, end } = markers(name);
  const body = `${start}\n${markdown.trim()}\n${end}`;
  const startIndex = page.indexOf(start);
  const endIndex = page.indexOf(end);
  if (startIndex >= 0 && endIndex > startIndex) {
    page = page.slice(0, startIndex) + body + page.slice(endIndex + end.length);
  } else {
    const later = SECTIONS.slice(SECTIONS.indexOf(name) + 1)
      .map((next) => page.indexOf(markers(next).start))
      .find((index) => index >= 0);
    page = later === undefined ? `${page.trimEnd()}\n\n${body}\n` : `${page.slice(0, later)}${body}\n\n${page.slice(later)}`;
  }
  await writeFile(REPORT_PATH, page);
}

/** One figure against its target, as the summary table shows it. */
export interface FigureResult {
  figure: string;
  database: string;
  /** The measured value, formatted with its unit. */
  value: string;
  target: string;
  /** null when the figure has no pass or fail target. */
  met: boolean | null;
}

const RESULTS_PREFIX = '<!-- results ';

/** Date, run time and figures that a section stores for the summary. */
export interface SectionResults {
  date: string;
  /** Run time of the script that wrote the section, in seconds. */
  seconds: number;
  figures: FigureResult[];
}

/**
 * Renders a section's figures, date and run time (this process's uptime) as an HTML comment
 * inside the section, so bench/run.ts can rebuild the summary from the page after any subset
 * of the benchmarks ran.
 */
export function resultsComment(figures: readonly FigureResult[]): string {
  const record: SectionResults = { date: today(), seconds: Math.round(process.uptime()), figures: [...figures] };
  // `--` must not appear inside an HTML comment; the JSON escape keeps the text parseable.
  return `${RESULTS_PREFIX}${JSON.stringify(record).replaceAll('--', '-\\u002d')} -->`;
}

/** Reads the results comments of every section on the page, in page order. */
export async function readResults(): Promise<{ section: SectionName; record: SectionResults }[]> {
  const page = await readPage();
  const found: { section: SectionName; record: SectionResults }[] = [];
  for (const section of SECTIONS) {
    const { start, end } = markers(section);
    const startIndex = page.indexOf(start);
    const endIndex = page.indexOf(end);
    if (startIndex < 0 || endIndex < startIndex) continue;
    const text = page.slice(startIndex, endIndex);
    const commentStart = text.indexOf(RESULTS_PREFIX);
    if (commentStart < 0) continue;
    const commentEnd = text.indexOf(' -->', commentStart);
    found.push({ section, record: JSON.parse(text.slice(commentStart + RESULTS_PREFIX.length, commentEnd)) as SectionResults });
  }
  return found;
}

function packageVersion(name: string): string {
  try {
    const file = path.join(repositoryRoot, 'node_modules', name, 'package.json');
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/**
 * Describes the machine the numbers come from, read at run time. The load average shows how
 * busy the machine was with other work when the measurement started.
 */
export function machineDescription(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? 'unknown CPU';
  const memoryGiB = (os.totalmem() / 1024 ** 3).toFixed(1);
  const load = os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(', ');
  return `${cpus.length} cores (${model}), ${memoryGiB} GiB memory, ${os.type()} ${os.release()}, Node ${process.version}, PGlite ${packageVersion('@electric-sql/pglite')}; load average ${load} (1, 5, 15 min) at the start`;
}

/** Returns the median; for an even count, the mean of the middle two. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Formats a number with at most `digits` decimals and no trailing zeros. */
export function round(value: number, digits = 1): string {
  if (!Number.isFinite(value)) return 'n/a';
  return String(Number(value.toFixed(digits)));
}

/** Formats raw values and their median, such as `12.1, 13, 12.4 (median 12.4)`. */
export function withMedian(values: readonly number[], digits = 1): string {
  const raw = values.map((value) => round(value, digits)).join(', ');
  return values.length > 1 ? `${raw} (median ${round(median(values), digits)})` : raw;
}

/** Renders a Markdown table. */
export function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const line = (cells: readonly (string | number)[]) => `| ${cells.map(String).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Today's date as YYYY-MM-DD, for "measured on" lines. */
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export interface BenchArguments {
  /** Runs each case once, with only the smallest sizes, and leaves the page unchanged: a check that the scripts work. */
  quick: boolean;
  /** Databases to measure on; both unless `--database` names one. */
  databases: DatabaseKind[];
}

const DATABASE_NAMES: Record<string, DatabaseKind> = { pglite: 'embedded', embedded: 'embedded', postgresql: 'postgresql', postgres: 'postgresql' };

/** Parses `--quick` and `--database pglite|postgresql` of a benchmark script. */
export function parseArguments(argv: readonly string[] = process.argv.slice(2)): BenchArguments {
  const result: BenchArguments = { quick: false, databases: [] };
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    if (argument === '--quick') {
      result.quick = true;
    } else if (argument === '--database' || argument.startsWith('--database=')) {
      const value = argument.includes('=') ? argument.slice('--database='.length) : argv[++index];
      const kind = value === undefined ? undefined : DATABASE_NAMES[value.toLowerCase()];
      if (!kind) throw new Error(`Invalid --database ${value ?? '(missing)'}: use pglite or postgresql.`);
      if (!result.databases.includes(kind)) result.databases.push(kind);
    } else {
      throw new Error(`Unknown argument ${argument}: the benchmarks accept --quick and --database pglite|postgresql.`);
    }
  }
  if (result.databases.length === 0) result.databases = ['embedded', 'postgresql'];
  return result;
}
