import type {
  CompaniesConfig,
  CompanyConfig,
  CredentialConfig,
  EmployeeSeed,
  EmployeeStatus,
  Gender,
  NamedUnit,
} from "./config-schema.ts";

/** An employee as the sandbox stores it. Relations are ids within the employee's company. */
export interface EmployeeRecord {
  id: number;
  companyId: number;
  email: string;
  firstName: string;
  lastName: string;
  preferredName: string | null;
  gender: Gender | null;
  status: EmployeeStatus;
  position: string | null;
  employmentType: "internal" | "external";
  weeklyWorkingHours: number | null;
  /** YYYY-MM-DD. */
  hireDate: string | null;
  departmentId: number | null;
  officeId: number | null;
  subcompanyId: number | null;
  supervisorId: number | null;
  /** Custom attribute values by key. Values of `tags` attributes are lists. */
  customAttributes: Record<string, string | string[]>;
  createdAt: number;
  lastModifiedAt: number;
  /** Time each attribute key last changed, in ms since the epoch. `updated_since` with `attributes[]` reads it. */
  attributeModifiedAt: Record<string, number>;
}

/** A document uploaded through POST /v1/company/documents. The file content is kept only as size and SHA-256. */
export interface StoredDocument {
  id: number;
  companyId: number;
  employeeId: number;
  categoryId: number;
  title: string;
  comment: string | null;
  /** YYYY-MM-DD. */
  date: string;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  uploadedAt: number;
}

/** Companies, credentials, employees and documents of a running sandbox. */
export class SandboxState {
  readonly #initialConfig: CompaniesConfig;
  readonly #now: () => number;
  companies = new Map<number, CompanyConfig>();
  credentials = new Map<string, CredentialConfig>();
  employees = new Map<number, EmployeeRecord>();
  documents: StoredDocument[] = [];
  #nextEmployeeId = 1;
  #nextDocumentId = 1;

  constructor(config: CompaniesConfig, now: () => number) {
    this.#initialConfig = config;
    this.#now = now;
    this.reset();
  }

  /** Restores the configured companies, employees and credentials and drops everything stored since. */
  reset(): void {
    this.companies = new Map(this.#initialConfig.companies.map((company) => [company.id, company]));
    this.credentials = new Map(this.#initialConfig.credentials.map((credential) => [credential.clientId, credential]));
    this.employees = new Map();
    this.documents = [];
    for (const company of this.#initialConfig.companies) {
      for (const seed of company.employees) {
        this.employees.set(seed.id, this.#employeeFromSeed(company, seed));
      }
    }
    const highestEmployeeId = Math.max(0, ...this.employees.keys());
    this.#nextEmployeeId = highestEmployeeId + 1;
    this.#nextDocumentId = 1;
  }

  company(companyId: number): CompanyConfig {
    const company = this.companies.get(companyId);
    if (company === undefined) {
      throw new Error(`Company ${companyId} does not exist in the sandbox.`);
    }
    return company;
  }

  /** Employees of one company, or of all companies, ordered by id. */
  employeesOf(companyId?: number): EmployeeRecord[] {
    const all = [...this.employees.values()].sort((left, right) => left.id - right.id);
    return companyId === undefined ? all : all.filter((employee) => employee.companyId === companyId);
  }

  /** Returns the employee when it exists in `companyId`. Employees of other companies are invisible. */
  findEmployee(companyId: number, employeeId: number): EmployeeRecord | undefined {
    const employee = this.employees.get(employeeId);
    return employee?.companyId === companyId ? employee : undefined;
  }

  allocateEmployeeId(): number {
    const id = this.#nextEmployeeId;
    this.#nextEmployeeId += 1;
    return id;
  }

  allocateDocumentId(): number {
    const id = this.#nextDocumentId;
    this.#nextDocumentId += 1;
    return id;
  }

  #employeeFromSeed(company: CompanyConfig, seed: EmployeeSeed): EmployeeRecord {
    const createdAt = seed.createdAt === undefined ? this.#now() : Date.parse(seed.createdAt);
    return {
      id: seed.id,
      companyId: company.id,
      email: seed.email,
      firstName: seed.firstName,
      lastName: seed.lastName,
      preferredName: seed.preferredName,
      gender: seed.gender,
      status: seed.status,
      position: seed.position,
      employmentType: seed.employmentType,
      weeklyWorkingHours: seed.weeklyWorkingHours,
      hireDate: seed.hireDate,
      departmentId: findUnitByName(company.departments, seed.department)?.id ?? null,
      officeId: findUnitByName(company.offices, seed.office)?.id ?? null,
      subcompanyId: findUnitByName(company.subcompanies, seed.subcompany)?.id ?? null,
      supervisorId: seed.supervisorId,
      customAttributes: { ...seed.customAttributes },
      createdAt,
      lastModifiedAt: createdAt,
      attributeModifiedAt: {},
    };
  }
}

/** Finds a department, office or subcompany by its exact name, as Personio v1 matches them. */
export function findUnitByName(units: readonly NamedUnit[], name: string | null): NamedUnit | undefined {
  if (name === null) {
    return undefined;
  }
  return units.find((unit) => unit.name === name);
}
