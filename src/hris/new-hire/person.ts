// Cleaners for the candidate's personal data.

import { formatCalendarDate } from '../../dates.ts';
import type { Gender, PostalAddress } from '../plugin.ts';
import { accepted, type Cleaned, invalid, missingInAts } from './result.ts';
import { comparisonKey, containsControlCharacters, countCharacters, normaliseText } from './text.ts';

const maxNameLength = 100;
// RFC 5321 limits the part before "@" to 64 octets and a path to 256, which leaves 254 for the
// address. Lengths here are counted in code points, which equal octets for ASCII addresses.
const maxEmailLength = 254;
const maxEmailLocalPartLength = 64;
const maxPhoneLength = 40;
const earliestDateOfBirth = '1900-01-01';

type NameField = 'firstName' | 'lastName' | 'preferredName';

const nameLabels: Record<NameField, string> = {
  firstName: 'First name',
  lastName: 'Last name',
  preferredName: 'Preferred name',
};

export function cleanName(raw: string | null, field: NameField): Cleaned<string> {
  const label = nameLabels[field];
  const value = normaliseText(raw ?? '');
  if (value === '') return missingInAts(`The candidate has no ${label.toLowerCase()}.`);

  if (countCharacters(value) > maxNameLength) {
    return invalid(value, `${label} is longer than ${maxNameLength} characters.`);
  }
  if (containsControlCharacters(value)) {
    return invalid(value, `${label} contains control characters.`);
  }
  return accepted(value);
}

/**
 * Cleans the email address: trimmed, and otherwise kept as entered, including its case and any
 * `+tag`. Keeping the case is safe because `HrisSession.findEmployeeByEmail` compares
 * addresses case-insensitively.
 */
export function cleanEmail(raw: string): Cleaned<string> {
  const value = raw.trim();
  if (value === '') return missingInAts('The candidate has no email address.');

  const rule = findEmailProblem(value);
  if (rule !== null) return invalid(value, `Email address "${value}" is invalid because ${rule}.`);
  return accepted(value);
}

/** Returns the first rule the address breaks, or null. Only the syntax is checked, not whether the mailbox exists. */
function findEmailProblem(address: string): string | null {
  if (countCharacters(address) > maxEmailLength) return `it is longer than ${maxEmailLength} characters`;
  if (/\s/u.test(address)) return 'it contains whitespace';
  if (containsControlCharacters(address)) return 'it contains control characters';

  const parts = address.split('@');
  const [localPart, domain] = parts;
  if (parts.length !== 2 || localPart === undefined || domain === undefined) {
    return 'it must contain exactly one "@"';
  }
  if (localPart === '') return 'the part before "@" is empty';
  if (countCharacters(localPart) > maxEmailLocalPartLength) {
    return `the part before "@" is longer than ${maxEmailLocalPartLength} characters`;
  }
  if (!domain.includes('.')) return 'the domain has no dot';
  if (domain.split('.').some((label) => label === '')) {
    return 'the domain starts or ends with a dot or contains two dots in a row';
  }
  return null;
}

/**
 * Cleans a phone number in E.164 (`+4930123456`) or a common national or international format
 * (`+49 (0)30 123-456`, `030/123456`). Whitespace is collapsed, but the number is not reformatted.
 */
export function cleanPhone(raw: string | null): Cleaned<string> {
  const value = normaliseText(raw ?? '');
  if (value === '') return missingInAts('The candidate has no phone number.');

  const rule = findPhoneProblem(value);
  if (rule !== null) return invalid(value, `Phone number "${value}" is invalid because ${rule}.`);
  return accepted(value);
}

function findPhoneProblem(phone: string): string | null {
  if (countCharacters(phone) > maxPhoneLength) return `it is longer than ${maxPhoneLength} characters`;
  if (/\p{L}/u.test(phone)) return 'it contains letters';
  if (!/^[0-9 +()\-./]+$/.test(phone)) return 'it contains characters other than digits, spaces and + ( ) - . /';
  if (phone.lastIndexOf('+') > 0) return 'a "+" may appear only at the start';
  if (!/[0-9]/.test(phone)) return 'it contains no digits';
  return null;
}

/** ATS gender texts accepted for each HRIS value, compared after trimming and lower-casing. */
export const genderSynonyms: Record<Gender, readonly string[]> = {
  FEMALE: ['female', 'f', 'woman', 'frau', 'weiblich'],
  MALE: ['male', 'm', 'man', 'herr', 'männlich'],
  DIVERSE: ['diverse', 'divers', 'non-binary', 'nonbinary', 'non binary', 'x'],
};

const genderByText = new Map<string, Gender>();
for (const gender of ['FEMALE', 'MALE', 'DIVERSE'] as const) {
  for (const text of genderSynonyms[gender]) genderByText.set(text, gender);
}

const acceptedGenderTexts = Object.entries(genderSynonyms)
  .map(([gender, texts]) => `${texts.join(', ')} for ${gender}`)
  .join('; ');

/** Maps the ATS's free-text gender. Unrecognised texts are reported, never guessed. */
export function mapGender(raw: string | null): Cleaned<Gender> {
  const value = normaliseText(raw ?? '');
  if (value === '') return missingInAts('The candidate has no gender.');

  const gender = genderByText.get(comparisonKey(value));
  if (gender === undefined) {
    return invalid(
      value,
      `Gender "${value}" is not a recognised value. Accepted values, ignoring case, are ${acceptedGenderTexts}.`,
    );
  }
  return accepted(gender);
}

/** Formats the date of birth as `YYYY-MM-DD` in UTC, rejecting dates before 1900 or after the UTC calendar date of `now`. */
export function cleanDateOfBirth(date: Date | null, now: Date): Cleaned<string> {
  if (date === null) return missingInAts('The candidate has no date of birth.');
  if (Number.isNaN(date.getTime())) return invalid(null, 'Date of birth is not a valid date.');

  const value = formatCalendarDate(date);
  if (value < earliestDateOfBirth) return invalid(value, `Date of birth ${value} is before 1900.`);
  if (value > formatCalendarDate(now)) return invalid(value, `Date of birth ${value} is in the future.`);
  return accepted(value);
}

export function cleanAddress(candidate: {
  street: string | null;
  postalCode: string | null;
  city: string | null;
  country: string | null;
}): Cleaned<PostalAddress> {
  const address: PostalAddress = {
    street: cleanOptional(candidate.street),
    postalCode: cleanOptional(candidate.postalCode),
    city: cleanOptional(candidate.city),
    country: cleanOptional(candidate.country),
  };
  if (Object.values(address).every((part) => part === null)) {
    return missingInAts('The candidate has no street, postal code, city or country.');
  }
  return accepted(address);
}

export function cleanNationality(raw: string | null): Cleaned<string> {
  const value = cleanOptional(raw);
  if (value === null) return missingInAts('The candidate has no nationality.');
  return accepted(value);
}

/** Normalises optional text and returns null for blank text. */
function cleanOptional(raw: string | null): string | null {
  const value = normaliseText(raw ?? '');
  return value === '' ? null : value;
}
