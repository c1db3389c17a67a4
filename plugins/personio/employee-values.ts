import type { EmployeeAttributes } from './schemas.ts';

/**
 * Rule for reading and comparing a Personio attribute value. `text` compares exactly. `caseless`
 * (email, gender, list options) and `named` (department, office and subcompany objects) ignore case.
 * `date` compares the `YYYY-MM-DD` part, because reads return `hire_date` as a date-time. `number`
 * compares numerically, because `weekly_working_hours` is read as a string. `employee` compares the
 * id inside a `supervisor` object.
 */
export type ValueKind = 'text' | 'caseless' | 'named' | 'date' | 'number' | 'employee';

/** Returns the attribute's `value` when Personio wrapped it as `{label, value, type}`, else the raw entry. */
function unwrap(entry: unknown): unknown {
  if (entry !== null && typeof entry === 'object' && !Array.isArray(entry) && 'value' in entry) {
    return entry.value;
  }
  return entry;
}

function asRecord(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function scalarText(value: unknown): string | null {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? null : trimmed;
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  return null;
}

/** Reads a value for display and comparison. Returns null when Personio stores no value. */
export function readValue(kind: ValueKind, entry: unknown): string | null {
  const value = unwrap(entry);
  switch (kind) {
    case 'text':
    case 'caseless':
      return scalarText(value);
    case 'named': {
      const record = asRecord(value);
      if (record === null) {
        return scalarText(value);
      }
      return scalarText(asRecord(record.attributes)?.name) ?? scalarText(record.name);
    }
    case 'date': {
      const text = scalarText(value);
      return text !== null && /^\d{4}-\d{2}-\d{2}/.test(text) ? text.slice(0, 10) : text;
    }
    case 'number': {
      const text = scalarText(value);
      const number = text === null ? Number.NaN : Number(text);
      return Number.isFinite(number) ? String(number) : text;
    }
    case 'employee': {
      const record = asRecord(value);
      if (record === null) {
        return scalarText(value);
      }
      const attributes = asRecord(record.attributes);
      return scalarText(unwrap(attributes?.id)) ?? scalarText(record.id);
    }
  }
}

export function sameValue(kind: ValueKind, left: string | null, right: string | null): boolean {
  if (left === null || right === null) {
    return left === right;
  }
  if (kind === 'caseless' || kind === 'named') {
    return left.toLowerCase() === right.toLowerCase();
  }
  return left === right;
}

export function hasAttribute(attributes: EmployeeAttributes, key: string): boolean {
  return Object.hasOwn(attributes, key);
}

/** Reads the numeric employee id, which Personio returns as the `id` attribute. */
export function employeeIdOf(attributes: EmployeeAttributes): string | null {
  return readValue('text', attributes.id);
}
