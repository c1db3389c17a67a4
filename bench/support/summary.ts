import { readResults, round, table, today, writeSection, type SectionName } from './report.ts';

/** Titles of the sections in the run-time table of the summary. */
const SECTION_TITLES: Partial<Record<SectionName, string>> = {
  statements: 'SQL statements per request',
  'export-limits': "Bulk export under Personio's rate limits",
  'export-cost': 'Export cost without limits',
  'api-overhead': 'API overhead',
  'cold-start': 'Cold start',
  load: 'Load test (`npm run load-test`)',
};

/** Formats seconds as `45 s` below two minutes and as `3.5 min` above. */
export function formatDuration(seconds: number): string {
  return seconds < 120 ? `${round(seconds, 0)} s` : `${round(seconds / 60, 1)} min`;
}

function metLabel(met: boolean | null): string {
  if (met === null) return '–';
  return met ? 'yes' : '**no**';
}

/** Rebuilds the summary section of docs/benchmarks.md from the results stored in the other sections. */
export async function writeSummary(): Promise<void> {
  const recorded = await readResults();
  const figures = recorded.flatMap(({ record }) => record.figures.map((figure) => [figure.figure, figure.database, figure.value, figure.target, metLabel(figure.met)]));
  const sections = recorded.map(({ section, record }) => [SECTION_TITLES[section] ?? section, record.date, formatDuration(record.seconds)]);
  const benchSeconds = recorded.filter(({ section }) => section !== 'load').reduce((sum, { record }) => sum + record.seconds, 0);
  const markdown = `## Summary

Rebuilt ${today()} by \`npm run bench\` or \`npm run load-test\` (\`bench/support/summary.ts\`) from the results stored in the sections below; each section names its own date, machine and method. A "–" in the last column marks a figure without a pass or fail target.

${table(['Figure', 'Database', 'Value', 'Target', 'Target met'], figures)}

${table(['Section', 'Measured', 'Run time'], sections)}

The sections of \`npm run bench\` took ${formatDuration(benchSeconds)} together in their last runs; the load test is not part of it.`;
  await writeSection('summary', markdown);
}

