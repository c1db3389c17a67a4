import { z } from "zod";

/** Areas of a Personio v1 API credential, each with its own Read and Write toggle. */
export const ACCESS_AREAS = ["employees", "attendances", "absences", "documents", "customReports"] as const;
export type AccessArea = (typeof ACCESS_AREAS)[number];

export const EMPLOYEE_STATUSES = ["onboarding", "active", "leave", "inactive"] as const;
export type EmployeeStatus = (typeof EMPLOYEE_STATUSES)[number];

export const GENDERS = ["male", "female", "diverse"] as const;
export type Gender = (typeof GENDERS)[number];

/** Values of `type` on v1 employee attributes (`TypeEnum` in the personnel-data spec). */
export const ATTRIBUTE_TYPES = ["standard", "date", "integer", "decimal", "list", "link", "tags", "multiline"] as const;
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date as YYYY-MM-DD");

const accessRightSchema = z.object({
  read: z.boolean().default(false),
  write: z.boolean().default(false),
});

const noAccess = { read: false, write: false };

const accessRightsSchema = z.object({
  employees: accessRightSchema.default(noAccess),
  attendances: accessRightSchema.default(noAccess),
  absences: accessRightSchema.default(noAccess),
  documents: accessRightSchema.default(noAccess),
  customReports: accessRightSchema.default(noAccess),
});

export const credentialSchema = z.object({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  companyId: z.number().int().positive(),
  rights: accessRightsSchema,
  /** Employee attribute keys this credential may read, or "all". `id` is always readable. */
  readableAttributes: z.union([z.literal("all"), z.array(z.string().min(1))]).default("all"),
});

const namedUnitSchema = z.object({
  id: z.number().int().positive(),
  name: z.string().min(1),
});

const customAttributeSchema = z.object({
  key: z.string().regex(/^dynamic_\d+$/, "expected a key like dynamic_123"),
  label: z.string().min(1),
  type: z.enum(ATTRIBUTE_TYPES),
  universalId: z.string().min(1).nullable().default(null),
  /** Allowed values of `list` and `tags` attributes. */
  options: z.array(z.string()).default([]),
});

const customValueSchema = z.union([z.string(), z.array(z.string())]);

const employeeSeedSchema = z.object({
  id: z.number().int().positive(),
  email: z.email(),
  firstName: z.string().min(1),
  lastName: z.string().min(1),
  preferredName: z.string().nullable().default(null),
  gender: z.enum(GENDERS).nullable().default(null),
  status: z.enum(EMPLOYEE_STATUSES).default("active"),
  position: z.string().nullable().default(null),
  employmentType: z.enum(["internal", "external"]).default("internal"),
  weeklyWorkingHours: z.number().nonnegative().nullable().default(null),
  hireDate: isoDate.nullable().default(null),
  /** Names, matched against the company's departments, offices and subcompanies. */
  department: z.string().nullable().default(null),
  office: z.string().nullable().default(null),
  subcompany: z.string().nullable().default(null),
  supervisorId: z.number().int().positive().nullable().default(null),
  customAttributes: z.record(z.string(), customValueSchema).default({}),
  createdAt: z.iso.datetime({ offset: true }).optional(),
});

const companySchema = z.object({
  id: z.number().int().positive(),
  name: z.string().min(1),
  /** IANA time zone used for the UTC offsets of dates in responses. */
  timeZone: z.string().min(1).default("Europe/Berlin"),
  departments: z.array(namedUnitSchema).default([]),
  offices: z.array(namedUnitSchema).default([]),
  subcompanies: z.array(namedUnitSchema).default([]),
  customAttributes: z.array(customAttributeSchema).default([]),
  documentCategories: z.array(namedUnitSchema).default([]),
  employees: z.array(employeeSeedSchema).default([]),
});

/** Company data and API credentials of a sandbox, as loaded from `--config` or passed by tests. */
export const companiesConfigSchema = z
  .object({
    companies: z.array(companySchema).min(1),
    credentials: z.array(credentialSchema).min(1),
  })
  .superRefine((config, context) => {
    for (const issue of findCrossReferenceIssues(config)) {
      context.addIssue({ code: "custom", path: issue.path, message: issue.message });
    }
  });

export type CompaniesConfigInput = z.input<typeof companiesConfigSchema>;
export type CompaniesConfig = z.output<typeof companiesConfigSchema>;
export type CompanyConfig = z.output<typeof companySchema>;
export type CredentialConfig = z.output<typeof credentialSchema>;
export type CredentialInput = z.input<typeof credentialSchema>;
export type EmployeeSeed = z.output<typeof employeeSeedSchema>;
export type CustomAttributeDefinition = z.output<typeof customAttributeSchema>;
export type NamedUnit = z.output<typeof namedUnitSchema>;
export type AccessRights = z.output<typeof accessRightsSchema>;

/** Error thrown for an invalid sandbox configuration. The message lists every problem with its path. */
export class SandboxConfigError extends Error {
  override readonly name = "SandboxConfigError";
}

/** Validates a companies/credentials configuration and throws SandboxConfigError listing every problem. */
export function parseCompaniesConfig(input: unknown, source = "sandbox config"): CompaniesConfig {
  const result = companiesConfigSchema.safeParse(input);
  if (!result.success) {
    throw new SandboxConfigError(`Invalid ${source}:\n${z.prettifyError(result.error)}`);
  }
  return result.data;
}

/** Validates one credential against the companies it may belong to. */
export function parseCredential(input: unknown, companies: readonly CompanyConfig[]): CredentialConfig {
  const result = credentialSchema.safeParse(input);
  if (!result.success) {
    throw new SandboxConfigError(`Invalid credential:\n${z.prettifyError(result.error)}`);
  }
  const company = companies.find((candidate) => candidate.id === result.data.companyId);
  if (company === undefined) {
    throw new SandboxConfigError(`Invalid credential: companyId ${result.data.companyId} does not exist.`);
  }
  const unknownKeys = unknownAttributeKeys(result.data, company);
  if (unknownKeys.length > 0) {
    throw new SandboxConfigError(`Invalid credential: readableAttributes contains unknown keys ${unknownKeys.join(", ")}.`);
  }
  return result.data;
}

interface CrossReferenceIssue {
  path: (string | number)[];
  message: string;
}

type ParsedShape = { companies: CompanyConfig[]; credentials: CredentialConfig[] };

/** Checks what zod cannot see field by field: unique ids and references between companies, employees and credentials. */
function findCrossReferenceIssues(config: ParsedShape): CrossReferenceIssue[] {
  const issues: CrossReferenceIssue[] = [];
  const companyIds = new Set<number>();
  const employeeIds = new Set<number>();

  config.companies.forEach((company, companyIndex) => {
    const at = (...rest: (string | number)[]) => ["companies", companyIndex, ...rest];
    if (companyIds.has(company.id)) {
      issues.push({ path: at("id"), message: `duplicate company id ${company.id}` });
    }
    companyIds.add(company.id);

    const departmentNames = new Set(company.departments.map((unit) => unit.name));
    const officeNames = new Set(company.offices.map((unit) => unit.name));
    const subcompanyNames = new Set(company.subcompanies.map((unit) => unit.name));
    const customKeys = new Set(company.customAttributes.map((attribute) => attribute.key));
    const ownEmployeeIds = new Set(company.employees.map((employee) => employee.id));
    const emails = new Set<string>();

    company.employees.forEach((employee, employeeIndex) => {
      const employeeAt = (field: string) => at("employees", employeeIndex, field);
      if (employeeIds.has(employee.id)) {
        issues.push({ path: employeeAt("id"), message: `duplicate employee id ${employee.id}` });
      }
      employeeIds.add(employee.id);
      const email = employee.email.toLowerCase();
      if (emails.has(email)) {
        issues.push({ path: employeeAt("email"), message: `duplicate email ${employee.email} in company ${company.id}` });
      }
      emails.add(email);
      if (employee.department !== null && !departmentNames.has(employee.department)) {
        issues.push({ path: employeeAt("department"), message: `unknown department "${employee.department}"` });
      }
      if (employee.office !== null && !officeNames.has(employee.office)) {
        issues.push({ path: employeeAt("office"), message: `unknown office "${employee.office}"` });
      }
      if (employee.subcompany !== null && !subcompanyNames.has(employee.subcompany)) {
        issues.push({ path: employeeAt("subcompany"), message: `unknown subcompany "${employee.subcompany}"` });
      }
      if (employee.supervisorId !== null && !ownEmployeeIds.has(employee.supervisorId)) {
        issues.push({
          path: employeeAt("supervisorId"),
          message: `supervisor ${employee.supervisorId} is not an employee of company ${company.id}`,
        });
      }
      for (const key of Object.keys(employee.customAttributes)) {
        if (!customKeys.has(key)) {
          issues.push({ path: employeeAt("customAttributes"), message: `unknown custom attribute ${key}` });
        }
      }
    });
  });

  const clientIds = new Set<string>();
  config.credentials.forEach((credential, credentialIndex) => {
    if (clientIds.has(credential.clientId)) {
      issues.push({ path: ["credentials", credentialIndex, "clientId"], message: `duplicate clientId ${credential.clientId}` });
    }
    clientIds.add(credential.clientId);
    const company = config.companies.find((candidate) => candidate.id === credential.companyId);
    if (company === undefined) {
      issues.push({
        path: ["credentials", credentialIndex, "companyId"],
        message: `company ${credential.companyId} does not exist`,
      });
      return;
    }
    const unknownKeys = unknownAttributeKeys(credential, company);
    if (unknownKeys.length > 0) {
      issues.push({
        path: ["credentials", credentialIndex, "readableAttributes"],
        message: `unknown attribute keys ${unknownKeys.join(", ")}`,
      });
    }
  });

  return issues;
}

function unknownAttributeKeys(credential: CredentialConfig, company: CompanyConfig): string[] {
  if (credential.readableAttributes === "all") {
    return [];
  }
  const known = new Set<string>([
    ...STANDARD_ATTRIBUTE_KEYS,
    ...company.customAttributes.map((attribute) => attribute.key),
  ]);
  return credential.readableAttributes.filter((key) => !known.has(key));
}

/** Keys of the standard v1 employee attributes that the sandbox stores and returns. */
export const STANDARD_ATTRIBUTE_KEYS = [
  "id",
  "first_name",
  "last_name",
  "preferred_name",
  "email",
  "gender",
  "status",
  "position",
  "supervisor",
  "employment_type",
  "weekly_working_hours",
  "hire_date",
  "contract_end_date",
  "termination_date",
  "termination_type",
  "termination_reason",
  "probation_period_end",
  "created_at",
  "last_modified_at",
  "subcompany",
  "office",
  "department",
  "cost_centers",
  "team",
  "last_working_day",
] as const;
export type StandardAttributeKey = (typeof STANDARD_ATTRIBUTE_KEYS)[number];
