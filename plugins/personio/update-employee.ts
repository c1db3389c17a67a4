import { failure, success, type EmployeeWrite, type FieldOutcome, type HrisResult, type NewHire, type ReferenceData } from '../../src/hris/index.ts';
import { EMPLOYEE_FIELD_NAMES, logNotices, type WriteContext } from './create-employee.ts';
import { getEmployee } from './employee-lookup.ts';
import { toFailure } from './failures.ts';
import { buildEmployeeBody, planFields } from './mapping.ts';
import { assignNotices } from './meta-notices.ts';
import { decideUpdate, updatedOutcome, type UpdateDecision } from './outcomes.ts';
import { PERMISSIONS } from './permissions.ts';
import { employeeUpdatedSchema } from './schemas.ts';

type Decision = UpdateDecision | { action: 'not-sent'; outcome: FieldOutcome };

/**
 * Updates an employee with `PATCH /v1/company/employees/{id}`, sending only fields whose Personio value
 * differs, then reads the employee back to confirm them. The PATCH sets absolute values, so repeating
 * it after a timeout or server error is harmless.
 */
export async function updateEmployee(context: WriteContext, employeeId: string, hire: NewHire, reference: ReferenceData): Promise<HrisResult<EmployeeWrite>> {
  if (!/^\d+$/.test(employeeId)) {
    return failure({ kind: 'REJECTED', field: null, message: `"${employeeId}" is not a Personio employee id; Personio ids are numbers.` });
  }

  const current = await getEmployee(context.client, employeeId);
  if (!current.ok) {
    if (current.error.kind === 'http' && current.error.stage === 'request' && current.error.status === 404) {
      return failure({ kind: 'REJECTED', field: null, message: `No Personio employee has the id ${employeeId}; it may have been deleted in Personio.` });
    }
    return failure(toFailure(current.error, { action: 'read the employee', permission: PERMISSIONS.employeesRead }));
  }

  const readable = new Set(reference.readableAttributes);
  const decisions: Decision[] = planFields(hire, reference).map((plan) =>
    plan.sent ? decideUpdate(plan.target, current.value, readable) : { action: 'not-sent', outcome: plan.outcome },
  );
  const changes = decisions.flatMap((decision) => (decision.action === 'send' ? [decision] : []));
  if (changes.length === 0) {
    return success({ employeeId, fields: decisions.flatMap((decision) => (decision.action === 'send' ? [] : [decision.outcome])) });
  }

  const changedFields = changes.map((change) => change.field);
  const result = await context.client.send(
    {
      method: 'PATCH',
      path: `/v1/company/employees/${employeeId}`,
      json: buildEmployeeBody(changedFields),
      idempotent: true,
    },
    employeeUpdatedSchema,
  );
  if (!result.ok) {
    return failure(toFailure(result.error, { action: 'update the employee', permission: PERMISSIONS.employeesWrite, fieldNames: EMPLOYEE_FIELD_NAMES }));
  }

  const notices = assignNotices(result.value.meta, changedFields);
  logNotices(context.logger, employeeId, notices);
  const readBack = await getEmployee(context.client, employeeId);
  if (!readBack.ok) {
    context.logger.warn({ employeeId, reason: readBack.error.kind }, 'Reading the Personio employee back failed; field values stay unverified');
  }
  const evidence = { readBack: readBack.ok ? readBack.value : null, readableAttributes: readable, notices };
  return success({
    employeeId,
    fields: decisions.map((decision) => (decision.action === 'send' ? updatedOutcome(decision, evidence) : decision.outcome)),
  });
}
