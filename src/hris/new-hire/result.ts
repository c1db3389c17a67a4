import type { FieldOutcome } from '../plugin.ts';

/** Why a field is not sent: the parts of a {@link FieldOutcome} that the cleaner decides. */
export type FieldProblem = Pick<FieldOutcome, 'status' | 'value' | 'reason' | 'suggestion'>;

/** Result of cleaning one ATS value: the value to send, or the problem that keeps it out. */
export type Cleaned<T> = { ok: true; value: T } | { ok: false; problem: FieldProblem };

export function accepted<T>(value: T): Cleaned<T> {
  return { ok: true, value };
}

export function missingInAts(reason: string): Cleaned<never> {
  return { ok: false, problem: { status: 'MISSING_IN_ATS', value: null, reason } };
}

export function invalid(value: string | null, reason: string): Cleaned<never> {
  return { ok: false, problem: { status: 'INVALID', value, reason } };
}

export function noMatchingValue(value: string, reason: string, suggestion: string | null): Cleaned<never> {
  return { ok: false, problem: { status: 'NO_MATCHING_VALUE', value, reason, suggestion } };
}
