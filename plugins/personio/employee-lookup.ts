import { failure, success, type EmployeeRecord, type HrisLogger, type HrisResult } from '../../src/hris/index.ts';
import { employeeIdOf, readValue } from './employee-values.ts';
import { toFailure } from './failures.ts';
import type { ApiResult } from './http/api-error.ts';
import type { PersonioHttpClient } from './http/client.ts';
import { PERMISSIONS } from './permissions.ts';
import { employeeListSchema, employeeResponseSchema, type EmployeeAttributes } from './schemas.ts';

/**
 * Finds the employee with this email. Personio's `email` filter is sent, and the result is compared
 * again case-insensitively with `+tags` kept, so `ada+hr@example.com` never matches `ada@example.com`.
 * When several employees match, the one whose email has the same letter case wins.
 *
 * NOTE: Personio does not document whether its `email` filter ignores case. A mixed-case email
 * without a match is therefore looked up again in lower case. A Personio email stored in mixed
 * case is still missed when the filter compares exactly and the ATS spells it differently.
 */
export async function findEmployeeByEmail(client: PersonioHttpClient, email: string, logger: HrisLogger): Promise<HrisResult<EmployeeRecord | null>> {
  const expectedEmail = email.trim();
  const queries = [...new Set([expectedEmail, expectedEmail.toLowerCase()])];

  for (const query of queries) {
    const result = await client.send(
      { method: 'GET', path: '/v1/company/employees', query: [['email', query]], idempotent: true },
      employeeListSchema,
    );
    if (!result.ok) {
      return failure(toFailure(result.error, { action: 'look up an employee by email', permission: PERMISSIONS.employeesRead }));
    }

    const employees = result.value.data.map((employee) => toRecord(employee.attributes));
    if (employees.length > 0 && employees.every((employee) => employee.email === null)) {
      return failure({
        kind: 'MISSING_PERMISSION',
        permission: PERMISSIONS.email.key,
        message: 'Personio returned employees without their email, so duplicates cannot be detected.',
        remediation: PERMISSIONS.email.remediation,
      });
    }

    const match = chooseMatch(employees, expectedEmail, logger);
    if (match !== null) {
      return match.employeeId === ''
        ? failure({ kind: 'UNAVAILABLE', timedOut: false, message: 'Personio returned an employee without an id; try again later.' })
        : success(match);
    }
  }
  return success(null);
}

/** Picks the employee whose email equals the expected one ignoring case, preferring the same letter case. */
function chooseMatch(employees: readonly EmployeeRecord[], expectedEmail: string, logger: HrisLogger): EmployeeRecord | null {
  const matches = employees.filter((employee) => employee.email?.toLowerCase() === expectedEmail.toLowerCase());
  const match = matches.find((employee) => employee.email === expectedEmail) ?? matches[0];
  if (match === undefined) {
    return null;
  }
  if (matches.length > 1) {
    logger.warn({ employeeIds: matches.map((employee) => employee.employeeId), chosenEmployeeId: match.employeeId }, 'Several Personio employees have the same email');
  }
  return match;
}

function toRecord(attributes: EmployeeAttributes): EmployeeRecord {
  return {
    employeeId: employeeIdOf(attributes) ?? '',
    email: readValue('text', attributes.email),
    firstName: readValue('text', attributes.first_name),
    lastName: readValue('text', attributes.last_name),
  };
}

/** Reads one employee with every attribute the credential may read. */
export async function getEmployee(client: PersonioHttpClient, employeeId: string): Promise<ApiResult<EmployeeAttributes>> {
  const result = await client.send(
    { method: 'GET', path: `/v1/company/employees/${encodeURIComponent(employeeId)}`, idempotent: true },
    employeeResponseSchema,
  );
  return result.ok ? { ok: true, value: result.value.data.attributes } : result;
}
