import type { z } from 'zod';

/**
 * The public contract between the core and an HRIS provider plugin.
 * Plugins import only from src/hris/index.ts; the core never imports a plugin.
 */

/** Optional abilities a provider declares; the core checks them instead of provider keys. */
export type HrisCapability =
  /** The provider can attach files (CVs, contracts) to an employee. */
  | 'documents'
  /** The provider can update an existing employee, so a repeated export can send changed fields. */
  | 'updateEmployee'
  /** The provider exposes company-specific attributes with types and options. */
  | 'customAttributes';

/** Logger handed to plugins: the subset of pino's API they may use. */
export interface HrisLogger {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
  child(bindings: object): HrisLogger;
}

/** Metadata of a credential field, attached with zod's `.meta()` on the manifest's credential schema. */
export interface CredentialFieldMeta {
  /** Label a form shows next to the input. */
  label: string;
  /** Help text: where the value is found in the HRIS and what format it takes. */
  description: string;
  /** True for values that must never be echoed back, logged or shown after entry. */
  secret?: boolean;
  /** Placeholder or example value for the form. */
  example?: string;
}

export interface HrisManifest<Credentials = unknown> {
  /** Stable lower-case identifier such as `personio`; stored with every connection. */
  key: string;
  displayName: string;
  /** Link to the plugin's setup guide for account admins. */
  documentationUrl: string;
  capabilities: readonly HrisCapability[];
  /**
   * Schema of the connection credentials: a zod object of string fields, each carrying
   * {@link CredentialFieldMeta} through `.meta()`. The GraphQL input type and the form
   * fields in `hrisProviders` are derived from it. Transforms may normalise values
   * (for example a URL to a subdomain).
   */
  credentials: z.ZodType<Credentials, Record<string, string>>;
  /** Upper bound of concurrent exports per connection that the provider's rate limits allow. */
  maxConcurrentExports: number;
}

/** Runtime facts the composition root hands to every plugin factory. */
export interface HrisPluginRuntime {
  environment: 'development' | 'test' | 'production';
  logger: HrisLogger;
}

/**
 * What plugins/<name>/index.ts exports. `settingsSchema` declares the environment variables
 * the plugin reads (keys are variable names); config.ts validates them together with the
 * core's variables, so every problem is reported at once.
 */
export interface HrisPluginDefinition<Credentials = unknown, Settings = unknown> {
  manifest: HrisManifest<Credentials>;
  settingsSchema: z.ZodType<Settings, Record<string, string | undefined>>;
  create(settings: Settings, runtime: HrisPluginRuntime): HrisProvider<Credentials>;
}

export interface HrisProvider<Credentials = unknown> {
  /** Opens a session for one connection; implementations share tokens between sessions of the same credentials. */
  session(credentials: Credentials): HrisSession;
}

// ---------------------------------------------------------------------------
// Results and failures

/** The closed set of expected failures. Plugins return these; they throw only for bugs. */
export type HrisFailure =
  | { kind: 'INVALID_CREDENTIALS'; message: string }
  | { kind: 'MISSING_PERMISSION'; permission: string; message: string; remediation: string }
  | { kind: 'RATE_LIMITED'; retryAfterSeconds: number | null; message: string }
  | { kind: 'REJECTED'; field: string | null; message: string }
  | { kind: 'UNAVAILABLE'; timedOut: boolean; message: string }
  | { kind: 'CONFLICT'; message: string; existingEmployeeId: string | null };

export type HrisResult<T> = { ok: true; value: T } | { ok: false; failure: HrisFailure };

export const success = <T>(value: T): HrisResult<T> => ({ ok: true, value });
export const failure = <T = never>(failure: HrisFailure): HrisResult<T> => ({ ok: false, failure });

// ---------------------------------------------------------------------------
// Verification

export type PermissionStatus = 'GRANTED' | 'MISSING' | 'UNVERIFIED';

export interface PermissionCheck {
  /** Stable key such as `employees:write` or `attribute:email`. */
  key: string;
  label: string;
  status: PermissionStatus;
  /** Required for exports; a missing optional permission is a warning, not a failure. */
  required: boolean;
  /** Change to make in the HRIS to grant it. Present when status is not GRANTED. */
  remediation: string | null;
}

export interface VerificationReport {
  permissions: PermissionCheck[];
}

// ---------------------------------------------------------------------------
// Reference data of the connected account

export interface NamedValue {
  id: string;
  name: string;
}

export interface CustomAttribute {
  key: string;
  label: string;
  type: string;
  options: string[];
}

export interface ReferenceData {
  departments: NamedValue[];
  offices: NamedValue[];
  subcompanies: NamedValue[];
  customAttributes: CustomAttribute[];
  documentCategories: NamedValue[];
  /** Attribute keys the credential can read back; a sent field outside this list is unverified. */
  readableAttributes: string[];
}

// ---------------------------------------------------------------------------
// The provider-neutral new hire

export type Gender = 'MALE' | 'FEMALE' | 'DIVERSE';
export type EmploymentType = 'FULL_TIME' | 'PART_TIME' | 'CONTRACT' | 'INTERNSHIP' | 'TEMPORARY';

export interface PostalAddress {
  street: string | null;
  postalCode: string | null;
  city: string | null;
  country: string | null;
}

/**
 * A candidate as a new employee, cleaned by the core: names NFC-normalised and trimmed,
 * dates as `YYYY-MM-DD` calendar dates, department/office/subcompany already matched to
 * the HRIS's reference values. A field is absent when the ATS has no valid value for it;
 * the core reports those absences itself.
 */
export interface NewHire {
  firstName: string;
  lastName: string;
  email: string;
  preferredName?: string;
  phone?: string;
  gender?: Gender;
  dateOfBirth?: string;
  address?: PostalAddress;
  nationality?: string;
  position?: string;
  department?: NamedValue;
  office?: NamedValue;
  subcompany?: NamedValue;
  employmentType?: EmploymentType;
  weeklyHours?: number;
  startDate?: string;
  supervisor?: { employeeId: string; email: string };
}

export type NewHireField = keyof NewHire;

export type FieldStatus =
  /** Sent, accepted, and read back with the same value (or the provider confirmed it). */
  | 'SENT'
  /** Sent, accepted, but the credential cannot read it back, so the stored value is not verified. */
  | 'UNVERIFIED'
  /** Sent, but the HRIS's response reports that it ignored the value. */
  | 'IGNORED_BY_HRIS'
  /** Not sent: the ATS has no value. */
  | 'MISSING_IN_ATS'
  /** Not sent: the ATS value breaks a rule (see reason). */
  | 'INVALID'
  /** Not sent: the HRIS has no matching value (see suggestion). */
  | 'NO_MATCHING_VALUE'
  /** Not sent: the HRIS has no field for it. */
  | 'NOT_SUPPORTED'
  /** On a repeated export: the HRIS value differed and was updated. */
  | 'UPDATED'
  /** On a repeated export: the HRIS value already matched. */
  | 'UNCHANGED';

export interface FieldOutcome {
  field: NewHireField;
  status: FieldStatus;
  /** The value sent (or that would have been sent), as text. */
  value: string | null;
  /** The HRIS's value before an update. */
  previousValue?: string | null;
  reason: string | null;
  /** Closest existing HRIS value when status is NO_MATCHING_VALUE. */
  suggestion?: string | null;
}

export interface EmployeeRecord {
  employeeId: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
}

export interface EmployeeWrite {
  employeeId: string;
  /** One outcome per field present in the NewHire. */
  fields: FieldOutcome[];
}

export interface HrisDocument {
  fileName: string;
  mimeType: string;
  content: Uint8Array;
  /** Human title for the HRIS, for example "CV – Zoë Müller". */
  title: string;
  kind: 'CV' | 'OTHER';
}

export interface DocumentUpload {
  documentId: string;
  /** Name of the HRIS category the file was filed under. */
  category: string | null;
}

export interface HrisSession {
  verify(): Promise<HrisResult<VerificationReport>>;
  referenceData(): Promise<HrisResult<ReferenceData>>;
  /** Looks up an employee by email, case-insensitively; `+tags` are significant. */
  findEmployeeByEmail(email: string): Promise<HrisResult<EmployeeRecord | null>>;
  /**
   * Creates an employee. Implementations must not create a duplicate when a request's
   * response is lost: they look the email up before any retry.
   */
  createEmployee(hire: NewHire, reference: ReferenceData): Promise<HrisResult<EmployeeWrite>>;
  /** Present when the manifest declares `updateEmployee`: sends only the fields whose HRIS value differs. */
  updateEmployee?(employeeId: string, hire: NewHire, reference: ReferenceData): Promise<HrisResult<EmployeeWrite>>;
  /** Present when the manifest declares `documents`. */
  uploadDocument?(employeeId: string, document: HrisDocument, reference: ReferenceData): Promise<HrisResult<DocumentUpload>>;
  /** Link to the employee in the HRIS's web app, where one can be built. */
  employeeUrl(employeeId: string): string | null;
}
