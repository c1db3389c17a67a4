// Builds the provider-neutral NewHire from ATS rows. The function performs no I/O and takes the clock as a parameter.

import type { Application, Candidate, Job } from '../generated/prisma/client.ts';
import {
  cleanPosition,
  cleanStartDate,
  cleanWeeklyHours,
  mapEmploymentType,
  matchReferenceValue,
  resolveSupervisor,
} from './new-hire/employment.ts';
import {
  cleanAddress,
  cleanDateOfBirth,
  cleanEmail,
  cleanName,
  cleanNationality,
  cleanPhone,
  mapGender,
} from './new-hire/person.ts';
import { type Cleaned, missingInAts } from './new-hire/result.ts';
import type { FieldOutcome, NewHire, NewHireField, ReferenceData } from './plugin.ts';

export { closestMatch, normaliseText } from './new-hire/text.ts';

/** The ATS rows of one hire, loaded by the caller. */
export interface HireSource {
  candidate: Candidate;
  /** The hired application. */
  application: Application;
  job: Job;
  /** The HRIS employee whose email matches one of the job's hiring managers, when the caller found one. */
  supervisor: { employeeId: string; email: string } | null;
  /** The job's hiring managers, named in the reason when no supervisor was found. */
  supervisorCandidates: { email: string; name: string }[];
}

/**
 * Result of {@link planNewHire}. Each NewHireField is either present in `hire` or has exactly
 * one entry in `outcomes`. When `hire` is null, `outcomes` still lists every field with a problem
 * so that all problems can be shown at once. Fields without a problem then appear in neither.
 */
export interface NewHirePlan {
  /** Null when a required field (firstName, lastName, email) is missing or invalid. */
  hire: NewHire | null;
  /** One MISSING_IN_ATS, INVALID or NO_MATCHING_VALUE outcome per field that is not sent. */
  outcomes: FieldOutcome[];
  /** Why `hire` is null: one entry per missing or invalid required field. */
  blockingProblems: { field: NewHireField; message: string }[];
}

const requiredFields: ReadonlySet<NewHireField> = new Set(['firstName', 'lastName', 'email']);

// The Record type makes this fail to compile when a field is added to NewHire but not here.
const fieldSet: Record<NewHireField, true> = {
  firstName: true,
  lastName: true,
  email: true,
  preferredName: true,
  phone: true,
  gender: true,
  dateOfBirth: true,
  address: true,
  nationality: true,
  position: true,
  department: true,
  office: true,
  subcompany: true,
  employmentType: true,
  weeklyHours: true,
  startDate: true,
  supervisor: true,
};

/**
 * Fields the ATS has no column for. They are still reported as MISSING_IN_ATS, but an export
 * that sent everything else counts as complete, because no change in the ATS could fill them.
 */
export const fieldsWithoutAtsSource: ReadonlySet<NewHireField> = new Set(['subcompany']);

/** Every NewHireField in the order of the NewHire interface, which is also the order of `outcomes`. */
export const newHireFields: readonly NewHireField[] = Object.freeze(Object.keys(fieldSet) as NewHireField[]);

type CleanedFields = { [Field in NewHireField]-?: Cleaned<NonNullable<NewHire[Field]>> };

/**
 * Cleans and validates the ATS values of a hire and matches department and office to the HRIS's
 * reference values. Values are cleaned, never invented: a field without a valid value is left out
 * of `hire` and reported in `outcomes`. `now` decides which dates of birth lie in the future.
 */
export function planNewHire(source: HireSource, reference: ReferenceData, now: Date = new Date()): NewHirePlan {
  const { candidate, application, job } = source;

  const cleaned: CleanedFields = {
    firstName: cleanName(candidate.firstName, 'firstName'),
    lastName: cleanName(candidate.lastName, 'lastName'),
    email: cleanEmail(candidate.email),
    preferredName: cleanName(candidate.preferredName, 'preferredName'),
    phone: cleanPhone(candidate.phone),
    gender: mapGender(candidate.gender),
    dateOfBirth: cleanDateOfBirth(candidate.dateOfBirth, now),
    address: cleanAddress(candidate),
    nationality: cleanNationality(candidate.nationality),
    position: cleanPosition(application.offeredPositionTitle, job.title),
    department: matchReferenceValue(job.department, reference.departments, {
      singular: 'department',
      plural: 'departments',
    }),
    office: matchReferenceValue(job.office, reference.offices, { singular: 'office', plural: 'offices' }),
    subcompany: missingInAts('The ATS has no subcompany or legal entity for this job.'),
    employmentType: mapEmploymentType(job.employmentType),
    weeklyHours: cleanWeeklyHours(job.weeklyHours),
    startDate: cleanStartDate(application.startDate),
    supervisor: resolveSupervisor(source.supervisor, source.supervisorCandidates),
  };

  const fields: Partial<NewHire> = {};
  const outcomes: FieldOutcome[] = [];
  const blockingProblems: NewHirePlan['blockingProblems'] = [];

  for (const field of newHireFields) {
    const result = cleaned[field];
    if (result.ok) {
      Object.assign(fields, { [field]: result.value });
      continue;
    }
    outcomes.push({ field, ...result.problem });
    if (requiredFields.has(field)) {
      blockingProblems.push({ field, message: result.problem.reason ?? `The ${field} field cannot be sent.` });
    }
  }

  const { firstName, lastName, email } = fields;
  if (firstName === undefined || lastName === undefined || email === undefined) {
    return { hire: null, outcomes, blockingProblems };
  }
  return { hire: { ...fields, firstName, lastName, email }, outcomes, blockingProblems };
}

/**
 * Renders a field of `hire` as the text of {@link FieldOutcome.value}, or null when the field is
 * absent. Department, office and subcompany render as their name, the supervisor as their email,
 * and the address as "street, postalCode city, country" without the missing parts.
 */
export function summariseValue(field: NewHireField, hire: NewHire): string | null {
  switch (field) {
    case 'department':
    case 'office':
    case 'subcompany':
      return hire[field]?.name ?? null;
    case 'supervisor':
      return hire.supervisor?.email ?? null;
    case 'address': {
      const address = hire.address;
      if (address === undefined) return null;
      const locality = [address.postalCode, address.city].filter((part) => part !== null).join(' ');
      return [address.street, locality, address.country].filter((part) => part !== null && part !== '').join(', ');
    }
    case 'weeklyHours':
      return hire.weeklyHours === undefined ? null : String(hire.weeklyHours);
    default:
      return hire[field] ?? null;
  }
}
