/**
 * Calendar dates (`YYYY-MM-DD`) are stored in PostgreSQL `date` columns, which Prisma returns
 * as a Date at UTC midnight. Formatting and parsing use UTC only, so the result never depends
 * on the server's time zone.
 */

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

export function formatCalendarDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Returns the date at UTC midnight, or null when the text is not a real calendar date (2025-02-30). */
export function parseCalendarDate(text: string): Date | null {
  const match = datePattern.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date;
}
