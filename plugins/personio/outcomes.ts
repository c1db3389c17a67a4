import type { FieldOutcome, FieldStatus } from '../../src/hris/index.ts';
import { hasAttribute, readValue, sameValue } from './employee-values.ts';
import type { FieldPlan, SentField } from './mapping.ts';
import type { NoticeAssignment } from './meta-notices.ts';
import type { EmployeeAttributes } from './schemas.ts';

/** Evidence after a write: the read-back employee (null when reading failed) and the response's notices. */
export interface WriteEvidence {
  readBack: EmployeeAttributes | null;
  readableAttributes: ReadonlySet<string>;
  notices: NoticeAssignment;
}

/**
 * Decides the outcome of a sent field. A notice naming the field means Personio ignored it. Otherwise
 * the read-back decides: an equal value is `confirmed` (SENT on create, UPDATED on update), a different
 * or empty one IGNORED_BY_HRIS, and an attribute the credential cannot read UNVERIFIED.
 */
export function writtenOutcome(field: SentField, evidence: WriteEvidence, confirmed: FieldStatus, previousValue?: string | null): FieldOutcome {
  const outcome = (status: FieldStatus, reason: string | null): FieldOutcome => {
    const result: FieldOutcome = { field: field.field, status, value: field.text, reason };
    if (previousValue !== undefined) {
      result.previousValue = previousValue;
    }
    return result;
  };

  const notice = evidence.notices.byField.get(field.field);
  if (notice !== undefined) {
    return outcome('IGNORED_BY_HRIS', `Personio ignored the value: ${notice}`);
  }

  const { readBack } = evidence;
  if (readBack === null) {
    return outcome('UNVERIFIED', withUnassigned('Personio accepted the request, but reading the employee back failed, so the stored value is not verified.', evidence));
  }

  if (!hasAttribute(readBack, field.readKey)) {
    if (evidence.readableAttributes.has(field.readKey)) {
      return outcome('IGNORED_BY_HRIS', withUnassigned(`Personio accepted the request but returned no ${field.label} afterwards.`, evidence));
    }
    return outcome(
      'UNVERIFIED',
      `The API credential cannot read ${field.label} (${field.readKey}), so the stored value is not verified. ` +
        `Add "${field.label}" to the readable employee attributes of the credential in Personio to verify it.`,
    );
  }

  const stored = readValue(field.kind, readBack[field.readKey]);
  if (sameValue(field.kind, stored, readValue(field.kind, field.payloadValue))) {
    return outcome(confirmed, null);
  }
  const storedText = stored === null ? 'no value' : `"${stored}"`;
  return outcome('IGNORED_BY_HRIS', withUnassigned(`Personio accepted the request but stored ${storedText} for ${field.label}.`, evidence));
}

/** Adds notices that name no field to a reason, because one of them may explain the difference. */
function withUnassigned(reason: string, evidence: WriteEvidence): string {
  if (evidence.notices.unassigned.length === 0) {
    return reason;
  }
  return `${reason} Personio's notices: ${evidence.notices.unassigned.join(' ')}`;
}

/** Outcomes of a create, one per field of the hire, in the hire's field order. */
export function createOutcomes(plans: readonly FieldPlan[], evidence: WriteEvidence): FieldOutcome[] {
  return plans.map((plan) => (plan.sent ? writtenOutcome(plan.target, evidence, 'SENT') : plan.outcome));
}

/** Decision for one sent field, from comparing it with the employee Personio stores before an update. */
export type UpdateDecision =
  | { action: 'skip'; outcome: FieldOutcome }
  | { action: 'send'; field: SentField; previousValue: string | null; verifiable: boolean };

const EMAIL_CHANGE_REASON =
  'Personio\'s v1 API cannot change an employee\'s email; change it in Personio if the new address is correct.';

/**
 * Compares a field with the current employee. Equal values are UNCHANGED; different ones are sent.
 * A field the credential cannot read is sent without a previous value and ends UNVERIFIED.
 * The email is never sent because Personio's v1 update ignores it.
 */
export function decideUpdate(field: SentField, current: EmployeeAttributes, readableAttributes: ReadonlySet<string>): UpdateDecision {
  const readable = hasAttribute(current, field.readKey) || readableAttributes.has(field.readKey);
  const previous = hasAttribute(current, field.readKey) ? readValue(field.kind, current[field.readKey]) : null;
  const unchanged = readable && sameValue(field.kind, previous, readValue(field.kind, field.payloadValue));

  if (field.field === 'email') {
    if (unchanged) {
      return { action: 'skip', outcome: { field: 'email', status: 'UNCHANGED', value: field.text, previousValue: previous, reason: null } };
    }
    const reason = readable ? EMAIL_CHANGE_REASON : `${EMAIL_CHANGE_REASON} The API credential also cannot read the email to compare it.`;
    return { action: 'skip', outcome: { field: 'email', status: 'NOT_SUPPORTED', value: field.text, previousValue: previous, reason } };
  }

  if (unchanged) {
    return { action: 'skip', outcome: { field: field.field, status: 'UNCHANGED', value: field.text, previousValue: previous, reason: null } };
  }
  return { action: 'send', field, previousValue: readable ? previous : null, verifiable: readable };
}

/** Outcome of a field that was sent in an update, judged against the read-back employee. */
export function updatedOutcome(decision: Extract<UpdateDecision, { action: 'send' }>, evidence: WriteEvidence): FieldOutcome {
  return writtenOutcome(decision.field, evidence, 'UPDATED', decision.verifiable ? decision.previousValue : undefined);
}
