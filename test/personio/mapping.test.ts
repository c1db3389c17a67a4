import { describe, expect, it } from 'vitest';
import type { NewHire, ReferenceData } from '../../src/hris/index.ts';
import { buildEmployeeBody, formatAddress, planFields, sentFields } from '../../plugins/personio/mapping.ts';
import { createOutcomes, decideUpdate } from '../../plugins/personio/outcomes.ts';
import { assignNotices } from '../../plugins/personio/meta-notices.ts';
import { employeeResponseSchema } from '../../plugins/personio/schemas.ts';
import employeeFixture from './fixtures/employee.json' with { type: 'json' };

const reference: ReferenceData = {
  departments: [{ id: '281521', name: 'Customer Support' }],
  offices: [{ id: '131014', name: 'Munich' }],
  subcompanies: [{ id: '7033', name: 'CS Demo GmbH' }],
  customAttributes: [
    { key: 'dynamic_21827', label: 'IBAN', type: 'standard', options: [] },
    { key: 'dynamic_180883', label: 'Date of birth', type: 'date', options: [] },
    { key: 'dynamic_500', label: 'Mobile phone', type: 'standard', options: [] },
    { key: 'dynamic_501', label: 'Nationality', type: 'list', options: ['German', 'French', 'Spanish'] },
  ],
  documentCategories: [],
  readableAttributes: ['id', 'first_name', 'last_name', 'email', 'gender', 'position', 'department', 'office', 'subcompany', 'hire_date', 'weekly_working_hours', 'supervisor', 'dynamic_180883'],
};

/** The new hire that matches the employee example of Personio's v1 spec. */
const alexander: NewHire = {
  firstName: 'Alexander',
  lastName: 'Bergmann',
  email: 'alexander.bergmann@demo.email',
  preferredName: 'Alexander Bergmann',
  gender: 'MALE',
  position: 'CTO',
  department: { id: '281521', name: 'Customer Support' },
  office: { id: '131014', name: 'Munich' },
  subcompany: { id: '7033', name: 'CS Demo GmbH' },
  startDate: '2014-11-09',
  weeklyHours: 40,
  supervisor: { employeeId: '2', email: 'boss@demo.email' },
  dateOfBirth: '1983-08-18',
  employmentType: 'FULL_TIME',
};

const recordedEmployee = employeeResponseSchema.parse(employeeFixture).data.attributes;

describe('planFields', () => {
  it('builds the create body of Personio v1', () => {
    const body = buildEmployeeBody(sentFields(planFields(alexander, reference)));
    expect(body).toEqual({
      employee: {
        first_name: 'Alexander',
        last_name: 'Bergmann',
        email: 'alexander.bergmann@demo.email',
        preferred_name: 'Alexander Bergmann',
        gender: 'male',
        position: 'CTO',
        department: 'Customer Support',
        office: 'Munich',
        subcompany: 'CS Demo GmbH',
        hire_date: '2014-11-09',
        weekly_working_hours: 40,
        supervisor_id: 2,
        custom_attributes: { dynamic_180883: '1983-08-18' },
      },
    });
  });

  it('plans one entry per present field', () => {
    const plans = planFields(alexander, reference);
    const fields = plans.map((plan) => (plan.sent ? plan.target.field : plan.outcome.field));
    expect(fields.sort()).toEqual(Object.keys(alexander).sort());
  });

  it('marks employment type as not supported', () => {
    const plan = planFields({ firstName: 'A', lastName: 'B', email: 'a@b.c', employmentType: 'CONTRACT' }, reference).at(-1);
    expect(plan?.sent).toBe(false);
    if (plan?.sent === false) {
      expect(plan.outcome).toMatchObject({ field: 'employmentType', status: 'NOT_SUPPORTED', value: 'CONTRACT' });
      expect(plan.outcome.reason).toContain('employment type');
    }
  });

  it('sends phone to a custom attribute found by label', () => {
    const plans = planFields({ firstName: 'A', lastName: 'B', email: 'a@b.c', phone: '+49 30 1234' }, reference);
    expect(buildEmployeeBody(sentFields(plans)).employee.custom_attributes).toEqual({ dynamic_500: '+49 30 1234' });
  });

  it('reports fields without a custom attribute as not supported', () => {
    const plans = planFields(
      { firstName: 'A', lastName: 'B', email: 'a@b.c', address: { street: 'Main St 1', postalCode: '10115', city: 'Berlin', country: 'DE' } },
      { ...reference, customAttributes: [] },
    );
    const address = plans.find((plan) => !plan.sent && plan.outcome.field === 'address');
    expect(address?.sent).toBe(false);
    if (address?.sent === false) {
      expect(address.outcome.status).toBe('NOT_SUPPORTED');
      expect(address.outcome.value).toBe('Main St 1, 10115 Berlin, DE');
      expect(address.outcome.reason).toContain('"Address"');
    }
  });

  it('matches list options case-insensitively and suggests the closest one', () => {
    const matched = planFields({ firstName: 'A', lastName: 'B', email: 'a@b.c', nationality: 'german' }, reference);
    expect(buildEmployeeBody(sentFields(matched)).employee.custom_attributes).toEqual({ dynamic_501: 'German' });

    const unmatched = planFields({ firstName: 'A', lastName: 'B', email: 'a@b.c', nationality: 'Frensh' }, reference).at(-1);
    expect(unmatched?.sent).toBe(false);
    if (unmatched?.sent === false) {
      expect(unmatched.outcome).toMatchObject({ status: 'NO_MATCHING_VALUE', suggestion: 'French' });
    }
  });

  it('rejects a supervisor id that is not a number', () => {
    const plan = planFields({ firstName: 'A', lastName: 'B', email: 'a@b.c', supervisor: { employeeId: 'abc', email: 'x@y.z' } }, reference).at(-1);
    expect(plan).toMatchObject({ sent: false, outcome: { status: 'INVALID' } });
  });
});

describe('formatAddress', () => {
  it('skips empty parts', () => {
    expect(formatAddress({ street: null, postalCode: '80331', city: 'München', country: null })).toBe('80331 München');
    expect(formatAddress({ street: ' ', postalCode: null, city: null, country: null })).toBeNull();
  });
});

describe('createOutcomes', () => {
  const plans = planFields(alexander, reference);
  const noNotices = assignNotices([], []);

  it('confirms every field read back from the recorded employee', () => {
    const outcomes = createOutcomes(plans, { readBack: recordedEmployee, readableAttributes: new Set(reference.readableAttributes), notices: noNotices });
    const byField = Object.fromEntries(outcomes.map((outcome) => [outcome.field, outcome.status]));
    expect(byField).toEqual({
      firstName: 'SENT',
      lastName: 'SENT',
      email: 'SENT',
      preferredName: 'SENT',
      gender: 'SENT',
      position: 'SENT',
      department: 'SENT',
      office: 'SENT',
      subcompany: 'SENT',
      startDate: 'SENT',
      weeklyHours: 'SENT',
      supervisor: 'SENT',
      dateOfBirth: 'SENT',
      employmentType: 'NOT_SUPPORTED',
    });
  });

  it('marks a different stored value as ignored', () => {
    const outcomes = createOutcomes(planFields({ ...alexander, position: 'CEO' }, reference), {
      readBack: recordedEmployee,
      readableAttributes: new Set(reference.readableAttributes),
      notices: noNotices,
    });
    const position = outcomes.find((outcome) => outcome.field === 'position');
    expect(position).toMatchObject({ status: 'IGNORED_BY_HRIS', value: 'CEO' });
    expect(position?.reason).toContain('"CTO"');
  });

  it('marks unreadable attributes unverified', () => {
    const { position: _position, ...withoutPosition } = recordedEmployee;
    const readable = new Set(reference.readableAttributes.filter((key) => key !== 'position'));
    const outcomes = createOutcomes(plans, { readBack: withoutPosition, readableAttributes: readable, notices: noNotices });
    const position = outcomes.find((outcome) => outcome.field === 'position');
    expect(position?.status).toBe('UNVERIFIED');
    expect(position?.reason).toContain('readable employee attributes');
  });

  it('marks every sent field unverified when the read-back failed', () => {
    const outcomes = createOutcomes(plans, { readBack: null, readableAttributes: new Set(), notices: noNotices });
    expect(outcomes.filter((outcome) => outcome.field !== 'employmentType').every((outcome) => outcome.status === 'UNVERIFIED')).toBe(true);
  });

  it('marks the field a notice names as ignored', () => {
    const notices = assignNotices(["Department 'Engneering' does not exist and was ignored."], sentFields(plans));
    const outcomes = createOutcomes(plans, { readBack: recordedEmployee, readableAttributes: new Set(reference.readableAttributes), notices });
    const department = outcomes.find((outcome) => outcome.field === 'department');
    expect(department?.status).toBe('IGNORED_BY_HRIS');
    expect(department?.reason).toContain('Engneering');
  });
});

describe('decideUpdate', () => {
  const readable = new Set(reference.readableAttributes);
  const fieldsOf = (hire: NewHire) => sentFields(planFields(hire, reference));

  it('leaves equal values unchanged and sends different ones', () => {
    const fields = fieldsOf({ ...alexander, position: 'CEO', weeklyHours: 40 });
    const decisions = fields.map((field) => decideUpdate(field, recordedEmployee, readable));
    const position = decisions.find((decision) => decision.action === 'send');
    expect(position).toMatchObject({ action: 'send', previousValue: 'CTO', field: { field: 'position' } });
    expect(decisions.filter((decision) => decision.action === 'send')).toHaveLength(1);
  });

  it('never sends the email', () => {
    const [email] = fieldsOf({ firstName: 'A', lastName: 'B', email: 'new@demo.email' }).filter((field) => field.field === 'email');
    expect(email).toBeDefined();
    if (email !== undefined) {
      expect(decideUpdate(email, recordedEmployee, readable)).toMatchObject({ action: 'skip', outcome: { status: 'NOT_SUPPORTED' } });
      const sameEmail = { ...email, payloadValue: 'Alexander.Bergmann@demo.email' };
      expect(decideUpdate(sameEmail, recordedEmployee, readable)).toMatchObject({ action: 'skip', outcome: { status: 'UNCHANGED' } });
    }
  });
});
