import type { PersonioApiError } from './api-error.ts';

/** Longest wait the client sleeps through for one rate-limit response. Longer waits are reported instead. */
export const MAX_RATE_LIMIT_WAIT_MS = 30_000;
/** Personio locks `POST /v1/auth` for 60 seconds after its limit is exceeded. */
export const AUTH_COOL_DOWN_SECONDS = 60;

const RATE_LIMIT_BASE_DELAY_MS = 1_000;
const ERROR_BASE_DELAY_MS = 500;
const MAX_BACKOFF_MS = 30_000;

/** Exponential backoff with up to 50 % added jitter, so the result is never below `baseMs * 2^retry`. */
export function backoffDelay(retry: number, baseMs: number, random: () => number): number {
  const exponential = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** retry);
  return Math.round(exponential * (1 + random() * 0.5));
}

/**
 * Returns how long to wait before repeating a failed request, or null when it must not be repeated.
 * A 429 means Personio did not process the request, so every method is repeated after `Retry-After`.
 * Without that header the wait is a backoff starting at 1 s, except for `POST /v1/auth`, whose
 * documented 60-second cool-down exceeds the longest wait. Server errors, timeouts, lost connections
 * and unreadable bodies are repeated only for idempotent requests, because a create may already have
 * taken effect.
 */
export function retryDelay(error: PersonioApiError, retry: number, idempotent: boolean, random: () => number): number | null {
  if (error.kind === 'http' && error.status === 429) {
    let delayMs: number;
    if (error.retryAfterSeconds !== null) {
      delayMs = Math.ceil(error.retryAfterSeconds * 1000);
    } else if (error.stage === 'auth') {
      delayMs = AUTH_COOL_DOWN_SECONDS * 1000;
    } else {
      delayMs = backoffDelay(retry, RATE_LIMIT_BASE_DELAY_MS, random);
    }
    return delayMs <= MAX_RATE_LIMIT_WAIT_MS ? delayMs : null;
  }
  if (!idempotent) {
    return null;
  }
  const transient =
    (error.kind === 'http' && error.status >= 500) ||
    error.kind === 'timeout' ||
    error.kind === 'network' ||
    error.kind === 'invalid-response';
  return transient ? backoffDelay(retry, ERROR_BASE_DELAY_MS, random) : null;
}

/**
 * True when Personio rejected the access token itself: any 401, or a 403 whose body code is 401 or
 * 403 (Personio's documented "Provided authorization is not valid"). A 403 with code 0 is a missing
 * access right and is not retried with a new token.
 */
export function isTokenRejection(error: PersonioApiError): boolean {
  if (error.kind !== 'http' || error.stage !== 'request') {
    return false;
  }
  return error.status === 401 || (error.status === 403 && (error.code === 401 || error.code === 403));
}
