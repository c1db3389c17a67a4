import { z } from "zod";

/**
 * Switches for points that Personio does not document. Each default is the most likely
 * behaviour of the live API, and the alternative lets a client be tested against the other.
 */
export interface SandboxBehaviour {
  /** POST /v1/company/employees with an email that already exists in the company: 422 error, or create a second employee. */
  duplicateEmail: "reject" | "create";
  /** `email` in a PATCH body: ignored like every non-updatable field, ignored with a `meta` notice, or 422. */
  emailOnUpdate: "ignore" | "notice" | "reject";
  /** Comparison of the `email` filter of GET /v1/company/employees. */
  emailFilter: "caseInsensitive" | "exact";
  /** GET /v1/company/employees with `limit` above 100: 400 error, or respond with 100 records. */
  limitAboveMaximum: "reject" | "clamp";
  /** Status when the credential lacks the area right (for example Employees Write). */
  missingRightStatus: 403 | 401;
  /** Status for an unknown, revoked or expired bearer token. */
  invalidTokenStatus: 401 | 403;
  /** Status of POST /v1/auth with an unknown client id or a wrong secret. */
  wrongCredentialsStatus: 401 | 400 | 403;
  /** Status of a document upload whose file exceeds 30 MB. */
  uploadTooLargeStatus: 422 | 413;
  /** Property that contains the category in the 201 upload response: the spec example's `category` or the spec schema's `category_id`. */
  documentCategoryKey: "category" | "category_id";
}

export const DEFAULT_BEHAVIOUR: SandboxBehaviour = {
  duplicateEmail: "reject",
  emailOnUpdate: "ignore",
  emailFilter: "caseInsensitive",
  limitAboveMaximum: "reject",
  missingRightStatus: 403,
  invalidTokenStatus: 401,
  wrongCredentialsStatus: 401,
  uploadTooLargeStatus: 422,
  documentCategoryKey: "category",
};

/** A sliding-window limit: at most `limit` accepted requests within any `windowMs`. */
export interface WindowLimit {
  limit: number;
  windowMs: number;
}

/** Rate limits, defaulting to the values Personio documents for v1. */
export interface RateLimitSettings {
  enabled: boolean;
  /** Whether 429 responses carry `Retry-After` in seconds. Personio documents no such header for v1. */
  retryAfterHeader: boolean;
  /** All v1 routes, counted per client IP address (2000 per minute). */
  global: WindowLimit;
  /** POST /v1/auth, counted per client IP address (60 per minute), followed by a cool-down. */
  auth: WindowLimit & { cooldownMs: number };
  /** POST /v2/auth/token, 150 per minute. Once exceeded, one request per second is accepted for `throttleMs`. */
  v2Token: WindowLimit & { throttleMs: number };
  /** GET /v1/company/employees per credential: 300 per minute. */
  employeesList: WindowLimit;
  /** GET /v1/company/employees per credential: bursts of 15 per second. */
  employeesListBurst: WindowLimit;
  /** POST /v1/company/documents per credential: 60 per minute. */
  documentsUpload: WindowLimit;
}

export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  enabled: true,
  retryAfterHeader: true,
  global: { limit: 2000, windowMs: 60_000 },
  auth: { limit: 60, windowMs: 60_000, cooldownMs: 60_000 },
  v2Token: { limit: 150, windowMs: 60_000, throttleMs: 60_000 },
  employeesList: { limit: 300, windowMs: 60_000 },
  employeesListBurst: { limit: 15, windowMs: 1_000 },
  documentsUpload: { limit: 60, windowMs: 60_000 },
};

const positiveInt = z.number().int().positive();
const windowLimitPatch = z.object({ limit: positiveInt, windowMs: positiveInt }).partial();

export const behaviourPatchSchema = z
  .object({
    duplicateEmail: z.enum(["reject", "create"]),
    emailOnUpdate: z.enum(["ignore", "notice", "reject"]),
    emailFilter: z.enum(["caseInsensitive", "exact"]),
    limitAboveMaximum: z.enum(["reject", "clamp"]),
    missingRightStatus: z.union([z.literal(403), z.literal(401)]),
    invalidTokenStatus: z.union([z.literal(401), z.literal(403)]),
    wrongCredentialsStatus: z.union([z.literal(401), z.literal(400), z.literal(403)]),
    uploadTooLargeStatus: z.union([z.literal(422), z.literal(413)]),
    documentCategoryKey: z.enum(["category", "category_id"]),
  })
  .partial()
  .strict();

export const rateLimitsPatchSchema = z
  .object({
    enabled: z.boolean(),
    retryAfterHeader: z.boolean(),
    global: windowLimitPatch,
    auth: windowLimitPatch.extend({ cooldownMs: z.number().int().nonnegative() }).partial(),
    v2Token: windowLimitPatch.extend({ throttleMs: z.number().int().nonnegative() }).partial(),
    employeesList: windowLimitPatch,
    employeesListBurst: windowLimitPatch,
    documentsUpload: windowLimitPatch,
  })
  .partial()
  .strict();

export type BehaviourPatch = z.infer<typeof behaviourPatchSchema>;
export type RateLimitsPatch = z.infer<typeof rateLimitsPatchSchema>;

/** Returns `base` with the fields of `patch` applied one level deep. */
export function applyRateLimitsPatch(base: RateLimitSettings, patch: RateLimitsPatch): RateLimitSettings {
  return {
    enabled: patch.enabled ?? base.enabled,
    retryAfterHeader: patch.retryAfterHeader ?? base.retryAfterHeader,
    global: { ...base.global, ...patch.global },
    auth: { ...base.auth, ...patch.auth },
    v2Token: { ...base.v2Token, ...patch.v2Token },
    employeesList: { ...base.employeesList, ...patch.employeesList },
    employeesListBurst: { ...base.employeesListBurst, ...patch.employeesListBurst },
    documentsUpload: { ...base.documentsUpload, ...patch.documentsUpload },
  };
}
