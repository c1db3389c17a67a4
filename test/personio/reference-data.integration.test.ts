import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_COMPANIES_CONFIG, DEFAULT_CREDENTIAL, type RunningSandbox } from '../../plugins/personio/sandbox/index.ts';
import { connect, referenceOf, startSandbox } from './sandbox-harness.ts';

let sandbox: RunningSandbox;

/** 230 employees; only the last one works in the "Legal" department, on the third page. */
function largeCompany() {
  const company = DEFAULT_COMPANIES_CONFIG.companies[0];
  if (company === undefined) {
    throw new Error('The sandbox has no default company.');
  }
  const employees = Array.from({ length: 230 }, (_, index) => ({
    id: 5000 + index,
    email: `employee.${index}@bulk.example`,
    firstName: 'Bulk',
    lastName: `Employee ${index}`,
    department: index === 229 ? 'Legal' : 'Engineering',
    office: 'Berlin',
  }));
  return {
    companies: [{ ...company, departments: [...(company.departments ?? []), { id: 199, name: 'Legal' }], employees }],
    credentials: [DEFAULT_CREDENTIAL],
  };
}

beforeAll(async () => {
  sandbox = await startSandbox({ config: largeCompany() });
});
afterAll(async () => {
  await sandbox.stop();
});

describe('referenceData paging', () => {
  it('reads every page of employees for org units', async () => {
    const reference = await referenceOf(connect(sandbox).session);
    expect(reference.departments).toEqual([
      { id: expect.any(String), name: 'Engineering' },
      { id: '199', name: 'Legal' },
    ]);
    const pages = sandbox.control.requests({ route: 'employees.list' }).map((request) => request.query.offset);
    expect(pages).toEqual(['0', '100', '200']);
  });
});
