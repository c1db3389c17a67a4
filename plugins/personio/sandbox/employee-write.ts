import {
  EMPLOYEE_STATUSES,
  GENDERS,
  type CompanyConfig,
  type EmployeeStatus,
  type Gender,
  type NamedUnit,
} from "./config-schema.ts";
import type { SandboxBehaviour } from "./options.ts";
import type { ParsedBody } from "./runtime.ts";
import { findUnitByName, type SandboxState } from "./state.ts";
import { isCalendarDate } from "./time-format.ts";

/** Validated changes of a create or update; absent fields stay as they are. */
export interface EmployeeChanges {
  email?: string;
  firstName?: string;
  lastName?: string;
  preferredName?: string | null;
  gender?: Gender;
  position?: string;
  departmentId?: number;
  officeId?: number;
  subcompanyId?: number;
  hireDate?: string;
  weeklyWorkingHours?: number;
  status?: EmployeeStatus;
  supervisorId?: number | null;
  customAttributes?: Record<string, string | string[] | null>;
}

export type EmployeeWriteResult =
  | { ok: true; changes: EmployeeChanges; notices: string[] }
  | { ok: false; message: string };

export interface EmployeeWriteContext {
  mode: "create" | "update";
  company: CompanyConfig;
  state: SandboxState;
  behaviour: SandboxBehaviour;
  /** The employee being updated. */
  employeeId?: number;
}

/** Field names of the `employee` object that PATCH accepts. The v1 spec states that other fields are ignored. */
const UPDATABLE_FIELDS = new Set([
  "first_name",
  "last_name",
  "preferred_name",
  "gender",
  "position",
  "subcompany",
  "department",
  "office",
  "hire_date",
  "weekly_working_hours",
  "status",
  "supervisor_id",
  "custom_attributes",
]);

class ValidationFailure extends Error {}

/** Returns the `employee` object of a JSON body or of `employee[...]` form fields, or {} when there is none. */
export function employeeObject(body: ParsedBody): Record<string, unknown> {
  const value = body.kind === "json" || body.kind === "form" ? body.value : undefined;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return {};
  }
  const employee = (value as Record<string, unknown>)["employee"];
  return typeof employee === "object" && employee !== null && !Array.isArray(employee)
    ? (employee as Record<string, unknown>)
    : {};
}

/**
 * Validates the `employee` object of a create or update. A failure carries the 422 message
 * of the first broken rule. Unknown department, office and subcompany names and unusable
 * custom attribute values are dropped and reported as notices for the `meta` list.
 */
export function validateEmployeeWrite(input: Record<string, unknown>, context: EmployeeWriteContext): EmployeeWriteResult {
  try {
    return { ok: true, ...collectChanges(input, context) };
  } catch (error) {
    if (error instanceof ValidationFailure) {
      return { ok: false, message: error.message };
    }
    throw error;
  }
}

function collectChanges(input: Record<string, unknown>, context: EmployeeWriteContext): { changes: EmployeeChanges; notices: string[] } {
  const { mode, company } = context;
  const changes: EmployeeChanges = {};
  const notices: string[] = [];
  const fields = mode === "create" ? input : pickUpdatable(input, context, notices);

  if (mode === "create") {
    changes.email = requiredString(fields, "email");
    changes.firstName = requiredString(fields, "first_name");
    changes.lastName = requiredString(fields, "last_name");
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(changes.email)) {
      throw new ValidationFailure("The email must be a valid email address.");
    }
  } else {
    // Blank names are ignored on update, because Personio does not allow clearing them.
    const firstName = optionalString(fields, "first_name");
    const lastName = optionalString(fields, "last_name");
    if (firstName) changes.firstName = firstName;
    if (lastName) changes.lastName = lastName;
  }

  const preferredName = optionalString(fields, "preferred_name");
  if (preferredName !== undefined) changes.preferredName = preferredName === "" ? null : preferredName;
  const position = optionalString(fields, "position");
  if (position !== undefined) changes.position = position;

  const gender = optionalString(fields, "gender");
  if (gender) {
    if (!(GENDERS as readonly string[]).includes(gender)) {
      throw new ValidationFailure("The selected gender is invalid.");
    }
    changes.gender = gender as Gender;
  }

  const status = optionalString(fields, "status");
  if (status) {
    if (!(EMPLOYEE_STATUSES as readonly string[]).includes(status)) {
      throw new ValidationFailure("The selected status is invalid.");
    }
    changes.status = status as EmployeeStatus;
  }

  const hireDate = optionalString(fields, "hire_date");
  if (hireDate) {
    if (!isCalendarDate(hireDate)) {
      throw new ValidationFailure("The hire date does not match the format Y-m-d.");
    }
    changes.hireDate = hireDate;
  }

  const hours = fields["weekly_working_hours"];
  if (hours !== undefined && hours !== null && hours !== "") {
    const parsed = toNumber(hours);
    if (!Number.isFinite(parsed) || parsed < 0) {
      throw new ValidationFailure("The weekly working hours must be a number.");
    }
    changes.weeklyWorkingHours = parsed;
  }

  if ("supervisor_id" in fields) {
    const supervisorId = supervisorChange(fields["supervisor_id"], context);
    if (supervisorId !== undefined) changes.supervisorId = supervisorId;
  }

  assignUnit(fields, "department", "Department", company.departments, notices, (id) => (changes.departmentId = id));
  assignUnit(fields, "office", "Office", company.offices, notices, (id) => (changes.officeId = id));
  assignUnit(fields, "subcompany", "Subcompany", company.subcompanies, notices, (id) => (changes.subcompanyId = id));

  const custom = fields["custom_attributes"];
  if (typeof custom === "object" && custom !== null && !Array.isArray(custom)) {
    changes.customAttributes = customAttributeChanges(custom as Record<string, unknown>, company, notices);
  }

  return { changes, notices };
}

function pickUpdatable(input: Record<string, unknown>, context: EmployeeWriteContext, notices: string[]): Record<string, unknown> {
  if ("email" in input) {
    const { emailOnUpdate } = context.behaviour;
    if (emailOnUpdate === "reject") {
      throw new ValidationFailure("The email cannot be updated.");
    }
    if (emailOnUpdate === "notice") {
      notices.push("The email cannot be updated and was ignored.");
    }
  }
  return Object.fromEntries(Object.entries(input).filter(([key]) => UPDATABLE_FIELDS.has(key)));
}

/** Converts a JSON number or a numeric string (form fields are strings); anything else gives NaN. */
function toNumber(value: unknown): number {
  if (typeof value === "number") {
    return value;
  }
  if (typeof value === "string" && value.trim() !== "") {
    return Number(value);
  }
  return Number.NaN;
}

/** Splits a `tags` value, sent as a list or as comma-separated text, into trimmed tags. */
function tagValues(value: unknown): string[] {
  let values: string[] = [];
  if (Array.isArray(value)) {
    values = value.map(String);
  } else if (typeof value === "string") {
    values = value.split(",");
  }
  return values.map((tag) => tag.trim()).filter((tag) => tag !== "");
}

function fieldLabel(field: string): string {
  return field.replaceAll("_", " ");
}

function requiredString(fields: Record<string, unknown>, field: string): string {
  const value = optionalString(fields, field);
  if (value === undefined || value.trim() === "") {
    throw new ValidationFailure(`The ${fieldLabel(field)} field is required.`);
  }
  return value;
}

function optionalString(fields: Record<string, unknown>, field: string): string | undefined {
  const value = fields[field];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value === "number") {
    return String(value);
  }
  if (typeof value !== "string") {
    throw new ValidationFailure(`The ${fieldLabel(field)} must be a string.`);
  }
  return value;
}

/** Parses `supervisor_id`: null or "" means no supervisor; anything else must be an employee of the company. */
function supervisorChange(raw: unknown, context: EmployeeWriteContext): number | null | undefined {
  if (raw === null || raw === "") {
    return context.mode === "update" ? null : undefined;
  }
  const id = toNumber(raw);
  if (!Number.isInteger(id) || context.state.findEmployee(context.company.id, id) === undefined) {
    throw new ValidationFailure(`Supervisor with ID ${String(raw)} not found`);
  }
  if (context.mode === "update" && id === context.employeeId) {
    throw new ValidationFailure(`Supervisor with ID ${id} cannot be the employee being updated`);
  }
  return id;
}

/** Sets a department, office or subcompany by exact name; an unknown name is ignored with a notice. */
function assignUnit(
  fields: Record<string, unknown>,
  field: string,
  label: string,
  units: readonly NamedUnit[],
  notices: string[],
  assign: (id: number) => void,
): void {
  const name = optionalString(fields, field);
  // Blank names are ignored, because Personio does not allow clearing these relations.
  if (!name) {
    return;
  }
  const unit = findUnitByName(units, name);
  if (unit === undefined) {
    notices.push(`${label} "${name}" does not exist and was ignored.`);
    return;
  }
  assign(unit.id);
}

/** Validates custom attribute values by type; unknown keys and invalid values are ignored with a notice. */
function customAttributeChanges(
  input: Record<string, unknown>,
  company: CompanyConfig,
  notices: string[],
): Record<string, string | string[] | null> {
  const changes: Record<string, string | string[] | null> = {};
  for (const [key, raw] of Object.entries(input)) {
    const definition = company.customAttributes.find((attribute) => attribute.key === key);
    if (definition === undefined) {
      notices.push(`Custom attribute ${key} does not exist and was ignored.`);
      continue;
    }
    if (raw === null || raw === "") {
      changes[key] = null;
      continue;
    }
    const text = typeof raw === "number" ? String(raw) : raw;
    const invalid = () => notices.push(`Value of custom attribute ${key} (${definition.label}) is invalid and was ignored.`);
    switch (definition.type) {
      case "tags": {
        const tags = tagValues(text);
        if (tags.length === 0 || !tags.every((tag) => definition.options.includes(tag))) invalid();
        else changes[key] = tags;
        break;
      }
      case "list":
        if (typeof text !== "string" || !definition.options.includes(text)) invalid();
        else changes[key] = text;
        break;
      case "date":
        if (typeof text !== "string" || !isCalendarDate(text)) invalid();
        else changes[key] = text;
        break;
      case "integer":
        if (typeof text !== "string" || !/^-?\d+$/.test(text)) invalid();
        else changes[key] = text;
        break;
      case "decimal":
        if (typeof text !== "string" || !Number.isFinite(Number(text))) invalid();
        else changes[key] = text;
        break;
      default:
        if (typeof text !== "string") invalid();
        else changes[key] = text;
    }
  }
  return changes;
}
