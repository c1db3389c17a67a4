const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
      timeZoneName: "longOffset",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

interface LocalParts {
  date: string;
  time: string;
  offset: string;
}

function localParts(instantMs: number, timeZone: string): LocalParts {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(new Date(instantMs))
      .map((part) => [part.type, part.value]),
  );
  // longOffset yields "GMT+01:00", or plain "GMT" for a zero offset.
  const zoneName = parts["timeZoneName"] ?? "GMT";
  const offset = zoneName === "GMT" ? "+00:00" : zoneName.slice(3);
  return {
    date: `${parts["year"]}-${parts["month"]}-${parts["day"]}`,
    time: `${parts["hour"]}:${parts["minute"]}:${parts["second"]}`,
    offset,
  };
}

/** Formats an instant as Personio v1 does: local time with its UTC offset, e.g. `2017-05-23T09:49:03+02:00`. */
export function formatDateTime(instantMs: number, timeZone: string): string {
  const { date, time, offset } = localParts(instantMs, timeZone);
  return `${date}T${time}${offset}`;
}

/** Formats a YYYY-MM-DD date as local midnight with offset, the shape of `hire_date` values (`2014-11-09T00:00:00+01:00`). */
export function formatDateAsMidnight(date: string, timeZone: string): string {
  // The offset at noon UTC of that day is the day's offset everywhere except on DST switch nights.
  const { offset } = localParts(Date.parse(`${date}T12:00:00Z`), timeZone);
  return `${date}T00:00:00${offset}`;
}

/** Returns the calendar date of an instant in a time zone, as YYYY-MM-DD. */
export function localDate(instantMs: number, timeZone: string): string {
  return localParts(instantMs, timeZone).date;
}

/** Returns whether a string is a real calendar date in YYYY-MM-DD form. */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    return false;
  }
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value);
}
