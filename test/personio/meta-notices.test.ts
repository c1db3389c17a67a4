import { describe, expect, it } from 'vitest';
import type { ReferenceData } from '../../src/hris/index.ts';
import { planFields, sentFields } from '../../plugins/personio/mapping.ts';
import { assignNotices } from '../../plugins/personio/meta-notices.ts';

const reference: ReferenceData = {
  departments: [],
  offices: [],
  subcompanies: [],
  customAttributes: [{ key: 'dynamic_7', label: 'Mobile phone', type: 'standard', options: [] }],
  documentCategories: [],
  readableAttributes: [],
};

const fields = sentFields(
  planFields(
    {
      firstName: 'Zoë',
      lastName: 'Müller',
      email: 'zoe@example.com',
      department: { id: 'x', name: 'Engneering' },
      office: { id: 'y', name: 'Atlantis' },
      phone: '+49 1',
    },
    reference,
  ),
);

describe('assignNotices', () => {
  it.each([
    ['The department "Engneering" does not exist.', 'department'],
    ['Office Atlantis was not found and has been ignored', 'office'],
    ['Die Abteilung existiert nicht.', 'department'],
    ['Unknown value "Atlantis".', 'office'],
    ['dynamic_7 is not writable', 'phone'],
  ])('assigns %j to %s', (notice, field) => {
    const { byField, unassigned } = assignNotices([notice], fields);
    expect([...byField.keys()]).toEqual([field]);
    expect(unassigned).toEqual([]);
  });

  it('keeps notices that name no field or several', () => {
    const notices = ['Something was ignored.', 'Department and office were ignored.'];
    const { byField, unassigned } = assignNotices(notices, fields);
    expect(byField.size).toBe(0);
    expect(unassigned).toEqual(notices);
  });
});
