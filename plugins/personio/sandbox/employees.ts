import { describeReadableAttributes, readableAttributeKeys, renderEmployee } from "./employee-attributes.ts";
import { employeeObject, validateEmployeeWrite, type EmployeeChanges } from "./employee-write.ts";
import { jsonResponse, v1Error, type SandboxResponse } from "./http-io.ts";
import { requireAuth, type HandlerContext } from "./runtime.ts";
import type { EmployeeRecord } from "./state.ts";
import { localDate } from "./time-format.ts";

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 50;

/** Message of the v1 404 for an unknown employee id, trailing space included. */
export const EMPLOYEE_NOT_FOUND_MESSAGE = "Es ist ein Problem aufgetreten ";

type PageResult = { ok: true; limit: number; offset: number } | { ok: false; response: SandboxResponse };

function parsePage(context: HandlerContext): PageResult {
  const params = context.url.searchParams;
  const rawLimit = params.get("limit");
  const rawOffset = params.get("offset");
  let limit = DEFAULT_PAGE_SIZE;
  if (rawLimit !== null && rawLimit !== "") {
    limit = Number(rawLimit);
    if (!Number.isInteger(limit) || limit < 1) {
      return { ok: false, response: v1Error(400, `The limit must be an integer between 1 and ${MAX_PAGE_SIZE}.`) };
    }
    if (limit > MAX_PAGE_SIZE) {
      if (context.runtime.behaviour.limitAboveMaximum === "reject") {
        return { ok: false, response: v1Error(400, `The limit may not be greater than ${MAX_PAGE_SIZE}.`) };
      }
      limit = MAX_PAGE_SIZE;
    }
  }
  const offset = rawOffset === null || rawOffset === "" ? 0 : Number(rawOffset);
  if (!Number.isInteger(offset) || offset < 0) {
    return { ok: false, response: v1Error(400, "The offset must be an integer of at least 0.") };
  }
  return { ok: true, limit, offset };
}

/** Returns the readable attribute keys, narrowed by `attributes[]` when given. `id` is always kept. */
function projectedKeys(context: HandlerContext): string[] {
  const { company, credential } = requireAuth(context);
  const readable = readableAttributeKeys(company, credential);
  const requested = context.url.searchParams.getAll("attributes[]").filter((key) => key !== "");
  if (requested.length === 0) {
    return readable;
  }
  const selected = new Set(["id", ...requested]);
  return readable.filter((key) => selected.has(key));
}

/**
 * Lists employees (GET /v1/company/employees). `email` is an exact match, ignoring case by default.
 * With `updated_since`, `email`, `limit` and `offset` are ignored, as the v1 spec states.
 */
export function handleListEmployees(context: HandlerContext): SandboxResponse {
  const { company } = requireAuth(context);
  const { state, behaviour } = context.runtime;
  const params = context.url.searchParams;
  const keys = projectedKeys(context);
  let employees = state.employeesOf(company.id);

  const updatedSince = params.get("updated_since");
  if (updatedSince !== null && updatedSince !== "") {
    const since = Date.parse(updatedSince);
    if (Number.isNaN(since)) {
      return v1Error(400, "The updated since must be an ISO 8601 date-time or a date as YYYY-MM-DD.");
    }
    const selectors = params.getAll("attributes[]").filter((key) => key !== "");
    // NOTE: a Personio changelog entry states that pagination also applies with updated_since, but the spec states it does not.
    employees = employees.filter((employee) => changedSince(employee, since, selectors));
    const data = employees.map((employee) => renderEmployee(employee, company, state, keys));
    return jsonResponse(200, {
      success: true,
      metadata: { total_elements: data.length, current_page: 0, total_pages: data.length === 0 ? 0 : 1 },
      offset: 0,
      limit: data.length,
      data,
    });
  }

  const page = parsePage(context);
  if (!page.ok) {
    return page.response;
  }
  const email = params.get("email");
  if (email !== null && email !== "") {
    const matches =
      behaviour.emailFilter === "exact"
        ? (employee: EmployeeRecord) => employee.email === email
        : (employee: EmployeeRecord) => employee.email.toLowerCase() === email.toLowerCase();
    employees = employees.filter(matches);
  }

  const total = employees.length;
  const data = employees.slice(page.offset, page.offset + page.limit).map((employee) => renderEmployee(employee, company, state, keys));
  return jsonResponse(200, {
    success: true,
    metadata: {
      total_elements: total,
      current_page: Math.floor(page.offset / page.limit),
      total_pages: Math.ceil(total / page.limit),
    },
    offset: page.offset,
    limit: page.limit,
    data,
  });
}

function changedSince(employee: EmployeeRecord, since: number, selectors: readonly string[]): boolean {
  if (selectors.length === 0) {
    return employee.lastModifiedAt > since;
  }
  return selectors.some((key) => (employee.attributeModifiedAt[key] ?? employee.createdAt) > since);
}

/** Returns one employee (GET /v1/company/employees/{employee_id}). */
export function handleGetEmployee(context: HandlerContext): SandboxResponse {
  const { company } = requireAuth(context);
  const employee = context.runtime.state.findEmployee(company.id, Number(context.params["employeeId"]));
  if (employee === undefined) {
    return v1Error(404, EMPLOYEE_NOT_FOUND_MESSAGE);
  }
  return jsonResponse(200, { success: true, data: renderEmployee(employee, company, context.runtime.state, projectedKeys(context)) });
}

/** Lists the readable attributes (GET /v1/company/employees/attributes and its alias /custom-attributes). */
export function handleListAttributes(context: HandlerContext): SandboxResponse {
  const { company, credential } = requireAuth(context);
  return jsonResponse(200, { success: true, data: describeReadableAttributes(company, credential) });
}

/**
 * Creates an employee (POST /v1/company/employees) from `{employee: {...}}` as JSON or from
 * `employee[...]` form fields. Success is 200 `{success, data: {id, message: "success"}}`, plus
 * `meta` when names were ignored.
 */
export function handleCreateEmployee(context: HandlerContext): SandboxResponse {
  const { company } = requireAuth(context);
  const { state, behaviour, clock } = context.runtime;
  const unsupported = unsupportedBody(context);
  if (unsupported !== undefined) {
    return unsupported;
  }
  const result = validateEmployeeWrite(employeeObject(context.body), { mode: "create", company, state, behaviour });
  if (!result.ok) {
    return v1Error(422, result.message);
  }
  const { changes, notices } = result;
  const email = changes.email ?? "";
  const duplicate = state.employeesOf(company.id).some((employee) => employee.email.toLowerCase() === email.toLowerCase());
  if (duplicate && behaviour.duplicateEmail === "reject") {
    // NOTE: Personio does not document duplicate emails on v1 create; 422 like its other validation errors is assumed.
    return v1Error(422, "The email has already been taken.");
  }

  const now = clock.now();
  const hireDate = changes.hireDate ?? null;
  const today = localDate(now, company.timeZone);
  const employee: EmployeeRecord = {
    id: state.allocateEmployeeId(),
    companyId: company.id,
    email,
    firstName: changes.firstName ?? "",
    lastName: changes.lastName ?? "",
    preferredName: changes.preferredName ?? null,
    gender: changes.gender ?? null,
    // Without a status, Personio derives it: active once the hire date has passed, onboarding before.
    status: changes.status ?? (hireDate === null || hireDate <= today ? "active" : "onboarding"),
    position: changes.position ?? null,
    employmentType: "internal",
    weeklyWorkingHours: changes.weeklyWorkingHours ?? null,
    hireDate,
    departmentId: changes.departmentId ?? null,
    officeId: changes.officeId ?? null,
    subcompanyId: changes.subcompanyId ?? null,
    supervisorId: changes.supervisorId ?? null,
    customAttributes: withoutNulls(changes.customAttributes ?? {}),
    createdAt: now,
    lastModifiedAt: now,
    attributeModifiedAt: {},
  };
  state.employees.set(employee.id, employee);
  context.runtime.logger.info({ employeeId: employee.id, companyId: company.id }, "Sandbox employee created");

  const body: Record<string, unknown> = { success: true, data: { id: employee.id, message: "success" } };
  if (notices.length > 0) {
    body["meta"] = notices;
  }
  return jsonResponse(200, body);
}

/** Updates an employee (PATCH /v1/company/employees/{employee_id}). Success is 200 `{success, data: {id}, meta: [...]}`. */
export function handleUpdateEmployee(context: HandlerContext): SandboxResponse {
  const { company } = requireAuth(context);
  const { state, behaviour, clock } = context.runtime;
  const employee = state.findEmployee(company.id, Number(context.params["employeeId"]));
  if (employee === undefined) {
    return v1Error(404, EMPLOYEE_NOT_FOUND_MESSAGE);
  }
  const unsupported = unsupportedBody(context);
  if (unsupported !== undefined) {
    return unsupported;
  }
  const result = validateEmployeeWrite(employeeObject(context.body), {
    mode: "update",
    company,
    state,
    behaviour,
    employeeId: employee.id,
  });
  if (!result.ok) {
    return v1Error(422, result.message);
  }
  applyChanges(employee, result.changes, clock.now());
  return jsonResponse(200, { success: true, data: { id: employee.id }, meta: result.notices });
}

function unsupportedBody(context: HandlerContext): SandboxResponse | undefined {
  const { body } = context;
  if (body.kind === "invalidJson") {
    return v1Error(400, "The request body is not valid JSON.");
  }
  if (body.kind === "other") {
    return v1Error(415, `Unsupported content type ${body.mediaType}; send application/json or application/x-www-form-urlencoded.`);
  }
  return undefined;
}

/** Attribute key of each change, for `last_modified_at` and `updated_since`. */
const CHANGE_KEYS: Record<Exclude<keyof EmployeeChanges, "customAttributes">, string> = {
  email: "email",
  firstName: "first_name",
  lastName: "last_name",
  preferredName: "preferred_name",
  gender: "gender",
  position: "position",
  departmentId: "department",
  officeId: "office",
  subcompanyId: "subcompany",
  hireDate: "hire_date",
  weeklyWorkingHours: "weekly_working_hours",
  status: "status",
  supervisorId: "supervisor",
};

function applyChanges(employee: EmployeeRecord, changes: EmployeeChanges, now: number): void {
  const modifiedKeys: string[] = [];
  const { customAttributes, ...standard } = changes;
  for (const [field, value] of Object.entries(standard) as [keyof typeof CHANGE_KEYS, unknown][]) {
    if (employee[field] !== value) {
      (employee as unknown as Record<string, unknown>)[field] = value;
      modifiedKeys.push(CHANGE_KEYS[field]);
    }
  }
  for (const [key, value] of Object.entries(customAttributes ?? {})) {
    if (value === null) {
      delete employee.customAttributes[key];
    } else {
      employee.customAttributes[key] = value;
    }
    modifiedKeys.push(key);
  }
  if (modifiedKeys.length > 0) {
    employee.lastModifiedAt = now;
    for (const key of modifiedKeys) {
      employee.attributeModifiedAt[key] = now;
    }
  }
}

function withoutNulls(values: Record<string, string | string[] | null>): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value !== null) {
      result[key] = value;
    }
  }
  return result;
}
