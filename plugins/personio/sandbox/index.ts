/**
 * Personio sandbox: a local HTTP server that behaves like Personio's v1 personnel-data API
 * (employees, attributes, document categories and uploads) and its v1 and v2 token endpoints,
 * with inspection and fault injection for tests, demos and plugin authors.
 */
export { startPersonioSandbox, type RunningSandbox, type SandboxOptions } from "./server.ts";
export { SandboxControl, type RequestFilter } from "./control.ts";
export { CONTROL_PREFIX } from "./control-http.ts";
export {
  ACCESS_AREAS,
  ATTRIBUTE_TYPES,
  EMPLOYEE_STATUSES,
  GENDERS,
  STANDARD_ATTRIBUTE_KEYS,
  SandboxConfigError,
  parseCompaniesConfig,
  type AccessArea,
  type AccessRights,
  type CompaniesConfig,
  type CompaniesConfigInput,
  type CompanyConfig,
  type CredentialConfig,
  type CredentialInput,
  type CustomAttributeDefinition,
  type EmployeeSeed,
} from "./config-schema.ts";
export { ACME, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_COMPANIES_CONFIG, DEFAULT_CREDENTIAL } from "./fixtures.ts";
export {
  DEFAULT_BEHAVIOUR,
  DEFAULT_RATE_LIMITS,
  type BehaviourPatch,
  type RateLimitSettings,
  type RateLimitsPatch,
  type SandboxBehaviour,
  type WindowLimit,
} from "./options.ts";
export { ROUTE_NAMES, type RouteName } from "./routes.ts";
export type { FaultSpec, FaultTarget, ScheduledFault } from "./faults.ts";
export type { IdentificationHeader, RecordedBody, RecordedFile, RecordedRequest, RecordedOutcome } from "./recorder.ts";
export type { EmployeeRecord, StoredDocument } from "./state.ts";
export type { IssuedToken } from "./tokens.ts";
export type { SandboxLogger } from "./runtime.ts";
export { ALLOWED_DOCUMENT_EXTENSIONS, MAX_DOCUMENT_BYTES } from "./documents.ts";
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "./employees.ts";
export { TOKEN_LIFETIME_MS } from "./tokens.ts";
