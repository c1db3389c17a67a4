import { z } from 'zod';
import type { HrisPluginRuntime } from '../../src/hris/index.ts';

/** Personio's production API host; paths carry the `/v1` prefix. */
export const PERSONIO_PRODUCTION_BASE_URL = 'https://api.personio.de';
/** Address of the local Personio sandbox (`npm run sandbox:personio`), used outside production. */
export const PERSONIO_SANDBOX_BASE_URL = 'http://127.0.0.1:4010';

const UPPER_SNAKE_CASE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;

export interface PersonioSettings {
  /** Explicit API base URL, or null to use the default for the runtime environment. */
  baseUrl: string | null;
  /** Value of `X-Personio-Partner-ID` on every request. */
  partnerId: string;
  /** Time limit of one HTTP request, in milliseconds. */
  timeoutMs: number;
  /** Retries of one request after a rate limit, or after a server error, timeout or lost connection on a read. */
  maxRetries: number;
}

export const personioSettingsSchema = z
  .object({
    PERSONIO_BASE_URL: z
      .url({ protocol: /^https?$/, error: 'PERSONIO_BASE_URL must be an http(s) URL such as https://api.personio.de.' })
      .optional()
      .describe('Base URL of the Personio API without /v1. Defaults to https://api.personio.de in production and to the local sandbox http://127.0.0.1:4010 otherwise.'),
    PERSONIO_PARTNER_ID: z
      .string()
      .regex(UPPER_SNAKE_CASE, 'PERSONIO_PARTNER_ID must be UPPER_SNAKE_CASE, for example HRIS_EXPORT.')
      .default('HRIS_EXPORT')
      .describe('Value of the X-Personio-Partner-ID header, in UPPER_SNAKE_CASE.'),
    PERSONIO_TIMEOUT_MS: z.coerce
      .number<string>()
      .int()
      .min(100, 'PERSONIO_TIMEOUT_MS must be at least 100 (milliseconds).')
      .max(120_000, 'PERSONIO_TIMEOUT_MS must be at most 120000 (milliseconds).')
      .default(10_000)
      .describe('Time limit of one request to Personio, in milliseconds.'),
    PERSONIO_MAX_RETRIES: z.coerce
      .number<string>()
      .int()
      .min(0, 'PERSONIO_MAX_RETRIES must be 0 or more.')
      .max(10, 'PERSONIO_MAX_RETRIES must be at most 10.')
      .default(3)
      .describe('Retries of one request to Personio after a rate limit, or after a server error, timeout or lost connection on a read.'),
  })
  .transform(
    (variables): PersonioSettings => ({
      baseUrl: variables.PERSONIO_BASE_URL ?? null,
      partnerId: variables.PERSONIO_PARTNER_ID,
      timeoutMs: variables.PERSONIO_TIMEOUT_MS,
      maxRetries: variables.PERSONIO_MAX_RETRIES,
    }),
  );

/**
 * Picks the API base URL: the configured one, else production Personio only in production and the
 * local sandbox everywhere else, so development and tests never reach the real service by default.
 * A trailing slash or `/v1` is removed because request paths carry `/v1` themselves.
 */
export function resolveBaseUrl(settings: PersonioSettings, environment: HrisPluginRuntime['environment']): string {
  const configured = settings.baseUrl ?? (environment === 'production' ? PERSONIO_PRODUCTION_BASE_URL : PERSONIO_SANDBOX_BASE_URL);
  return configured.replace(/\/+$/, '').replace(/\/v1$/, '');
}
