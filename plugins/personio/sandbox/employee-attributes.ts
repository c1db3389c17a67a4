import {
  STANDARD_ATTRIBUTE_KEYS,
  type AttributeType,
  type CompanyConfig,
  type CredentialConfig,
  type NamedUnit,
  type StandardAttributeKey,
} from "./config-schema.ts";
import type { EmployeeRecord, SandboxState } from "./state.ts";
import { formatDateAsMidnight, formatDateTime } from "./time-format.ts";

/** A v1 employee attribute object. */
export interface AttributeObject {
  label: string;
  value: unknown;
  type: AttributeType;
  universal_id: string | null;
}

export interface RenderedEmployee {
  type: "Employee";
  attributes: Record<string, AttributeObject>;
}

/** Labels and types of the standard attributes, as in the `GET /company/employees/{id}` example of the v1 spec. */
const STANDARD_ATTRIBUTES: Record<StandardAttributeKey, { label: string; type: AttributeType }> = {
  id: { label: "ID", type: "integer" },
  first_name: { label: "First name", type: "standard" },
  last_name: { label: "Last name", type: "standard" },
  preferred_name: { label: "Name (preferred)", type: "standard" },
  email: { label: "Email", type: "standard" },
  gender: { label: "Gender", type: "standard" },
  status: { label: "Status", type: "standard" },
  position: { label: "Position", type: "standard" },
  supervisor: { label: "Supervisor", type: "standard" },
  employment_type: { label: "Employment type", type: "standard" },
  weekly_working_hours: { label: "Weekly hours", type: "standard" },
  hire_date: { label: "Hire date", type: "date" },
  contract_end_date: { label: "Contract ends", type: "date" },
  termination_date: { label: "Termination date", type: "date" },
  termination_type: { label: "Termination type", type: "standard" },
  termination_reason: { label: "Termination reason", type: "standard" },
  probation_period_end: { label: "Probation period end", type: "date" },
  created_at: { label: "created_at", type: "date" },
  last_modified_at: { label: "Last modified", type: "date" },
  subcompany: { label: "Subcompany", type: "standard" },
  office: { label: "Office", type: "standard" },
  department: { label: "Department", type: "standard" },
  cost_centers: { label: "Cost center", type: "standard" },
  team: { label: "Team", type: "standard" },
  last_working_day: { label: "Last day of work", type: "date" },
};

/** Returns whether the credential may read `key`. `id` is always readable, so every record stays identifiable. */
export function canReadAttribute(credential: CredentialConfig, key: string): boolean {
  return key === "id" || credential.readableAttributes === "all" || credential.readableAttributes.includes(key);
}

/** Keys of every attribute of the company (standard first, then custom) that the credential may read. */
export function readableAttributeKeys(company: CompanyConfig, credential: CredentialConfig): string[] {
  const keys = [...STANDARD_ATTRIBUTE_KEYS, ...company.customAttributes.map((attribute) => attribute.key)];
  return keys.filter((key) => canReadAttribute(credential, key));
}

/**
 * Renders the attributes `keys` of an employee as Personio v1 does. Callers pass only keys
 * the credential may read, so other attributes are left out without an error.
 */
export function renderEmployee(
  employee: EmployeeRecord,
  company: CompanyConfig,
  state: SandboxState,
  keys: readonly string[],
): RenderedEmployee {
  const attributes: Record<string, AttributeObject> = {};
  for (const key of keys) {
    const attribute = renderAttribute(employee, company, state, key);
    if (attribute !== undefined) {
      attributes[key] = attribute;
    }
  }
  return { type: "Employee", attributes };
}

function renderAttribute(
  employee: EmployeeRecord,
  company: CompanyConfig,
  state: SandboxState,
  key: string,
): AttributeObject | undefined {
  if (key in STANDARD_ATTRIBUTES) {
    const standardKey = key as StandardAttributeKey;
    const { label, type } = STANDARD_ATTRIBUTES[standardKey];
    return { label, value: standardValue(employee, company, state, standardKey), type, universal_id: standardKey };
  }
  const definition = company.customAttributes.find((attribute) => attribute.key === key);
  if (definition === undefined) {
    return undefined;
  }
  const stored = employee.customAttributes[key];
  // NOTE: how v1 renders `tags` values is not documented; the sandbox joins them with ", ".
  const value = Array.isArray(stored) ? stored.join(", ") : (stored ?? null);
  return { label: definition.label, value, type: definition.type, universal_id: definition.universalId };
}

function standardValue(employee: EmployeeRecord, company: CompanyConfig, state: SandboxState, key: StandardAttributeKey): unknown {
  switch (key) {
    case "id":
      return employee.id;
    case "first_name":
      return employee.firstName;
    case "last_name":
      return employee.lastName;
    case "preferred_name":
      return employee.preferredName;
    case "email":
      return employee.email;
    case "gender":
      return employee.gender;
    case "status":
      return employee.status;
    case "position":
      return employee.position;
    case "supervisor":
      return supervisorValue(employee, state);
    case "employment_type":
      return employee.employmentType;
    case "weekly_working_hours":
      // Personio returns weekly hours as a string, e.g. "40".
      return employee.weeklyWorkingHours === null ? null : String(employee.weeklyWorkingHours);
    case "hire_date":
      return employee.hireDate === null ? null : formatDateAsMidnight(employee.hireDate, company.timeZone);
    case "created_at":
      return formatDateTime(employee.createdAt, company.timeZone);
    case "last_modified_at":
      return formatDateTime(employee.lastModifiedAt, company.timeZone);
    case "subcompany":
      return unitValue("Subcompany", company.subcompanies, employee.subcompanyId);
    case "office":
      return unitValue("Office", company.offices, employee.officeId);
    case "department":
      return unitValue("Department", company.departments, employee.departmentId);
    case "cost_centers":
      return [];
    case "contract_end_date":
    case "termination_date":
    case "termination_type":
    case "termination_reason":
    case "probation_period_end":
    case "team":
    case "last_working_day":
      return null;
  }
}

/**
 * Renders the supervisor as a short employee with id, names and email.
 * NOTE: an unset relation is rendered as `value: null`, although the spec types these values as objects.
 */
function supervisorValue(employee: EmployeeRecord, state: SandboxState): unknown {
  if (employee.supervisorId === null) {
    return null;
  }
  const supervisor = state.findEmployee(employee.companyId, employee.supervisorId);
  if (supervisor === undefined) {
    return null;
  }
  return { type: "Employee", attributes: shortEmployeeAttributes(supervisor) };
}

/** `id`, `first_name`, `last_name` and `email` attribute objects, the shape used for supervisors and document owners. */
export function shortEmployeeAttributes(employee: EmployeeRecord): Record<string, AttributeObject> {
  const pick = (key: "id" | "first_name" | "last_name" | "email", value: unknown): AttributeObject => ({
    label: STANDARD_ATTRIBUTES[key].label,
    value,
    type: STANDARD_ATTRIBUTES[key].type,
    universal_id: key,
  });
  return {
    id: pick("id", employee.id),
    first_name: pick("first_name", employee.firstName),
    last_name: pick("last_name", employee.lastName),
    email: pick("email", employee.email),
  };
}

function unitValue(type: string, units: readonly NamedUnit[], id: number | null): unknown {
  const unit = id === null ? undefined : units.find((candidate) => candidate.id === id);
  return unit === undefined ? null : { type, attributes: { id: unit.id, name: unit.name } };
}

/** An entry of GET /v1/company/employees/attributes. */
export interface AttributeDescription {
  key: string;
  label: string;
  type: AttributeType;
  universal_id: string | null;
  options: string[];
}

/** Lists the attributes the credential may read, with `options` for `list` and `tags` attributes. */
export function describeReadableAttributes(company: CompanyConfig, credential: CredentialConfig): AttributeDescription[] {
  return readableAttributeKeys(company, credential).map((key) => {
    if (key in STANDARD_ATTRIBUTES) {
      const { label, type } = STANDARD_ATTRIBUTES[key as StandardAttributeKey];
      return { key, label, type, universal_id: key, options: [] };
    }
    const definition = company.customAttributes.find((attribute) => attribute.key === key);
    if (definition === undefined) {
      throw new Error(`Custom attribute ${key} is readable but not defined for company ${company.id}.`);
    }
    return {
      key,
      label: definition.label,
      type: definition.type,
      universal_id: definition.universalId,
      options: definition.type === "list" || definition.type === "tags" ? definition.options : [],
    };
  });
}
