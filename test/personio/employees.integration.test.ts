import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FieldOutcome, NewHire, ReferenceData } from '../../src/hris/index.ts';
import { ACME, type RunningSandbox } from '../../plugins/personio/sandbox/index.ts';
import { connect, expectOk, referenceOf, startSandbox } from './sandbox-harness.ts';

let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox();
});
afterEach(() => sandbox.control.reset());
afterAll(async () => {
  await sandbox.stop();
});

function newHire(reference: ReferenceData, overrides: Partial<NewHire> = {}): NewHire {
  const engineering = reference.departments.find((department) => department.name === 'Engineering');
  const berlin = reference.offices.find((office) => office.name === 'Berlin');
  if (engineering === undefined || berlin === undefined) {
    throw new Error('The sandbox fixtures lack Engineering or Berlin.');
  }
  return {
    firstName: 'Zoë',
    lastName: 'Schäfer',
    email: 'zoe.schaefer@acme.example',
    preferredName: 'Zoë',
    gender: 'FEMALE',
    position: 'Backend Engineer',
    department: engineering,
    office: berlin,
    startDate: '2025-09-01',
    weeklyHours: 32,
    supervisor: { employeeId: String(ACME.employees.jonasBecker), email: 'jonas.becker@acme.example' },
    dateOfBirth: '1994-05-17',
    employmentType: 'FULL_TIME',
    ...overrides,
  };
}

function statuses(fields: FieldOutcome[]): Record<string, string> {
  return Object.fromEntries(fields.map((field) => [field.field, field.status]));
}

function employeesWithEmail(email: string) {
  return sandbox.control.employees().filter((employee) => employee.email.toLowerCase() === email.toLowerCase());
}

describe('referenceData', () => {
  it('collects org units, custom attributes and categories', async () => {
    const reference = await referenceOf(connect(sandbox).session);
    expect(reference.departments.map((department) => department.name)).toEqual(
      expect.arrayContaining(['Engineering', 'Sales', 'People']),
    );
    expect(reference.departments.find((department) => department.name === 'Engineering')?.id).toBe(String(ACME.departments.engineering));
    expect(reference.offices.map((office) => office.name)).toEqual(expect.arrayContaining(['Berlin', 'Munich']));
    expect(reference.subcompanies.length).toBeGreaterThan(0);
    expect(reference.customAttributes.find((attribute) => attribute.label === 'T-shirt size')).toEqual({
      key: 'dynamic_4002',
      label: 'T-shirt size',
      type: 'list',
      options: ['XS', 'S', 'M', 'L', 'XL'],
    });
    expect(reference.documentCategories).toContainEqual({ id: String(ACME.documentCategories.cv), name: 'CV' });
    expect(reference.readableAttributes).toEqual(expect.arrayContaining(['email', 'first_name', 'department']));
    const projection = sandbox.control.requests({ route: 'employees.list' })[0]?.query['attributes[]'];
    expect(projection).toEqual(['department', 'office', 'subcompany']);
  });

  it('returns no categories when documents are not readable', async () => {
    sandbox.control.addCredential({
      clientId: 'no-documents',
      clientSecret: 'no-documents-secret',
      companyId: ACME.companyId,
      rights: { employees: { read: true, write: true } },
    });
    const { session, logs } = connect(sandbox, { credentials: { clientId: 'no-documents', clientSecret: 'no-documents-secret', appId: 'acme-gmbh' } });
    const reference = await referenceOf(session);
    expect(reference.documentCategories).toEqual([]);
    expect(reference.departments.length).toBeGreaterThan(0);
    expect(logs.some((line) => line.level === 'warn' && line.message.includes('document categories'))).toBe(true);
  });
});

describe('findEmployeeByEmail', () => {
  it('matches case-insensitively', async () => {
    const { session } = connect(sandbox);
    const found = expectOk(await session.findEmployeeByEmail('CHIDI.OKAFOR@acme.example'));
    expect(found).toEqual({ employeeId: String(ACME.employees.chidiOkafor), email: 'Chidi.Okafor@acme.example', firstName: 'Chidi', lastName: 'Okafor' });
  });

  it('finds a lower-case email through an exact-case filter', async () => {
    sandbox.control.setBehaviour({ emailFilter: 'exact' });
    const { session } = connect(sandbox);
    const found = expectOk(await session.findEmployeeByEmail('Katrin.Vogel@ACME.example'));
    expect(found?.employeeId).toBe(String(ACME.employees.katrinVogel));
    expect(sandbox.control.requests({ route: 'employees.list' }).map((request) => request.query.email)).toEqual([
      'Katrin.Vogel@ACME.example',
      'katrin.vogel@acme.example',
    ]);
  });

  it('treats +tags as significant', async () => {
    const { session } = connect(sandbox);
    expect(expectOk(await session.findEmployeeByEmail('katrin.vogel+hr@acme.example'))).toBeNull();
    expect(sandbox.control.requests({ route: 'employees.list' })[0]?.query.email).toBe('katrin.vogel+hr@acme.example');
  });

  it('returns null for an unknown email', async () => {
    expect(expectOk(await connect(sandbox).session.findEmployeeByEmail('nobody@acme.example'))).toBeNull();
  });

  it('prefers the exact-case match among several', async () => {
    sandbox.control.setBehaviour({ duplicateEmail: 'create' });
    const { session } = connect(sandbox);
    const reference = await referenceOf(session);
    const upper = expectOk(await session.createEmployee(newHire(reference, { email: 'Twin@acme.example' }), reference));
    const lower = expectOk(await session.createEmployee(newHire(reference, { email: 'twin@acme.example' }), reference));
    expect(expectOk(await session.findEmployeeByEmail('twin@acme.example'))?.employeeId).toBe(lower.employeeId);
    expect(expectOk(await session.findEmployeeByEmail('Twin@acme.example'))?.employeeId).toBe(upper.employeeId);
  });

  it('reports a missing email attribute instead of finding nobody', async () => {
    sandbox.control.addCredential({
      clientId: 'no-email',
      clientSecret: 'no-email-secret',
      companyId: ACME.companyId,
      rights: { employees: { read: true, write: true } },
      readableAttributes: ['first_name', 'last_name'],
    });
    const { session } = connect(sandbox, { credentials: { clientId: 'no-email', clientSecret: 'no-email-secret', appId: 'acme-gmbh' } });
    const result = await session.findEmployeeByEmail('katrin.vogel@acme.example');
    expect(result).toMatchObject({ ok: false, failure: { kind: 'MISSING_PERMISSION', permission: 'attribute:email' } });
  });
});

describe('createEmployee', () => {
  it('creates the employee and confirms every field by reading it back', async () => {
    const { session } = connect(sandbox);
    const reference = await referenceOf(session);
    const write = expectOk(await session.createEmployee(newHire(reference), reference));

    expect(statuses(write.fields)).toEqual({
      firstName: 'SENT',
      lastName: 'SENT',
      email: 'SENT',
      preferredName: 'SENT',
      gender: 'SENT',
      position: 'SENT',
      department: 'SENT',
      office: 'SENT',
      startDate: 'SENT',
      weeklyHours: 'SENT',
      supervisor: 'SENT',
      dateOfBirth: 'SENT',
      employmentType: 'NOT_SUPPORTED',
    });
    const stored = sandbox.control.employee(Number(write.employeeId));
    expect(stored).toMatchObject({
      email: 'zoe.schaefer@acme.example',
      firstName: 'Zoë',
      departmentId: ACME.departments.engineering,
      officeId: ACME.offices.berlin,
      supervisorId: ACME.employees.jonasBecker,
      hireDate: '2025-09-01',
      weeklyWorkingHours: 32,
      customAttributes: { dynamic_4003: '1994-05-17' },
    });
    const body = sandbox.control.requests({ route: 'employees.create' })[0]?.body;
    expect(body).toMatchObject({ kind: 'json', value: { employee: { gender: 'female', supervisor_id: ACME.employees.jonasBecker } } });
  });

  it('marks a department Personio ignored with a notice', async () => {
    const { session } = connect(sandbox);
    const reference = await referenceOf(session);
    const write = expectOk(await session.createEmployee(newHire(reference, { department: { id: 'x', name: 'Engneering' } }), reference));
    const department = write.fields.find((field) => field.field === 'department');
    expect(department).toMatchObject({ status: 'IGNORED_BY_HRIS', value: 'Engneering' });
    expect(department?.reason).toContain('Engneering');
    expect(statuses(write.fields).office).toBe('SENT');
  });

  it('marks fields the credential cannot read as unverified', async () => {
    sandbox.control.addCredential({
      clientId: 'narrow-read',
      clientSecret: 'narrow-read-secret',
      companyId: ACME.companyId,
      rights: { employees: { read: true, write: true } },
      readableAttributes: ['email', 'first_name', 'last_name'],
    });
    const { session } = connect(sandbox, { credentials: { clientId: 'narrow-read', clientSecret: 'narrow-read-secret', appId: 'acme-gmbh' } });
    const reference = await referenceOf(session);
    const fullReference = await referenceOf(connect(sandbox).session);
    const write = expectOk(await session.createEmployee(newHire(fullReference), reference));
    expect(statuses(write.fields)).toMatchObject({ firstName: 'SENT', email: 'SENT', position: 'UNVERIFIED', department: 'UNVERIFIED' });
  });

  it('returns CONFLICT for an email that already exists', async () => {
    const { session } = connect(sandbox);
    const reference = await referenceOf(session);
    const result = await session.createEmployee(newHire(reference, { email: 'Katrin.Vogel@acme.example' }), reference);
    expect(result).toMatchObject({ ok: false, failure: { kind: 'CONFLICT', existingEmployeeId: String(ACME.employees.katrinVogel) } });
    expect(employeesWithEmail('katrin.vogel@acme.example')).toHaveLength(1);
  });

  it('names the supervisor when Personio rejects an unknown one', async () => {
    const { session } = connect(sandbox);
    const reference = await referenceOf(session);
    const result = await session.createEmployee(newHire(reference, { supervisor: { employeeId: '99999', email: 'ghost@acme.example' } }), reference);
    expect(result).toMatchObject({ ok: false, failure: { kind: 'REJECTED', field: 'supervisor' } });
  });

  it('creates exactly one employee when the response comes after the timeout', async () => {
    const { session, logs } = connect(sandbox, { variables: { PERSONIO_TIMEOUT_MS: '300' } });
    const reference = await referenceOf(session);
    sandbox.control.respondLate('employees.create', { delayMs: 1000 });
    const write = expectOk(await session.createEmployee(newHire(reference), reference));
    expect(employeesWithEmail('zoe.schaefer@acme.example')).toHaveLength(1);
    expect(write.employeeId).toBe(String(employeesWithEmail('zoe.schaefer@acme.example')[0]?.id));
    expect(statuses(write.fields).department).toBe('SENT');
    expect(sandbox.control.requests({ route: 'employees.create' })).toHaveLength(1);
    expect(logs.some((line) => line.message.includes('looking the email up'))).toBe(true);
  });

  it('creates exactly one employee when the connection drops after the commit', async () => {
    const { session } = connect(sandbox);
    const reference = await referenceOf(session);
    sandbox.control.resetConnection('employees.create', { afterHandler: true });
    expectOk(await session.createEmployee(newHire(reference), reference));
    expect(employeesWithEmail('zoe.schaefer@acme.example')).toHaveLength(1);
    expect(sandbox.control.requests({ route: 'employees.create' })).toHaveLength(1);
  });

  it('reports UNAVAILABLE without creating when a server error came before the commit', async () => {
    const { session } = connect(sandbox);
    const reference = await referenceOf(session);
    sandbox.control.fail('employees.create', { status: 500 });
    const result = await session.createEmployee(newHire(reference), reference);
    expect(result).toMatchObject({ ok: false, failure: { kind: 'UNAVAILABLE', timedOut: false } });
    expect(employeesWithEmail('zoe.schaefer@acme.example')).toHaveLength(0);
    expect(sandbox.control.requests({ route: 'employees.create' })).toHaveLength(1);
  });

  it('repeats a create that was answered with 429', async () => {
    const { session } = connect(sandbox);
    const reference = await referenceOf(session);
    sandbox.control.fail('employees.create', { status: 429 });
    expectOk(await session.createEmployee(newHire(reference), reference));
    expect(employeesWithEmail('zoe.schaefer@acme.example')).toHaveLength(1);
    expect(sandbox.control.requests({ route: 'employees.create' })).toHaveLength(2);
  });

  it.each([403, 401] as const)('returns MISSING_PERMISSION when the credential cannot write (HTTP %i)', async (status) => {
    sandbox.control.setBehaviour({ missingRightStatus: status });
    sandbox.control.addCredential({
      clientId: 'read-only',
      clientSecret: 'read-only-secret',
      companyId: ACME.companyId,
      rights: { employees: { read: true }, documents: { read: true } },
    });
    const { session } = connect(sandbox, { credentials: { clientId: 'read-only', clientSecret: 'read-only-secret', appId: 'acme-gmbh' } });
    const reference = await referenceOf(session);
    const result = await session.createEmployee(newHire(reference), reference);
    expect(result).toMatchObject({ ok: false, failure: { kind: 'MISSING_PERMISSION', permission: 'employees:write' } });
    if (!result.ok && result.failure.kind === 'MISSING_PERMISSION') {
      expect(result.failure.remediation).toContain('tick Employees: Write');
    }
    expect(employeesWithEmail('zoe.schaefer@acme.example')).toHaveLength(0);
  });
});

describe('updateEmployee', () => {
  it('sends only changed fields and reports previous values', async () => {
    const { session } = connect(sandbox);
    const reference = await referenceOf(session);
    const jonas = String(ACME.employees.jonasBecker);
    const sales = reference.departments.find((department) => department.name === 'Sales');
    const write = expectOk(
      await session.updateEmployee(
        jonas,
        { firstName: 'Jonas', lastName: 'Becker', email: 'jonas.becker@acme.example', position: 'CTO', department: sales, weeklyHours: 40 },
        reference,
      ),
    );
    expect(write.fields).toEqual([
      { field: 'firstName', status: 'UNCHANGED', value: 'Jonas', previousValue: 'Jonas', reason: null },
      { field: 'lastName', status: 'UNCHANGED', value: 'Becker', previousValue: 'Becker', reason: null },
      { field: 'email', status: 'UNCHANGED', value: 'jonas.becker@acme.example', previousValue: 'jonas.becker@acme.example', reason: null },
      { field: 'position', status: 'UPDATED', value: 'CTO', previousValue: 'VP Engineering', reason: null },
      { field: 'department', status: 'UPDATED', value: 'Sales', previousValue: 'Engineering', reason: null },
      { field: 'weeklyHours', status: 'UNCHANGED', value: '40', previousValue: '40', reason: null },
    ]);
    const patch = sandbox.control.requests({ route: 'employees.update' });
    expect(patch).toHaveLength(1);
    expect(patch[0]?.body).toEqual({ kind: 'json', value: { employee: { position: 'CTO', department: 'Sales' } } });
  });

  it('skips the PATCH when nothing changed and never sends the email', async () => {
    const { session } = connect(sandbox);
    const reference = await referenceOf(session);
    const write = expectOk(
      await session.updateEmployee(String(ACME.employees.katrinVogel), { firstName: 'Katrin', lastName: 'Vogel', email: 'katrin.new@acme.example' }, reference),
    );
    expect(statuses(write.fields)).toEqual({ firstName: 'UNCHANGED', lastName: 'UNCHANGED', email: 'NOT_SUPPORTED' });
    expect(sandbox.control.requests({ route: 'employees.update' })).toHaveLength(0);
  });

  it('repeats the PATCH after a server error', async () => {
    const { session } = connect(sandbox);
    const reference = await referenceOf(session);
    sandbox.control.fail('employees.update', { status: 500 });
    const write = expectOk(
      await session.updateEmployee(String(ACME.employees.jonasBecker), { firstName: 'Jonas', lastName: 'Becker', email: 'jonas.becker@acme.example', position: 'CTO' }, reference),
    );
    expect(statuses(write.fields).position).toBe('UPDATED');
    expect(sandbox.control.requests({ route: 'employees.update' })).toHaveLength(2);
  });

  it('rejects an unknown employee id', async () => {
    const { session } = connect(sandbox);
    const reference = await referenceOf(session);
    const result = await session.updateEmployee('424242', { firstName: 'A', lastName: 'B', email: 'a@b.c' }, reference);
    expect(result).toMatchObject({ ok: false, failure: { kind: 'REJECTED', field: null } });
  });
});

describe('employeeUrl', () => {
  it('links to the profile on the company subdomain', () => {
    const { session } = connect(sandbox);
    expect(session.employeeUrl('1011')).toBe('https://acme-gmbh.personio.de/staff/details/1011');
    expect(session.employeeUrl('../admin')).toBeNull();
  });
});
