// Cleaners for the job, the hired application and the HRIS reference values they point to.

import { formatCalendarDate } from '../../dates.ts';
import type { EmploymentType as AtsEmploymentType } from '../../generated/prisma/client.ts';
import type { EmploymentType, NamedValue } from '../plugin.ts';
import { accepted, type Cleaned, invalid, missingInAts, noMatchingValue } from './result.ts';
import { closestMatch, comparisonKey, countCharacters, normaliseText } from './text.ts';

const maxPositionLength = 255;
const maxWeeklyHours = 80;

/** Uses the title offered to the candidate, falling back to the job's title when none was recorded. */
export function cleanPosition(offeredPositionTitle: string | null, jobTitle: string): Cleaned<string> {
  const offered = normaliseText(offeredPositionTitle ?? '');
  const value = offered === '' ? normaliseText(jobTitle) : offered;
  if (value === '') return missingInAts("Neither the application's offered position title nor the job title is set.");

  if (countCharacters(value) > maxPositionLength) {
    return invalid(value, `Position is longer than ${maxPositionLength} characters.`);
  }
  return accepted(value);
}

/** Singular and plural name of a kind of HRIS reference value, as used in reasons. */
export interface ReferenceKind {
  singular: 'department' | 'office';
  plural: 'departments' | 'offices';
}

/**
 * Matches an ATS department or office against the HRIS's values, ignoring case, surrounding and
 * repeated whitespace, and Unicode normalisation form. The HRIS's value is sent with its own
 * spelling. When only case-insensitive matches exist and there are several, none is picked.
 */
export function matchReferenceValue(
  raw: string | null,
  options: NamedValue[],
  kind: ReferenceKind,
): Cleaned<NamedValue> {
  const value = normaliseText(raw ?? '');
  if (value === '') return missingInAts(`The job has no ${kind.singular}.`);

  const label = `${kind.singular.charAt(0).toUpperCase()}${kind.singular.slice(1)} "${value}"`;
  if (options.length === 0) {
    return noMatchingValue(value, `${label} cannot be matched because the HRIS has no ${kind.plural}.`, null);
  }

  const exact = options.find((option) => normaliseText(option.name) === value);
  if (exact !== undefined) return accepted(exact);

  const key = comparisonKey(value);
  const matches = options.filter((option) => comparisonKey(option.name) === key);
  const [onlyMatch] = matches;
  if (matches.length === 1 && onlyMatch !== undefined) return accepted(onlyMatch);
  if (matches.length > 1) {
    const names = matches.map((option) => `"${option.name}"`).join(', ');
    return noMatchingValue(
      value,
      `${label} matches several HRIS ${kind.plural} that differ only in case or spacing: ${names}.`,
      null,
    );
  }

  const suggestion = closestMatch(
    value,
    options.map((option) => option.name),
  );
  const hint = suggestion === null ? '' : ` Did you mean "${suggestion}"?`;
  return noMatchingValue(value, `${label} does not exist in the HRIS.${hint}`, suggestion);
}

const employmentTypes: Record<AtsEmploymentType, EmploymentType> = {
  FULL_TIME: 'FULL_TIME',
  PART_TIME: 'PART_TIME',
  CONTRACT: 'CONTRACT',
  INTERNSHIP: 'INTERNSHIP',
  TEMPORARY: 'TEMPORARY',
};

export function mapEmploymentType(value: AtsEmploymentType | null): Cleaned<EmploymentType> {
  if (value === null) return missingInAts('The job has no employment type.');
  return accepted(employmentTypes[value]);
}

/** Accepts hours per week above 0 and up to 80. `value` is the Prisma Decimal of `Job.weeklyHours`. */
export function cleanWeeklyHours(value: { toNumber(): number } | number | null): Cleaned<number> {
  if (value === null) return missingInAts('The job has no weekly hours.');

  const hours = typeof value === 'number' ? value : value.toNumber();
  if (!(hours > 0 && hours <= maxWeeklyHours)) {
    return invalid(
      String(hours),
      `Weekly hours must be more than 0 and at most ${maxWeeklyHours}, but the job has ${hours}.`,
    );
  }
  return accepted(hours);
}

/** Formats the first working day as `YYYY-MM-DD` in UTC, the form Prisma returns `date` columns in. */
export function cleanStartDate(date: Date | null): Cleaned<string> {
  if (date === null) return missingInAts('The hired application has no start date.');
  if (Number.isNaN(date.getTime())) return invalid(null, 'Start date is not a valid date.');
  return accepted(formatCalendarDate(date));
}

export function resolveSupervisor(
  supervisor: { employeeId: string; email: string } | null,
  hiringManagers: { email: string; name: string }[],
): Cleaned<{ employeeId: string; email: string }> {
  if (supervisor !== null) return accepted({ employeeId: supervisor.employeeId, email: supervisor.email });
  if (hiringManagers.length === 0) return missingInAts('The job has no hiring manager.');

  const emails = hiringManagers.map((manager) => manager.email).join(', ');
  const people = hiringManagers.map((manager) => `${manager.name} (${manager.email})`).join(', ');
  const reason =
    hiringManagers.length === 1
      ? `No HRIS employee has the email of the job's hiring manager ${people}.`
      : `No HRIS employee has the email of any of the job's hiring managers: ${people}.`;
  return noMatchingValue(emails, reason, null);
}
