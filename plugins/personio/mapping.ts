import type { FieldOutcome, NewHire, NewHireField, PostalAddress, ReferenceData } from '../../src/hris/index.ts';
import { closestOption, findCustomAttribute, matchOption, type CustomMappedField } from './custom-attributes.ts';
import type { ValueKind } from './employee-values.ts';

/** A neutral field that goes into the Personio `employee` object. */
export interface SentField {
  field: NewHireField;
  /** Value shown in the outcome. */
  text: string;
  /** Key in the `employee` object, or in `custom_attributes` when `custom` is true. */
  payloadKey: string;
  payloadValue: string | number;
  custom: boolean;
  /** Attribute key on a read employee (`supervisor` for `supervisor_id`). */
  readKey: string;
  /** Human label of the attribute in Personio, for reasons. */
  label: string;
  kind: ValueKind;
}

export type FieldPlan = { sent: true; target: SentField } | { sent: false; outcome: FieldOutcome };

interface StandardTarget {
  payloadKey: string;
  readKey: string;
  label: string;
  kind: ValueKind;
}

/** Neutral fields with a standard Personio v1 attribute, in the order outcomes are reported. */
const STANDARD_TARGETS: Partial<Record<NewHireField, StandardTarget>> = {
  firstName: { payloadKey: 'first_name', readKey: 'first_name', label: 'First name', kind: 'text' },
  lastName: { payloadKey: 'last_name', readKey: 'last_name', label: 'Last name', kind: 'text' },
  email: { payloadKey: 'email', readKey: 'email', label: 'Email', kind: 'caseless' },
  preferredName: { payloadKey: 'preferred_name', readKey: 'preferred_name', label: 'Preferred name', kind: 'text' },
  gender: { payloadKey: 'gender', readKey: 'gender', label: 'Gender', kind: 'caseless' },
  position: { payloadKey: 'position', readKey: 'position', label: 'Position', kind: 'text' },
  department: { payloadKey: 'department', readKey: 'department', label: 'Department', kind: 'named' },
  office: { payloadKey: 'office', readKey: 'office', label: 'Office', kind: 'named' },
  subcompany: { payloadKey: 'subcompany', readKey: 'subcompany', label: 'Subcompany', kind: 'named' },
  startDate: { payloadKey: 'hire_date', readKey: 'hire_date', label: 'Hire date', kind: 'date' },
  weeklyHours: { payloadKey: 'weekly_working_hours', readKey: 'weekly_working_hours', label: 'Weekly hours', kind: 'number' },
  supervisor: { payloadKey: 'supervisor_id', readKey: 'supervisor', label: 'Supervisor', kind: 'employee' },
};

const EMPLOYMENT_TYPE_REASON =
  'Personio\'s v1 employee create and update endpoints have no writable employment type; ' +
  'employment_type (internal or external) can only be read. Set it in Personio.';

/** Plans every field present in the hire: where it goes in Personio, or why it is not sent. */
export function planFields(hire: NewHire, reference: ReferenceData): FieldPlan[] {
  const plans: FieldPlan[] = [];
  for (const field of Object.keys(hire) as NewHireField[]) {
    if (hire[field] === undefined) {
      continue;
    }
    plans.push(planField(field, hire, reference));
  }
  return plans;
}

function planField(field: NewHireField, hire: NewHire, reference: ReferenceData): FieldPlan {
  switch (field) {
    case 'firstName':
    case 'lastName':
    case 'email':
    case 'preferredName':
    case 'position':
      return standard(field, hire[field] ?? '');
    case 'gender':
      return standard(field, (hire.gender ?? '').toLowerCase());
    case 'department':
    case 'office':
    case 'subcompany': {
      const name = hire[field]?.name ?? '';
      return standard(field, name);
    }
    case 'startDate':
      return standard(field, hire.startDate ?? '');
    case 'weeklyHours':
      return standard(field, hire.weeklyHours ?? 0, String(hire.weeklyHours));
    case 'supervisor':
      return planSupervisor(hire);
    case 'employmentType':
      return notSent(field, 'NOT_SUPPORTED', hire.employmentType ?? null, EMPLOYMENT_TYPE_REASON);
    case 'phone':
    case 'dateOfBirth':
    case 'nationality':
      return planCustom(field, hire[field] ?? '', reference);
    case 'address':
      return planAddress(hire.address, reference);
  }
}

function standard(field: NewHireField, payloadValue: string | number, text = String(payloadValue)): FieldPlan {
  const target = STANDARD_TARGETS[field];
  if (target === undefined) {
    throw new Error(`No standard Personio attribute is defined for ${field}.`);
  }
  return { sent: true, target: { field, text, payloadValue, custom: false, ...target } };
}

function notSent(field: NewHireField, status: FieldOutcome['status'], value: string | null, reason: string | null, suggestion?: string | null): FieldPlan {
  const outcome: FieldOutcome = { field, status, value, reason };
  if (suggestion !== undefined) {
    outcome.suggestion = suggestion;
  }
  return { sent: false, outcome };
}

function planSupervisor(hire: NewHire): FieldPlan {
  const employeeId = hire.supervisor?.employeeId ?? '';
  if (!/^\d+$/.test(employeeId)) {
    return notSent('supervisor', 'INVALID', employeeId, `Personio employee ids are numbers; "${employeeId}" is not one.`);
  }
  return standard('supervisor', Number(employeeId), employeeId);
}

function planCustom(field: CustomMappedField, value: string, reference: ReferenceData): FieldPlan {
  const match = findCustomAttribute(field, reference.customAttributes);
  if (!match.found) {
    return notSent(field, 'NOT_SUPPORTED', value, match.reason);
  }

  const { attribute } = match;
  let payloadValue = value;
  if (attribute.options.length > 0) {
    const option = matchOption(value, attribute.options);
    if (option === null) {
      return notSent(
        field,
        'NO_MATCHING_VALUE',
        value,
        `"${value}" is not an option of the Personio attribute "${attribute.label}".`,
        closestOption(value, attribute.options),
      );
    }
    payloadValue = option;
  }

  let kind: ValueKind = 'text';
  if (attribute.type.toLowerCase() === 'date') {
    kind = 'date';
  } else if (attribute.options.length > 0) {
    kind = 'caseless';
  }
  return {
    sent: true,
    target: {
      field,
      text: payloadValue,
      payloadKey: attribute.key,
      payloadValue,
      custom: true,
      readKey: attribute.key,
      label: attribute.label,
      kind,
    },
  };
}

function planAddress(address: PostalAddress | undefined, reference: ReferenceData): FieldPlan {
  const text = formatAddress(address);
  if (text === null) {
    return notSent('address', 'MISSING_IN_ATS', null, 'The address has no street, postal code, city or country.');
  }
  return planCustom('address', text, reference);
}

/** Formats an address on one line: "street, postal code city, country", skipping empty parts. */
export function formatAddress(address: PostalAddress | undefined): string | null {
  if (address === undefined) {
    return null;
  }
  const locality = [address.postalCode, address.city].filter((part) => part !== null && part.trim() !== '').join(' ');
  const parts = [address.street, locality, address.country].filter((part): part is string => part !== null && part.trim() !== '');
  return parts.length === 0 ? null : parts.join(', ');
}

/** Builds the `employee` object of `POST` or `PATCH /v1/company/employees`. */
export function buildEmployeeBody(fields: readonly SentField[]): { employee: Record<string, unknown> } {
  const employee: Record<string, unknown> = {};
  const customAttributes: Record<string, string | number> = {};
  for (const field of fields) {
    if (field.custom) {
      customAttributes[field.payloadKey] = field.payloadValue;
    } else {
      employee[field.payloadKey] = field.payloadValue;
    }
  }
  if (Object.keys(customAttributes).length > 0) {
    employee.custom_attributes = customAttributes;
  }
  return { employee };
}

export function sentFields(plans: readonly FieldPlan[]): SentField[] {
  return plans.flatMap((plan) => (plan.sent ? [plan.target] : []));
}
