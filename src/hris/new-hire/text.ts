/** Text cleaning and fuzzy matching shared by the new-hire cleaners. */

/** Normalises to Unicode NFC, trims, and collapses every run of whitespace to one space. */
export function normaliseText(value: string): string {
  return value.normalize('NFC').replace(/\s+/gu, ' ').trim();
}

/** Returns the normalised, lower-cased form under which names are compared. */
export function comparisonKey(value: string): string {
  return normaliseText(value).toLowerCase();
}

/** Counts Unicode code points, so that "李娜" and "Zoë" count as two and three characters. */
export function countCharacters(value: string): number {
  return [...value].length;
}

/** Tests for C0 and C1 control characters, tab, newline and DEL included. */
export function containsControlCharacters(value: string): boolean {
  return /\p{Cc}/u.test(value);
}

/**
 * Computes the optimal string alignment distance between two strings, counted in code points:
 * the number of insertions, deletions, substitutions and swaps of two adjacent characters
 * that turn one into the other. This is Damerau–Levenshtein without edits to a swapped pair.
 */
export function editDistance(left: string, right: string): number {
  const a = [...left];
  const b = [...right];

  // distances[i][j] is the distance between the first i characters of a and the first j of b.
  // The first row and column count the insertions or deletions from an empty prefix.
  const distances: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row = new Array<number>(b.length + 1).fill(0);
    row[0] = i;
    distances.push(row);
  }
  const firstRow = distances[0] ?? [];
  for (let j = 0; j <= b.length; j++) firstRow[j] = j;

  const at = (i: number, j: number): number => distances[i]?.[j] ?? Number.POSITIVE_INFINITY;

  for (let i = 1; i <= a.length; i++) {
    const row = distances[i] ?? [];
    for (let j = 1; j <= b.length; j++) {
      const substitutionCost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + substitutionCost);
      const isSwap = i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1];
      if (isSwap) distance = Math.min(distance, at(i - 2, j - 2) + 1);
      row[j] = distance;
    }
  }

  return at(a.length, b.length);
}

/**
 * Returns the option closest to `value` by {@link editDistance} of their comparison keys, or null
 * when none is close enough. An option qualifies when its distance is at most 2 or at most 40 %
 * of the value's length, whichever is larger. The distance must also be less than the longer
 * key's length, so a complete replacement such as "HR" for "IT" is never suggested. Ties go to
 * the earlier option.
 */
export function closestMatch(value: string, options: string[]): string | null {
  const key = comparisonKey(value);
  const valueLength = countCharacters(key);
  const maxDistance = Math.max(2, 0.4 * valueLength);

  let best: { option: string; distance: number } | null = null;
  for (const option of options) {
    const optionKey = comparisonKey(option);
    const distance = editDistance(key, optionKey);
    const isCompleteReplacement = distance >= Math.max(valueLength, countCharacters(optionKey));
    if (distance > maxDistance || isCompleteReplacement) continue;
    if (best === null || distance < best.distance) best = { option, distance };
  }

  return best?.option ?? null;
}
