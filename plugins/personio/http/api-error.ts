import { errorBodySchema } from '../schemas.ts';

/** Stage at which a request failed: getting a token from `POST /v1/auth`, or the call itself. */
export type RequestStage = 'auth' | 'request';

/** A failed Personio request, classified by HTTP status and error code, never by message text. */
export type PersonioApiError =
  | {
      kind: 'http';
      stage: RequestStage;
      status: number;
      /** `error.code` of the body: 0, the HTTP status, or null when absent. */
      code: number | null;
      /** Personio's message, often German; shown to people, never used for decisions. */
      message: string | null;
      /** Keys of `error.error_data`, which name the invalid request fields. */
      fields: string[];
      retryAfterSeconds: number | null;
    }
  | { kind: 'timeout'; stage: RequestStage }
  | { kind: 'network'; stage: RequestStage; detail: string }
  | { kind: 'invalid-response'; stage: RequestStage; status: number; detail: string };

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: PersonioApiError };

export function httpError(stage: RequestStage, status: number, bodyText: string, retryAfterSeconds: number | null): PersonioApiError {
  const body = parseErrorBody(bodyText);
  return { kind: 'http', stage, status, ...body, retryAfterSeconds };
}

function parseErrorBody(bodyText: string): { code: number | null; message: string | null; fields: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(bodyText);
  } catch {
    return { code: null, message: null, fields: [] };
  }
  const parsed = errorBodySchema.safeParse(json);
  if (!parsed.success) {
    return { code: null, message: null, fields: [] };
  }
  const { code, message, error_data: errorData } = parsed.data.error;
  const numericCode = typeof code === 'string' ? Number.parseInt(code, 10) : code;
  return {
    code: numericCode === undefined || numericCode === null || Number.isNaN(numericCode) ? null : numericCode,
    message: message?.trim() || null,
    fields: errorData ? Object.keys(errorData) : [],
  };
}

/**
 * Reads `Retry-After` as seconds or as an HTTP date. Returns null when the header is absent or
 * unreadable, and never a negative number.
 */
export function parseRetryAfter(header: string | null, nowMs: number): number | null {
  if (header === null || header.trim() === '') {
    return null;
  }
  const text = header.trim();
  if (/^\d+(?:\.\d+)?$/.test(text)) {
    return Number(text);
  }
  const date = Date.parse(text);
  if (Number.isNaN(date)) {
    return null;
  }
  return Math.max(0, (date - nowMs) / 1000);
}

/** Describes an error for logs and failure messages; it never contains a token or secret. */
export function describeApiError(error: PersonioApiError): string {
  switch (error.kind) {
    case 'http':
      return error.message === null ? `HTTP ${error.status}` : `HTTP ${error.status}: ${error.message}`;
    case 'timeout':
      return 'the request timed out';
    case 'network':
      return `the connection failed (${error.detail})`;
    case 'invalid-response':
      return `HTTP ${error.status} with a body that does not match the expected format (${error.detail})`;
  }
}
