import { afterEach, describe, expect, it } from 'vitest';
import { type Application, type Candidate, type Job, Prisma } from '../../src/generated/prisma/client.ts';
import {
  closestMatch,
  type HireSource,
  newHireFields,
  normaliseText,
  planNewHire,
  summariseValue,
} from '../../src/hris/new-hire.ts';
import type { FieldOutcome, NewHire, NewHireField, ReferenceData } from '../../src/hris/plugin.ts';

const now = new Date('2025-06-15T12:00:00Z');
const utcDate = (text: string): Date => new Date(`${text}T00:00:00Z`);

function candidate(overrides: Partial<Candidate> = {}): Candidate {
  return {
    id: 'candidate-1',
    organizationId: 'org-1',
    firstName: 'Zoë',
    lastName: 'Müller',
    preferredName: null,
    email: 'zoe.mueller@example.com',
    phone: '+49 30 1234567',
    gender: 'weiblich',
    dateOfBirth: utcDate('1990-04-01'),
    street: 'Torstraße 1',
    postalCode: '10119',
    city: 'Berlin',
    country: 'DE',
    nationality: 'German',
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

function application(overrides: Partial<Application> = {}): Application {
  return {
    id: 'application-1',
    organizationId: 'org-1',
    candidateId: 'candidate-1',
    jobId: 'job-1',
    stageId: 'stage-hired',
    stageEnteredAt: now,
    hiredAt: now,
    startDate: utcDate('2025-08-01'),
    offeredPositionTitle: null,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

function job(overrides: Partial<Job> = {}): Job {
  return {
    id: 'job-1',
    organizationId: 'org-1',
    title: 'Backend Engineer',
    department: 'Engineering',
    office: 'Berlin',
    employmentType: 'FULL_TIME',
    weeklyHours: new Prisma.Decimal('40'),
    status: 'OPEN',
    createdAt: now,
    ...overrides,
  };
}

interface SourceOverrides {
  candidate?: Partial<Candidate>;
  application?: Partial<Application>;
  job?: Partial<Job>;
  supervisor?: HireSource['supervisor'];
  supervisorCandidates?: HireSource['supervisorCandidates'];
}

function source(overrides: SourceOverrides = {}): HireSource {
  return {
    candidate: candidate(overrides.candidate),
    application: application(overrides.application),
    job: job(overrides.job),
    supervisor:
      overrides.supervisor === undefined
        ? { employeeId: '4711', email: 'hannah.schmidt@example.com' }
        : overrides.supervisor,
    supervisorCandidates: overrides.supervisorCandidates ?? [
      { email: 'hannah.schmidt@example.com', name: 'Hannah Schmidt' },
    ],
  };
}

const reference: ReferenceData = {
  departments: [
    { id: 'd1', name: 'Engineering' },
    { id: 'd2', name: 'Customer Success' },
    { id: 'd3', name: 'Marketing' },
    { id: 'd4', name: 'Product' },
    { id: 'd5', name: 'People & Culture' },
  ],
  offices: [
    { id: 'o1', name: 'Berlin' },
    { id: 'o2', name: 'München' },
    { id: 'o3', name: 'Remote' },
  ],
  subcompanies: [{ id: 's1', name: 'Acme GmbH' }],
  customAttributes: [],
  documentCategories: [],
  readableAttributes: [],
};

function plan(overrides: SourceOverrides = {}, referenceData: ReferenceData = reference) {
  return planNewHire(source(overrides), referenceData, now);
}

function outcomeOf(result: { outcomes: FieldOutcome[] }, field: NewHireField): FieldOutcome | undefined {
  return result.outcomes.find((outcome) => outcome.field === field);
}

describe('planNewHire', () => {
  it('builds complete hire from full rows', () => {
    const result = plan();

    expect(result.hire).toEqual({
      firstName: 'Zoë',
      lastName: 'Müller',
      email: 'zoe.mueller@example.com',
      phone: '+49 30 1234567',
      gender: 'FEMALE',
      dateOfBirth: '1990-04-01',
      address: { street: 'Torstraße 1', postalCode: '10119', city: 'Berlin', country: 'DE' },
      nationality: 'German',
      position: 'Backend Engineer',
      department: { id: 'd1', name: 'Engineering' },
      office: { id: 'o1', name: 'Berlin' },
      employmentType: 'FULL_TIME',
      weeklyHours: 40,
      startDate: '2025-08-01',
      supervisor: { employeeId: '4711', email: 'hannah.schmidt@example.com' },
    });
    expect(result.blockingProblems).toEqual([]);
    expect(result.outcomes.map((outcome) => outcome.field)).toEqual(['preferredName', 'subcompany']);
  });

  it('reports subcompany as missing in ATS', () => {
    expect(outcomeOf(plan(), 'subcompany')).toEqual({
      field: 'subcompany',
      status: 'MISSING_IN_ATS',
      value: null,
      reason: 'The ATS has no subcompany or legal entity for this job.',
    });
  });
});

describe('names', () => {
  it.each([
    { name: 'decomposed umlaut to NFC', input: 'Zoe\u0308', expected: 'Zo\u00EB' },
    { name: 'Chinese characters kept', input: '李娜', expected: '李娜' },
    { name: 'apostrophe kept', input: "O'Brien", expected: "O'Brien" },
    { name: 'hyphen kept', input: 'Anna-Lena', expected: 'Anna-Lena' },
    { name: 'surrounding whitespace trimmed', input: '  Anna  ', expected: 'Anna' },
    { name: 'inner whitespace collapsed', input: 'Anna   Lena', expected: 'Anna Lena' },
    { name: 'tabs and newlines collapsed', input: 'Anna\t\nLena', expected: 'Anna Lena' },
    { name: 'no-break space collapsed', input: 'Anna\u00A0Lena', expected: 'Anna Lena' },
  ])('cleans first name: $name', ({ input, expected }) => {
    const result = plan({ candidate: { firstName: input } });

    expect(result.hire?.firstName).toBe(expected);
    expect(outcomeOf(result, 'firstName')).toBeUndefined();
  });

  it('cleans last name like first name', () => {
    const result = plan({ candidate: { firstName: '娜', lastName: ' 李 ' } });

    expect(result.hire?.firstName).toBe('娜');
    expect(result.hire?.lastName).toBe('李');
  });

  it('outputs NFC with precomposed code point', () => {
    const result = plan({ candidate: { firstName: 'Zoe\u0308' } });

    expect(result.hire?.firstName).toHaveLength(3);
    expect(result.hire?.firstName.codePointAt(2)).toBe(0xeb);
  });

  it('accepts name of exactly 100 characters', () => {
    const result = plan({ candidate: { lastName: '李'.repeat(100) } });

    expect(result.hire?.lastName).toBe('李'.repeat(100));
  });

  it('counts combining sequences after NFC', () => {
    // 100 × "e" + U+0308 is 200 code points before NFC and 100 after.
    const result = plan({ candidate: { lastName: 'e\u0308'.repeat(100) } });

    expect(result.hire?.lastName).toBe('ë'.repeat(100));
  });

  it('blocks hire on over-long last name', () => {
    const result = plan({ candidate: { lastName: 'a'.repeat(101) } });

    expect(result.hire).toBeNull();
    expect(outcomeOf(result, 'lastName')).toEqual({
      field: 'lastName',
      status: 'INVALID',
      value: 'a'.repeat(101),
      reason: 'Last name is longer than 100 characters.',
    });
    expect(result.blockingProblems).toEqual([
      { field: 'lastName', message: 'Last name is longer than 100 characters.' },
    ]);
  });

  it.each([
    { name: 'NUL', input: 'Anna\u0000' },
    { name: 'bell', input: 'An\u0007na' },
    { name: 'escape', input: '\u001B[31mAnna' },
    { name: 'DEL', input: 'Anna\u007F' },
    { name: 'C1 control', input: 'Anna\u0085x\u009F' },
  ])('blocks hire on control character: $name', ({ input }) => {
    const result = plan({ candidate: { firstName: input } });

    expect(result.hire).toBeNull();
    expect(outcomeOf(result, 'firstName')?.status).toBe('INVALID');
    expect(outcomeOf(result, 'firstName')?.reason).toBe('First name contains control characters.');
    expect(result.blockingProblems.map((problem) => problem.field)).toEqual(['firstName']);
  });

  it.each(['', '   ', '\t\n'])('blocks hire on blank first name %j', (input) => {
    const result = plan({ candidate: { firstName: input } });

    expect(result.hire).toBeNull();
    expect(outcomeOf(result, 'firstName')).toEqual({
      field: 'firstName',
      status: 'MISSING_IN_ATS',
      value: null,
      reason: 'The candidate has no first name.',
    });
    expect(result.blockingProblems).toEqual([{ field: 'firstName', message: 'The candidate has no first name.' }]);
  });

  it('reports every blocking problem at once', () => {
    const result = plan({ candidate: { firstName: ' ', lastName: '', email: 'not-an-address' } });

    expect(result.hire).toBeNull();
    expect(result.blockingProblems.map((problem) => problem.field)).toEqual(['firstName', 'lastName', 'email']);
  });

  it('still reports non-blocking problems when blocked', () => {
    const result = plan({ candidate: { email: '' }, job: { department: 'Enginering' } });

    expect(result.hire).toBeNull();
    expect(outcomeOf(result, 'department')?.status).toBe('NO_MATCHING_VALUE');
  });
});

describe('preferredName', () => {
  it('reports missing when null', () => {
    expect(outcomeOf(plan({ candidate: { preferredName: null } }), 'preferredName')?.status).toBe('MISSING_IN_ATS');
  });

  it('reports missing when blank', () => {
    expect(outcomeOf(plan({ candidate: { preferredName: '  ' } }), 'preferredName')?.status).toBe('MISSING_IN_ATS');
  });

  it('sends name equal to first name', () => {
    const result = plan({ candidate: { firstName: 'Zoë', preferredName: ' Zoe\u0308 ' } });

    expect(result.hire?.preferredName).toBe('Zoë');
    expect(outcomeOf(result, 'preferredName')).toBeUndefined();
  });

  it('sends different name', () => {
    expect(plan({ candidate: { preferredName: 'Zo' } }).hire?.preferredName).toBe('Zo');
  });

  it('reports over-long name without blocking', () => {
    const result = plan({ candidate: { preferredName: 'x'.repeat(101) } });

    expect(result.hire).not.toBeNull();
    expect(outcomeOf(result, 'preferredName')?.status).toBe('INVALID');
    expect(result.blockingProblems).toEqual([]);
  });
});

describe('email', () => {
  it.each([
    { name: 'plain address', input: 'anna@example.com', expected: 'anna@example.com' },
    { name: 'case kept', input: 'Anna.Schmidt@Example.COM', expected: 'Anna.Schmidt@Example.COM' },
    { name: 'plus tag kept', input: 'anna+ats@example.com', expected: 'anna+ats@example.com' },
    { name: 'whitespace trimmed', input: '  anna@example.com\n', expected: 'anna@example.com' },
    { name: 'subdomain', input: 'a@mail.example.co.uk', expected: 'a@mail.example.co.uk' },
    { name: 'internationalised domain', input: 'zoë@bücher.de', expected: 'zoë@bücher.de' },
  ])('accepts $name', ({ input, expected }) => {
    const result = plan({ candidate: { email: input } });

    expect(result.hire?.email).toBe(expected);
  });

  it.each([
    { name: 'no @', input: 'anna.example.com', rule: 'it must contain exactly one "@"' },
    { name: 'two @', input: 'anna@b@example.com', rule: 'it must contain exactly one "@"' },
    { name: 'inner space', input: 'anna schmidt@example.com', rule: 'it contains whitespace' },
    { name: 'domain without dot', input: 'anna@localhost', rule: 'the domain has no dot' },
    { name: 'empty local part', input: '@example.com', rule: 'the part before "@" is empty' },
    {
      name: 'trailing dot',
      input: 'anna@example.',
      rule: 'the domain starts or ends with a dot or contains two dots in a row',
    },
    {
      name: 'two dots',
      input: 'anna@example..com',
      rule: 'the domain starts or ends with a dot or contains two dots in a row',
    },
    {
      name: 'local part over 64',
      input: `${'a'.repeat(65)}@example.com`,
      rule: 'the part before "@" is longer than 64 characters',
    },
    {
      name: 'address over 254',
      input: `anna@${'b'.repeat(250)}.com`,
      rule: 'it is longer than 254 characters',
    },
    { name: 'control character', input: 'anna\u0000@example.com', rule: 'it contains control characters' },
  ])('blocks hire on $name', ({ input, rule }) => {
    const result = plan({ candidate: { email: input } });
    const reason = `Email address "${input}" is invalid because ${rule}.`;

    expect(result.hire).toBeNull();
    expect(outcomeOf(result, 'email')).toEqual({ field: 'email', status: 'INVALID', value: input, reason });
    expect(result.blockingProblems).toEqual([{ field: 'email', message: reason }]);
  });

  it('blocks hire on blank address', () => {
    const result = plan({ candidate: { email: '   ' } });

    expect(result.hire).toBeNull();
    expect(outcomeOf(result, 'email')?.status).toBe('MISSING_IN_ATS');
    expect(result.blockingProblems).toEqual([{ field: 'email', message: 'The candidate has no email address.' }]);
  });
});

describe('phone', () => {
  it.each([
    { input: '+4930123456', expected: '+4930123456' },
    { input: '+49 (0)30 123-456', expected: '+49 (0)30 123-456' },
    { input: '030/123456', expected: '030/123456' },
    { input: '  +1 415.555.0100 ', expected: '+1 415.555.0100' },
    { input: '+49  30\t123', expected: '+49 30 123' },
  ])('accepts $input', ({ input, expected }) => {
    expect(plan({ candidate: { phone: input } }).hire?.phone).toBe(expected);
  });

  it.each([
    { input: '+49 30 123 ext 5', rule: 'it contains letters' },
    { input: 'call me', rule: 'it contains letters' },
    { input: '+49 30 123#5', rule: 'it contains characters other than digits, spaces and + ( ) - . /' },
    { input: '030 + 123', rule: 'a "+" may appear only at the start' },
    { input: '---', rule: 'it contains no digits' },
    { input: '1'.repeat(41), rule: 'it is longer than 40 characters' },
  ])('reports $input as invalid', ({ input, rule }) => {
    const result = plan({ candidate: { phone: input } });

    expect(result.hire?.phone).toBeUndefined();
    expect(outcomeOf(result, 'phone')).toEqual({
      field: 'phone',
      status: 'INVALID',
      value: input,
      reason: `Phone number "${input}" is invalid because ${rule}.`,
    });
  });

  it('accepts 40 characters', () => {
    expect(plan({ candidate: { phone: '1'.repeat(40) } }).hire?.phone).toBe('1'.repeat(40));
  });

  it('reports missing when null', () => {
    expect(outcomeOf(plan({ candidate: { phone: null } }), 'phone')?.status).toBe('MISSING_IN_ATS');
  });
});

describe('gender', () => {
  it.each([
    ['female', 'FEMALE'],
    ['F', 'FEMALE'],
    ['Woman', 'FEMALE'],
    ['Frau', 'FEMALE'],
    ['  weiblich ', 'FEMALE'],
    ['MALE', 'MALE'],
    ['m', 'MALE'],
    ['man', 'MALE'],
    ['Herr', 'MALE'],
    ['männlich', 'MALE'],
    ['Ma\u0308nnlich', 'MALE'],
    ['diverse', 'DIVERSE'],
    ['Divers', 'DIVERSE'],
    ['non-binary', 'DIVERSE'],
    ['Nonbinary', 'DIVERSE'],
    ['non  binary', 'DIVERSE'],
    ['X', 'DIVERSE'],
  ])('maps %j to %s', (input, expected) => {
    const result = plan({ candidate: { gender: input } });

    expect(result.hire?.gender).toBe(expected);
    expect(outcomeOf(result, 'gender')).toBeUndefined();
  });

  it.each(['prefer not to say', 'other', 'unknown', 'w', 'femal', 'non_binary'])('reports %j as invalid', (input) => {
    const result = plan({ candidate: { gender: input } });
    const outcome = outcomeOf(result, 'gender');

    expect(result.hire?.gender).toBeUndefined();
    expect(outcome?.status).toBe('INVALID');
    expect(outcome?.value).toBe(input);
    expect(outcome?.reason).toContain(`Gender "${input}" is not a recognised value.`);
    expect(outcome?.reason).toContain('female, f, woman, frau, weiblich for FEMALE');
    expect(outcome?.reason).toContain('non-binary, nonbinary, non binary, x for DIVERSE');
  });

  it.each([null, '', '   '])('reports %j as missing', (input) => {
    const outcome = outcomeOf(plan({ candidate: { gender: input } }), 'gender');

    expect(outcome).toEqual({
      field: 'gender',
      status: 'MISSING_IN_ATS',
      value: null,
      reason: 'The candidate has no gender.',
    });
  });
});

describe('dateOfBirth', () => {
  it.each([
    { input: '1990-04-01', expected: '1990-04-01' },
    { input: '1900-01-01', expected: '1900-01-01' },
    { input: '2025-06-15', expected: '2025-06-15' },
  ])('accepts $input', ({ input, expected }) => {
    expect(plan({ candidate: { dateOfBirth: utcDate(input) } }).hire?.dateOfBirth).toBe(expected);
  });

  it.each([
    { input: '1899-12-31', reason: 'Date of birth 1899-12-31 is before 1900.' },
    { input: '2025-06-16', reason: 'Date of birth 2025-06-16 is in the future.' },
  ])('reports $input as invalid', ({ input, reason }) => {
    const outcome = outcomeOf(plan({ candidate: { dateOfBirth: utcDate(input) } }), 'dateOfBirth');

    expect(outcome).toEqual({ field: 'dateOfBirth', status: 'INVALID', value: input, reason });
  });

  it('reports invalid Date object', () => {
    const outcome = outcomeOf(plan({ candidate: { dateOfBirth: new Date(Number.NaN) } }), 'dateOfBirth');

    expect(outcome?.status).toBe('INVALID');
    expect(outcome?.value).toBeNull();
  });

  it('reports missing when null', () => {
    expect(outcomeOf(plan({ candidate: { dateOfBirth: null } }), 'dateOfBirth')?.status).toBe('MISSING_IN_ATS');
  });
});

describe('address and nationality', () => {
  it('sends partial address with nulls', () => {
    const result = plan({ candidate: { street: null, postalCode: ' ', city: ' Köln ', country: null } });

    expect(result.hire?.address).toEqual({ street: null, postalCode: null, city: 'Köln', country: null });
  });

  it('reports missing when every part is blank', () => {
    const result = plan({ candidate: { street: null, postalCode: '', city: '  ', country: null } });

    expect(result.hire?.address).toBeUndefined();
    expect(outcomeOf(result, 'address')?.status).toBe('MISSING_IN_ATS');
  });

  it('trims nationality', () => {
    expect(plan({ candidate: { nationality: '  Irish ' } }).hire?.nationality).toBe('Irish');
  });

  it('reports missing nationality', () => {
    expect(outcomeOf(plan({ candidate: { nationality: null } }), 'nationality')?.status).toBe('MISSING_IN_ATS');
  });
});

describe('position', () => {
  it('prefers offered title over job title', () => {
    const result = plan({ application: { offeredPositionTitle: ' Senior  Backend Engineer ' } });

    expect(result.hire?.position).toBe('Senior Backend Engineer');
  });

  it('falls back to job title', () => {
    expect(plan({ application: { offeredPositionTitle: null } }).hire?.position).toBe('Backend Engineer');
  });

  it('falls back when offered title blank', () => {
    expect(plan({ application: { offeredPositionTitle: '   ' } }).hire?.position).toBe('Backend Engineer');
  });

  it('reports over-long offered title', () => {
    const title = 'P'.repeat(256);
    const result = plan({ application: { offeredPositionTitle: title } });

    expect(result.hire?.position).toBeUndefined();
    expect(outcomeOf(result, 'position')).toEqual({
      field: 'position',
      status: 'INVALID',
      value: title,
      reason: 'Position is longer than 255 characters.',
    });
  });

  it('accepts 255 characters', () => {
    expect(plan({ job: { title: 'P'.repeat(255) } }).hire?.position).toBe('P'.repeat(255));
  });
});

describe('department and office', () => {
  it.each([
    { name: 'exact', input: 'Engineering' },
    { name: 'case', input: 'ENGINEERING' },
    { name: 'surrounding whitespace', input: '  engineering  ' },
  ])('matches department by $name', ({ input }) => {
    const result = plan({ job: { department: input } });

    expect(result.hire?.department).toEqual({ id: 'd1', name: 'Engineering' });
    expect(outcomeOf(result, 'department')).toBeUndefined();
  });

  it('matches repeated inner whitespace', () => {
    expect(plan({ job: { department: 'Customer   Success' } }).hire?.department).toEqual({
      id: 'd2',
      name: 'Customer Success',
    });
  });

  it('matches office across Unicode forms', () => {
    expect(plan({ job: { office: 'mu\u0308nchen' } }).hire?.office).toEqual({ id: 'o2', name: 'München' });
  });

  it('suggests Engineering for Enginering', () => {
    const outcome = outcomeOf(plan({ job: { department: 'Enginering' } }), 'department');

    expect(outcome).toEqual({
      field: 'department',
      status: 'NO_MATCHING_VALUE',
      value: 'Enginering',
      reason: 'Department "Enginering" does not exist in the HRIS. Did you mean "Engineering"?',
      suggestion: 'Engineering',
    });
  });

  it('suggests Customer Success for Customer Succes', () => {
    const outcome = outcomeOf(plan({ job: { department: 'Customer Succes' } }), 'department');

    expect(outcome?.suggestion).toBe('Customer Success');
    expect(outcome?.reason).toBe(
      'Department "Customer Succes" does not exist in the HRIS. Did you mean "Customer Success"?',
    );
  });

  it('suggests nothing for Product Design', () => {
    // "product design" has 14 characters, so the limit is 5.6 edits. The nearest department,
    // "product", needs 7 deletions, so no suggestion is made.
    const outcome = outcomeOf(plan({ job: { department: 'Product Design' } }), 'department');

    expect(outcome).toEqual({
      field: 'department',
      status: 'NO_MATCHING_VALUE',
      value: 'Product Design',
      reason: 'Department "Product Design" does not exist in the HRIS.',
      suggestion: null,
    });
  });

  it('suggests office for a typo', () => {
    const outcome = outcomeOf(plan({ job: { office: 'Munchen' } }), 'office');

    expect(outcome?.suggestion).toBe('München');
    expect(outcome?.reason).toBe('Office "Munchen" does not exist in the HRIS. Did you mean "München"?');
  });

  it('reports empty HRIS department list', () => {
    const outcome = outcomeOf(plan({}, { ...reference, departments: [] }), 'department');

    expect(outcome).toEqual({
      field: 'department',
      status: 'NO_MATCHING_VALUE',
      value: 'Engineering',
      reason: 'Department "Engineering" cannot be matched because the HRIS has no departments.',
      suggestion: null,
    });
  });

  it('reports empty HRIS office list', () => {
    const outcome = outcomeOf(plan({}, { ...reference, offices: [] }), 'office');

    expect(outcome?.status).toBe('NO_MATCHING_VALUE');
    expect(outcome?.reason).toBe('Office "Berlin" cannot be matched because the HRIS has no offices.');
  });

  it('reports missing department', () => {
    expect(outcomeOf(plan({ job: { department: null } }), 'department')).toEqual({
      field: 'department',
      status: 'MISSING_IN_ATS',
      value: null,
      reason: 'The job has no department.',
    });
  });

  it('reports missing office before empty list', () => {
    const outcome = outcomeOf(plan({ job: { office: '  ' } }, { ...reference, offices: [] }), 'office');

    expect(outcome?.status).toBe('MISSING_IN_ATS');
  });

  it('prefers exact spelling among case variants', () => {
    const departments = [
      { id: 'a', name: 'SALES' },
      { id: 'b', name: 'Sales' },
    ];
    const result = plan({ job: { department: 'Sales' } }, { ...reference, departments });

    expect(result.hire?.department).toEqual({ id: 'b', name: 'Sales' });
  });

  it('rejects ambiguous case-insensitive match', () => {
    const departments = [
      { id: 'a', name: 'SALES' },
      { id: 'b', name: 'Sales' },
    ];
    const outcome = outcomeOf(plan({ job: { department: 'sales' } }, { ...reference, departments }), 'department');

    expect(outcome?.status).toBe('NO_MATCHING_VALUE');
    expect(outcome?.reason).toBe(
      'Department "sales" matches several HRIS departments that differ only in case or spacing: "SALES", "Sales".',
    );
    expect(outcome?.suggestion).toBeNull();
  });
});

describe('employment', () => {
  it.each(['FULL_TIME', 'PART_TIME', 'CONTRACT', 'INTERNSHIP', 'TEMPORARY'] as const)(
    'maps employment type %s',
    (employmentType) => {
      expect(plan({ job: { employmentType } }).hire?.employmentType).toBe(employmentType);
    },
  );

  it('reports missing employment type', () => {
    expect(outcomeOf(plan({ job: { employmentType: null } }), 'employmentType')?.status).toBe('MISSING_IN_ATS');
  });

  it.each([
    { input: '40', expected: 40 },
    { input: '37.5', expected: 37.5 },
    { input: '80', expected: 80 },
    { input: '0.25', expected: 0.25 },
  ])('accepts $input weekly hours', ({ input, expected }) => {
    expect(plan({ job: { weeklyHours: new Prisma.Decimal(input) } }).hire?.weeklyHours).toBe(expected);
  });

  it.each(['0', '-5', '80.01', '168'])('reports %s weekly hours as invalid', (input) => {
    const outcome = outcomeOf(plan({ job: { weeklyHours: new Prisma.Decimal(input) } }), 'weeklyHours');
    const hours = Number(input);

    expect(outcome).toEqual({
      field: 'weeklyHours',
      status: 'INVALID',
      value: String(hours),
      reason: `Weekly hours must be more than 0 and at most 80, but the job has ${hours}.`,
    });
  });

  it('reports missing weekly hours', () => {
    expect(outcomeOf(plan({ job: { weeklyHours: null } }), 'weeklyHours')?.status).toBe('MISSING_IN_ATS');
  });
});

describe('startDate', () => {
  const originalTimeZone = process.env.TZ;

  afterEach(() => {
    if (originalTimeZone === undefined) delete process.env.TZ;
    else process.env.TZ = originalTimeZone;
  });

  it('reports missing start date', () => {
    const result = plan({ application: { startDate: null } });

    expect(result.hire?.startDate).toBeUndefined();
    expect(outcomeOf(result, 'startDate')).toEqual({
      field: 'startDate',
      status: 'MISSING_IN_ATS',
      value: null,
      reason: 'The hired application has no start date.',
    });
  });

  // Node applies a change of process.env.TZ to later Date operations in the same process. The
  // offset assertion proves that the zone took effect, so the date assertion can fail. A
  // formatter that read local fields would return 2025-07-31 in America/Adak (UTC−9 in summer).
  it.each([
    { timeZone: 'Pacific/Kiritimati', offsetMinutes: -840 },
    { timeZone: 'America/Adak', offsetMinutes: 540 },
    { timeZone: 'UTC', offsetMinutes: 0 },
  ])('formats start date in $timeZone', ({ timeZone, offsetMinutes }) => {
    process.env.TZ = timeZone;
    const startDate = new Date(Date.UTC(2025, 7, 1));

    expect(startDate.getTimezoneOffset()).toBe(offsetMinutes);
    expect(plan({ application: { startDate } }).hire?.startDate).toBe('2025-08-01');
    expect(plan({ candidate: { dateOfBirth: new Date(Date.UTC(1990, 0, 1)) } }).hire?.dateOfBirth).toBe(
      '1990-01-01',
    );
  });
});

describe('supervisor', () => {
  it('sends resolved supervisor', () => {
    expect(plan().hire?.supervisor).toEqual({ employeeId: '4711', email: 'hannah.schmidt@example.com' });
  });

  it('reports hiring manager without HRIS employee', () => {
    const outcome = outcomeOf(plan({ supervisor: null }), 'supervisor');

    expect(outcome).toEqual({
      field: 'supervisor',
      status: 'NO_MATCHING_VALUE',
      value: 'hannah.schmidt@example.com',
      reason:
        "No HRIS employee has the email of the job's hiring manager Hannah Schmidt (hannah.schmidt@example.com).",
      suggestion: null,
    });
  });

  it('names every hiring manager', () => {
    const supervisorCandidates = [
      { email: 'hannah.schmidt@example.com', name: 'Hannah Schmidt' },
      { email: 'jonas.weber@example.com', name: 'Jonas Weber' },
    ];
    const outcome = outcomeOf(plan({ supervisor: null, supervisorCandidates }), 'supervisor');

    expect(outcome?.value).toBe('hannah.schmidt@example.com, jonas.weber@example.com');
    expect(outcome?.reason).toBe(
      "No HRIS employee has the email of any of the job's hiring managers: " +
        'Hannah Schmidt (hannah.schmidt@example.com), Jonas Weber (jonas.weber@example.com).',
    );
  });

  it('reports missing when job has no hiring manager', () => {
    const outcome = outcomeOf(plan({ supervisor: null, supervisorCandidates: [] }), 'supervisor');

    expect(outcome).toEqual({
      field: 'supervisor',
      status: 'MISSING_IN_ATS',
      value: null,
      reason: 'The job has no hiring manager.',
    });
  });
});

describe('field coverage invariant', () => {
  const emptyCandidate: Partial<Candidate> = {
    preferredName: null,
    phone: null,
    gender: null,
    dateOfBirth: null,
    street: null,
    postalCode: null,
    city: null,
    country: null,
    nationality: null,
  };
  const emptyJob: Partial<Job> = { department: null, office: null, employmentType: null, weeklyHours: null };

  const cases: { name: string; overrides: SourceOverrides; referenceData?: ReferenceData }[] = [
    { name: 'full rows', overrides: { candidate: { preferredName: 'Zo' } } },
    { name: 'default rows', overrides: {} },
    {
      name: 'empty optional values',
      overrides: {
        candidate: emptyCandidate,
        job: emptyJob,
        application: { startDate: null },
        supervisor: null,
        supervisorCandidates: [],
      },
    },
    {
      name: 'invalid optional values',
      overrides: {
        candidate: { phone: 'abc', gender: 'other', dateOfBirth: utcDate('1800-01-01'), preferredName: 'x'.repeat(101) },
        job: { department: 'Enginering', office: 'Mars', weeklyHours: new Prisma.Decimal('100') },
        application: { offeredPositionTitle: 'P'.repeat(300) },
        supervisor: null,
      },
    },
    { name: 'empty reference data', overrides: {}, referenceData: { ...reference, departments: [], offices: [] } },
  ];

  it.each(cases)('covers every field once: $name', ({ overrides, referenceData }) => {
    const result = plan(overrides, referenceData);
    expect(result.hire).not.toBeNull();
    const hire = result.hire as NewHire;

    const sent = newHireFields.filter((field) => hire[field] !== undefined);
    const reported = result.outcomes.map((outcome) => outcome.field);
    const covered = [...sent, ...reported].sort();

    expect(covered).toEqual([...newHireFields].sort());
    expect(new Set(reported).size).toBe(reported.length);
    expect(Object.keys(hire).sort()).toEqual([...sent].sort());
  });

  it('lists every NewHire field', () => {
    expect(newHireFields).toHaveLength(17);
    expect(new Set(newHireFields).size).toBe(newHireFields.length);
  });

  it('reports blocking fields among outcomes', () => {
    const result = plan({
      candidate: { ...emptyCandidate, firstName: '', lastName: '\u0000', email: 'x' },
      job: emptyJob,
    });
    const reported = result.outcomes.map((outcome) => outcome.field);

    expect(result.hire).toBeNull();
    expect(new Set(reported).size).toBe(reported.length);
    for (const problem of result.blockingProblems) {
      expect(reported).toContain(problem.field);
    }
  });

  it('keeps outcome statuses to core-side values', () => {
    const result = plan(cases[3]?.overrides);

    for (const outcome of result.outcomes) {
      expect(['MISSING_IN_ATS', 'INVALID', 'NO_MATCHING_VALUE']).toContain(outcome.status);
    }
  });
});

describe('closestMatch', () => {
  it('ignores case and whitespace', () => {
    expect(closestMatch('  enginering ', ['Marketing', 'Engineering'])).toBe('Engineering');
  });

  it('counts adjacent swap as one edit', () => {
    // Plain Levenshtein counts this swap as 2 edits, which equals the length and would be
    // rejected as a complete replacement.
    expect(closestMatch('RH', ['HR'])).toBe('HR');
  });

  it('rejects complete replacement', () => {
    expect(closestMatch('IT', ['HR'])).toBeNull();
  });

  it('prefers smaller distance', () => {
    // "enginering" is 4 edits from "engineers" and 1 from "engineering".
    expect(closestMatch('Enginering', ['Engineers', 'Engineering'])).toBe('Engineering');
  });

  it('breaks ties by option order', () => {
    expect(closestMatch('Bat', ['Cat', 'Hat'])).toBe('Cat');
    expect(closestMatch('Bat', ['Hat', 'Cat'])).toBe('Hat');
  });

  it('returns null for no options', () => {
    expect(closestMatch('Engineering', [])).toBeNull();
  });

  it('allows 40 % of long values', () => {
    // 20 characters allow 8 edits.
    expect(closestMatch('abcdefghijklmnopqrst', ['abcdefghijklXXXXXXXX'])).toBe('abcdefghijklXXXXXXXX');
    expect(closestMatch('abcdefghijklmnopqrst', ['abcdefghijkXXXXXXXXX'])).toBeNull();
  });
});

describe('normaliseText', () => {
  it('normalises, trims and collapses', () => {
    expect(normaliseText(' \tZoe\u0308  \n Müller ')).toBe('Zo\u00EB Müller');
  });
});

describe('summariseValue', () => {
  const hire = plan().hire as NewHire;

  it.each([
    ['firstName', 'Zoë'],
    ['email', 'zoe.mueller@example.com'],
    ['gender', 'FEMALE'],
    ['department', 'Engineering'],
    ['office', 'Berlin'],
    ['supervisor', 'hannah.schmidt@example.com'],
    ['address', 'Torstraße 1, 10119 Berlin, DE'],
    ['weeklyHours', '40'],
    ['startDate', '2025-08-01'],
    ['subcompany', null],
    ['preferredName', null],
  ] as const)('renders %s', (field, expected) => {
    expect(summariseValue(field, hire)).toBe(expected);
  });

  it('skips missing address parts', () => {
    const address = { street: null, postalCode: null, city: 'Köln', country: 'DE' };

    expect(summariseValue('address', { ...hire, address })).toBe('Köln, DE');
  });

  it('renders fractional hours', () => {
    expect(summariseValue('weeklyHours', { ...hire, weeklyHours: 37.5 })).toBe('37.5');
  });
});
