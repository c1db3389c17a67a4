/** Text output of `npm run demo`: lines, tables and a progress bar on stdout. */

// Wide characters take two terminal columns, combining marks none.
const WIDE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u{FF01}-\u{FF60}\u{FFE0}-\u{FFE6}]/u;
const ZERO_WIDTH = /[\p{M}\u200B-\u200F]/u;

/**
 * Returns the number of terminal columns that `text` takes.
 * NOTE: an approximation that covers CJK, Hangul and combining marks; emoji may be off by one.
 */
export function displayWidth(text: string): number {
  let width = 0;
  for (const character of text) {
    if (ZERO_WIDTH.test(character)) continue;
    width += WIDE.test(character) ? 2 : 1;
  }
  return width;
}

function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/** Splits text into lines of at most `width` columns, breaking at spaces where possible. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (displayWidth(candidate) <= width) {
      line = candidate;
      continue;
    }
    if (line !== '') lines.push(line);
    line = word;
    while (displayWidth(line) > width) {
      lines.push(line.slice(0, width));
      line = line.slice(width);
    }
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}

/** Terminal width, or 120 columns when stdout is not a terminal. */
function terminalWidth(): number {
  return process.stdout.isTTY ? Math.max(60, process.stdout.columns || 120) : 120;
}

/**
 * Renders rows under a header line, columns separated by two spaces and indented by two.
 * The last column wraps to fit the terminal, so long reasons stay readable.
 */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, column) => Math.max(displayWidth(header), ...rows.map((row) => displayWidth(row[column] ?? ''))));
  const leading = widths.slice(0, -1).reduce((sum, width) => sum + width + 2, 2);
  const lastWidth = Math.max(30, terminalWidth() - leading);
  widths[widths.length - 1] = Math.min(widths[widths.length - 1] ?? 0, lastWidth);

  const render = (cells: readonly string[]): string[] => {
    const last = wrap(cells[cells.length - 1] ?? '', lastWidth);
    const head = cells.slice(0, -1).map((cell, column) => padEnd(cell, widths[column] ?? 0));
    const blank = cells.slice(0, -1).map((_, column) => ' '.repeat(widths[column] ?? 0));
    return last.map((part, index) => `  ${[...(index === 0 ? head : blank), part].join('  ')}`.trimEnd());
  };
  const separator = widths.map((width) => '-'.repeat(width));
  return [...render(headers), `  ${separator.join('  ')}`, ...rows.flatMap(render)].join('\n');
}

export function print(text = ''): void {
  process.stdout.write(`${text}\n`);
}

export function printTable(headers: readonly string[], rows: readonly (readonly string[])[]): void {
  print(formatTable(headers, rows));
}

/**
 * Creates a progress bar that redraws one line on a terminal. Elsewhere, such as in a log
 * file or a test, it prints a line each time the count changes.
 */
export function createProgressBar(total: number, width = 30) {
  const interactive = Boolean(process.stdout.isTTY);
  let lastLine = '';

  function render(done: number, detail: string): string {
    const filled = total === 0 ? width : Math.round((Math.min(done, total) / total) * width);
    return `  [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${detail}`.trimEnd();
  }

  return {
    update(done: number, detail = ''): void {
      const line = render(done, detail);
      if (line === lastLine) return;
      lastLine = line;
      if (interactive) process.stdout.write(`\r${line}\u001b[K`);
      else print(line);
    },
    finish(): void {
      if (interactive && lastLine !== '') process.stdout.write('\n');
    },
  };
}
