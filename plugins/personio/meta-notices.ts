import type { NewHireField } from '../../src/hris/index.ts';
import type { SentField } from './mapping.ts';

/**
 * Words by which a notice in a create or update response names a field, in English and German.
 * Personio documents no format for these notices, so this matching is a best effort: the read-back
 * of the employee remains the check of what was stored.
 */
const FIELD_TERMS: Partial<Record<NewHireField, readonly string[]>> = {
  firstName: ['first_name', 'first name', 'vorname'],
  lastName: ['last_name', 'last name', 'nachname'],
  preferredName: ['preferred_name', 'preferred name', 'rufname'],
  email: ['email', 'e-mail'],
  gender: ['gender', 'geschlecht'],
  position: ['position'],
  department: ['department', 'abteilung'],
  office: ['office', 'workplace', 'standort', 'büro'],
  subcompany: ['subcompany', 'sub-company', 'sub company', 'legal entity', 'subunternehmen', 'gesellschaft'],
  startDate: ['hire_date', 'hire date', 'eintrittsdatum'],
  weeklyHours: ['weekly_working_hours', 'weekly working hours', 'weekly hours', 'wochenstunden'],
  supervisor: ['supervisor', 'vorgesetzte'],
};

export interface NoticeAssignment {
  byField: Map<NewHireField, string>;
  /** Notices that name no sent field, or several. */
  unassigned: string[];
}

/**
 * Assigns each notice to the one sent field it names: by the field's key or label, and when that
 * is ambiguous or absent, by the value that was sent.
 */
export function assignNotices(notices: readonly string[], fields: readonly SentField[]): NoticeAssignment {
  const byField = new Map<NewHireField, string>();
  const unassigned: string[] = [];

  for (const notice of notices) {
    const field = fieldNamedBy(notice, fields);
    if (field === null) {
      unassigned.push(notice);
      continue;
    }
    const earlier = byField.get(field);
    byField.set(field, earlier === undefined ? notice : `${earlier} ${notice}`);
  }
  return { byField, unassigned };
}

function fieldNamedBy(notice: string, fields: readonly SentField[]): NewHireField | null {
  const text = notice.toLowerCase();
  const byTerm = fields.filter((field) => termsOf(field).some((term) => text.includes(term)));
  const byValue = fields.filter((field) => field.text.length >= 2 && text.includes(field.text.toLowerCase()));

  if (byTerm.length === 1) {
    return byTerm[0]?.field ?? null;
  }
  const candidates = byTerm.length > 1 ? byTerm.filter((field) => byValue.includes(field)) : byValue;
  return candidates.length === 1 ? (candidates[0]?.field ?? null) : null;
}

function termsOf(field: SentField): string[] {
  const terms = [...(FIELD_TERMS[field.field] ?? [])];
  if (field.custom) {
    terms.push(field.payloadKey.toLowerCase(), field.label.toLowerCase());
  }
  return terms;
}
