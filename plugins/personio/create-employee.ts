import {
  failure,
  success,
  type EmployeeWrite,
  type HrisLogger,
  type HrisResult,
  type NewHire,
  type ReferenceData,
} from '../../src/hris/index.ts';
import { findEmployeeByEmail, getEmployee } from './employee-lookup.ts';
import { toFailure, type FailureContext } from './failures.ts';
import { describeApiError, type PersonioApiError } from './http/api-error.ts';
import type { Clock } from './http/clock.ts';
import type { PersonioHttpClient } from './http/client.ts';
import { buildEmployeeBody, planFields, sentFields, type FieldPlan, type SentField } from './mapping.ts';
import { assignNotices, type NoticeAssignment } from './meta-notices.ts';
import { createOutcomes } from './outcomes.ts';
import { PERMISSIONS } from './permissions.ts';
import { employeeCreatedSchema } from './schemas.ts';

/**
 * Waits before each email lookup after a create whose response was lost. A create that Personio
 * is still committing may appear a moment later, so the lookup is repeated before giving up.
 */
const LOOKUP_DELAYS_MS = [0, 1_000, 3_000];

/** Personio request fields named in `error_data`, as neutral field names. */
export const EMPLOYEE_FIELD_NAMES: Readonly<Record<string, string>> = {
  first_name: 'firstName',
  last_name: 'lastName',
  preferred_name: 'preferredName',
  email: 'email',
  gender: 'gender',
  position: 'position',
  department: 'department',
  office: 'office',
  subcompany: 'subcompany',
  hire_date: 'startDate',
  weekly_working_hours: 'weeklyHours',
  supervisor_id: 'supervisor',
};

export interface WriteContext {
  client: PersonioHttpClient;
  logger: HrisLogger;
  clock: Clock;
}

const CREATE_CONTEXT: FailureContext = { action: 'create the employee', permission: PERMISSIONS.employeesWrite, fieldNames: EMPLOYEE_FIELD_NAMES };

/**
 * Creates an employee with `POST /v1/company/employees` and reports one outcome per hire field.
 * The create is never repeated blindly: after a timeout, server error or unreadable response the
 * email is looked up, and an employee found there is the created one.
 */
export async function createEmployee(context: WriteContext, hire: NewHire, reference: ReferenceData): Promise<HrisResult<EmployeeWrite>> {
  const plans = planFields(hire, reference);
  const fields = sentFields(plans);
  const result = await context.client.send(
    { method: 'POST', path: '/v1/company/employees', json: buildEmployeeBody(fields), idempotent: false },
    employeeCreatedSchema,
  );

  if (result.ok) {
    const notices = assignNotices(result.value.meta, fields);
    logNotices(context.logger, result.value.data.id, notices);
    return success(await describeWrite(context, result.value.data.id, plans, reference, notices));
  }

  const { error } = result;
  if (error.kind === 'http' && error.stage === 'request' && error.status === 422) {
    return rejectedCreate(context, hire, fields, error);
  }
  if (error.stage === 'request' && responseLost(error)) {
    return recoverLostCreate(context, hire, plans, reference, error);
  }
  return failure(toFailure(error, CREATE_CONTEXT));
}

/** True when Personio may have created the employee although the client saw no success. */
function responseLost(error: PersonioApiError): boolean {
  return error.kind === 'timeout' || error.kind === 'network' || error.kind === 'invalid-response' || (error.kind === 'http' && error.status >= 500);
}

async function recoverLostCreate(
  context: WriteContext,
  hire: NewHire,
  plans: FieldPlan[],
  reference: ReferenceData,
  error: PersonioApiError,
): Promise<HrisResult<EmployeeWrite>> {
  context.logger.warn({ reason: error.kind, status: 'status' in error ? error.status : null }, 'Personio create returned no usable response; looking the email up');

  for (const delayMs of LOOKUP_DELAYS_MS) {
    if (delayMs > 0) {
      await context.clock.sleep(delayMs);
    }
    const lookup = await findEmployeeByEmail(context.client, hire.email, context.logger);
    if (!lookup.ok) {
      return failure({
        kind: 'UNAVAILABLE',
        timedOut: error.kind === 'timeout',
        message:
          `Personio request to create the employee failed (${describeApiError(error)}), and looking the email up afterwards failed too (${lookup.failure.message}). ` +
          'The employee may exist; the next export looks the email up before creating.',
      });
    }
    if (lookup.value !== null) {
      context.logger.info({ employeeId: lookup.value.employeeId }, 'Personio created the employee although its response was lost');
      return success(await describeWrite(context, lookup.value.employeeId, plans, reference, assignNotices([], [])));
    }
  }

  return failure({
    kind: 'UNAVAILABLE',
    timedOut: error.kind === 'timeout',
    message:
      `Personio request to create the employee failed (${describeApiError(error)}), and no employee with this email exists in Personio. ` +
      'Try the export again; it looks the email up before creating.',
  });
}

/**
 * Explains a 422. A duplicate email is a CONFLICT with the existing employee. Otherwise the field is
 * taken from `error_data`, or found by checking the supervisor, the one reference Personio's spec
 * says makes a create fail.
 */
async function rejectedCreate(
  context: WriteContext,
  hire: NewHire,
  fields: SentField[],
  error: Extract<PersonioApiError, { kind: 'http' }>,
): Promise<HrisResult<EmployeeWrite>> {
  const existing = await findEmployeeByEmail(context.client, hire.email, context.logger);
  if (existing.ok && existing.value !== null) {
    return failure({
      kind: 'CONFLICT',
      existingEmployeeId: existing.value.employeeId,
      message: `Personio already has an employee with the email ${existing.value.email ?? hire.email} (id ${existing.value.employeeId}).`,
    });
  }

  const rejected = toFailure(error, CREATE_CONTEXT);
  const supervisor = fields.find((field) => field.field === 'supervisor');
  if (rejected.kind !== 'REJECTED' || rejected.field !== null || supervisor === undefined) {
    return failure(rejected);
  }

  const found = await getEmployee(context.client, supervisor.text);
  if (!found.ok && found.error.kind === 'http' && found.error.status === 404) {
    return failure({
      kind: 'REJECTED',
      field: 'supervisor',
      message: `${rejected.message} No Personio employee has the supervisor's id ${supervisor.text}; choose an existing supervisor.`,
    });
  }
  return failure(rejected);
}

/** Reads the employee back and turns the evidence into outcomes. */
export async function describeWrite(
  context: WriteContext,
  employeeId: string,
  plans: FieldPlan[],
  reference: ReferenceData,
  notices: NoticeAssignment,
): Promise<EmployeeWrite> {
  const readBack = await getEmployee(context.client, employeeId);
  if (!readBack.ok) {
    context.logger.warn({ employeeId, reason: readBack.error.kind }, 'Reading the Personio employee back failed; field values stay unverified');
  }
  const fields = createOutcomes(plans, {
    readBack: readBack.ok ? readBack.value : null,
    readableAttributes: new Set(reference.readableAttributes),
    notices,
  });
  return { employeeId, fields };
}

export function logNotices(logger: HrisLogger, employeeId: string, notices: NoticeAssignment): void {
  if (notices.byField.size > 0) {
    logger.info({ employeeId, fields: [...notices.byField.keys()] }, 'Personio ignored fields of the employee');
  }
  if (notices.unassigned.length > 0) {
    logger.warn({ employeeId, notices: notices.unassigned }, 'Personio returned notices that name no sent field');
  }
}
