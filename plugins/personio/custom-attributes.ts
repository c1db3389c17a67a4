import type { CustomAttribute, NewHireField } from '../../src/hris/index.ts';

/** Neutral fields that Personio has no standard attribute for; they go to a company's custom attribute when one exists. */
export type CustomMappedField = Extract<NewHireField, 'phone' | 'dateOfBirth' | 'nationality' | 'address'>;

interface CustomFieldRule {
  /** Labels searched case-insensitively, best first; English and German, the languages of Personio's UI. */
  labels: readonly string[];
  /** Attribute types of Personio that can hold the value. */
  types: readonly string[];
  /** Words for the reason text. */
  description: string;
}

export const CUSTOM_FIELD_RULES: Record<CustomMappedField, CustomFieldRule> = {
  phone: {
    labels: ['phone', 'phone number', 'mobile phone', 'mobile', 'mobile number', 'private phone', 'telephone', 'telefon', 'telefonnummer', 'mobiltelefon', 'mobilnummer', 'handynummer'],
    types: ['standard', 'text', 'link'],
    description: 'phone numbers',
  },
  dateOfBirth: {
    labels: ['date of birth', 'birthday', 'birth date', 'birthdate', 'geburtsdatum', 'geburtstag'],
    types: ['date', 'standard', 'text'],
    description: 'dates of birth',
  },
  nationality: {
    labels: ['nationality', 'citizenship', 'nationalität', 'staatsangehörigkeit'],
    types: ['standard', 'text', 'list'],
    description: 'nationalities',
  },
  address: {
    labels: ['address', 'home address', 'private address', 'postal address', 'adresse', 'anschrift', 'privatadresse', 'wohnadresse'],
    types: ['standard', 'text', 'multiline'],
    description: 'postal addresses',
  },
};

export type CustomAttributeMatch =
  | { found: true; attribute: CustomAttribute }
  | { found: false; reason: string };

/** Finds the company's custom attribute for a neutral field by label, trying the rule's labels in order. */
export function findCustomAttribute(field: CustomMappedField, attributes: readonly CustomAttribute[]): CustomAttributeMatch {
  const rule = CUSTOM_FIELD_RULES[field];
  for (const label of rule.labels) {
    const attribute = attributes.find((candidate) => candidate.label.trim().toLowerCase() === label);
    if (attribute === undefined) {
      continue;
    }
    if (!rule.types.includes(attribute.type.toLowerCase())) {
      return {
        found: false,
        reason: `The Personio attribute "${attribute.label}" (${attribute.key}) has type "${attribute.type}", which cannot hold ${rule.description}.`,
      };
    }
    return { found: true, attribute };
  }

  const examples = rule.labels.slice(0, 3).map((label) => `"${capitalise(label)}"`).join(', ');
  return {
    found: false,
    reason:
      `Personio has no standard field for ${rule.description}, and the API credential sees no custom attribute labelled ${examples} or similar. ` +
      'Create such an attribute in Personio and add it to the readable attributes of the API credential.',
  };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Returns the option spelled as Personio stores it, comparing case-insensitively. */
export function matchOption(value: string, options: readonly string[]): string | null {
  const expected = value.trim().toLowerCase();
  return options.find((option) => option.trim().toLowerCase() === expected) ?? null;
}

/** Returns the option with the smallest edit distance, for NO_MATCHING_VALUE suggestions. */
export function closestOption(value: string, options: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const option of options) {
    const distance = editDistance(value.toLowerCase(), option.toLowerCase());
    if (distance < bestDistance) {
      best = option;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(left: string, right: string): number {
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let i = 1; i <= left.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= right.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (left[i - 1] === right[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[right.length] ?? 0;
}
