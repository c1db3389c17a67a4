import type { HrisFailure, NewHireField } from '../../src/hris/index.ts';
import { describeApiError, type PersonioApiError } from './http/api-error.ts';
import type { PermissionDefinition } from './permissions.ts';

/** Description of a failed request, for the failure's message and for a 403. */
export interface FailureContext {
  /** Sentence fragment such as "create the employee". */
  action: string;
  /** The access right a 403 from this endpoint means is missing. */
  permission: PermissionDefinition;
  /** Neutral field names of request fields that Personio names in `error_data`. */
  fieldNames?: Readonly<Record<string, NewHireField | string>>;
}

/**
 * Maps a Personio error to the plugin interface's failure kinds by HTTP status and stage.
 * Messages name the action and the next step and never contain the secret or token.
 */
export function toFailure(error: PersonioApiError, context: FailureContext): HrisFailure {
  const summary = `Personio request to ${context.action} failed: ${describeApiError(error)}.`;

  if (error.kind === 'timeout') {
    return { kind: 'UNAVAILABLE', timedOut: true, message: `${summary} Try again later; raise PERSONIO_TIMEOUT_MS if Personio is slow.` };
  }
  if (error.kind === 'network' || error.kind === 'invalid-response') {
    return { kind: 'UNAVAILABLE', timedOut: false, message: `${summary} Try again later.` };
  }

  const { status } = error;
  if (status === 429) {
    const wait = error.retryAfterSeconds === null ? 'later' : `in ${Math.ceil(error.retryAfterSeconds)} seconds`;
    return { kind: 'RATE_LIMITED', retryAfterSeconds: error.retryAfterSeconds, message: `${summary} Personio's rate limit was reached; try again ${wait}.` };
  }
  if (status >= 500) {
    return { kind: 'UNAVAILABLE', timedOut: false, message: `${summary} Personio had a server error; try again later.` };
  }

  if (error.stage === 'auth') {
    return {
      kind: 'INVALID_CREDENTIALS',
      message: `Personio rejected the client ID or client secret (HTTP ${status}). Check both values of the API credential in Personio, or create a new credential.`,
    };
  }
  if (status === 401 || status === 403) {
    // The client repeats a request once with a new token after Personio rejected the token. A 401
    // here therefore came although /v1/auth had just accepted the credential, which third parties
    // report as Personio's response to a missing area right on some endpoints.
    const tokenNote = status === 401 ? ' although Personio had just issued a new access token' : '';
    return {
      kind: 'MISSING_PERMISSION',
      permission: context.permission.key,
      message: `${summary} Personio rejected it${tokenNote}, so the API credential most likely lacks ${context.permission.label}.`,
      remediation: context.permission.remediation,
    };
  }

  const field = error.fields.map((name) => context.fieldNames?.[name] ?? name)[0] ?? null;
  return { kind: 'REJECTED', field, message: summary };
}
