import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const REPORT_PATH = path.join(repositoryRoot, 'docs/benchmarks.md');

/**
 * Sections of docs/benchmarks.md in page order. Each benchmark rewrites only the text between
 * its own markers; `load` belongs to the load tests and is never written by bench/.
 */
export const SECTIONS = ['summary', 'statements', 'export-limits', 'export-cost', 'api-overhead', 'cold-start', 'load'] as const;
export type SectionName = Exclude<(typeof SECTIONS)[number], 'load'>;

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

/**
 * Replaces the text between a section's markers in docs/benchmarks.md, creating the page or
 * the markers when they are missing. A missing section is inserted before the next known
 * section that exists, so the page keeps its order; everything outside the markers is kept.
 */
export async function writeSection(name: SectionName, markdown: string): Promise<void> {
  let page: string;
  try {
    page = await readFile(REPORT_PATH, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    page = emptyPage();
  }
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

function packageVersion(name: string): string {
  try {
    const file = path.join(repositoryRoot, 'node_modules', name, 'package.json');
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** Describes the machine the numbers come from, read at run time. */
export function machineDescription(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? 'unknown CPU';
  const memoryGiB = (os.totalmem() / 1024 ** 3).toFixed(1);
  return `${cpus.length} cores (${model}), ${memoryGiB} GiB memory, ${os.type()} ${os.release()}, Node ${process.version}, PGlite ${packageVersion('@electric-sql/pglite')}`;
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
  /** Skips the slowest cases and runs each case once; see docs/benchmarks.md for what is skipped. */
  quick: boolean;
}

export function parseArguments(argv: readonly string[] = process.argv.slice(2)): BenchArguments {
  const unknown = argv.filter((argument) => argument !== '--quick');
  if (unknown.length > 0) {
    throw new Error(`Unknown argument ${unknown.join(' ')}: the benchmarks accept only --quick.`);
  }
  return { quick: argv.includes('--quick') };
}
