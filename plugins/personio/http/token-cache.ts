import { createHash } from 'node:crypto';
import type { Clock } from './clock.ts';
import type { ApiResult } from './api-error.ts';

export interface AccessToken {
  token: string;
  /** Epoch milliseconds when the token was received. */
  issuedAt: number;
  /** Epoch milliseconds after which Personio no longer accepts the token. */
  expiresAt: number;
  /** Access rights from the `scope` field of `POST /v1/auth`, or null when Personio sent none. */
  scopes: string[] | null;
}

/** Personio's v1 tokens are valid for 24 hours; used when the auth response has no `expires_in`. */
const DEFAULT_LIFETIME_SECONDS = 86_400;
const MAX_REFRESH_MARGIN_MS = 5 * 60_000;

/** Key of one credential: the client id and a hash of the secret, so a changed secret gets its own token. */
export function credentialKey(clientId: string, clientSecret: string): string {
  const secretHash = createHash('sha256').update(clientSecret).digest('hex').slice(0, 16);
  return `${clientId}:${secretHash}`;
}

export function accessTokenFrom(token: string, expiresInSeconds: number | null | undefined, scope: string | null | undefined, nowMs: number): AccessToken {
  const lifetimeSeconds = expiresInSeconds && expiresInSeconds > 0 ? expiresInSeconds : DEFAULT_LIFETIME_SECONDS;
  const scopes = typeof scope === 'string' ? scope.split(/\s+/).filter((entry) => entry !== '') : null;
  return { token, issuedAt: nowMs, expiresAt: nowMs + lifetimeSeconds * 1000, scopes };
}

/**
 * Cache of one token per credential. Concurrent callers share one in-flight `POST /v1/auth`. A token
 * is replaced 5 minutes before it expires, or a tenth of its lifetime before when that is shorter.
 */
export class TokenCache {
  private readonly tokens = new Map<string, AccessToken>();
  private readonly pending = new Map<string, Promise<ApiResult<AccessToken>>>();

  constructor(private readonly clock: Clock) {}

  async get(key: string, fetchToken: () => Promise<ApiResult<AccessToken>>): Promise<ApiResult<AccessToken>> {
    const cached = this.tokens.get(key);
    if (cached !== undefined && !this.isDue(cached)) {
      return { ok: true, value: cached };
    }

    let request = this.pending.get(key);
    if (request === undefined) {
      request = this.fetchAndStore(key, fetchToken);
      this.pending.set(key, request);
    }
    return request;
  }

  /** Drops the token after Personio rejected it, unless another caller already replaced it. */
  invalidate(key: string, token: string): void {
    if (this.tokens.get(key)?.token === token) {
      this.tokens.delete(key);
    }
  }

  /** Stores a token that Personio returned in a response's `Authorization` header (rotating tokens of older accounts). */
  replace(key: string, previousToken: string, nextToken: string): void {
    const cached = this.tokens.get(key);
    if (cached !== undefined && cached.token === previousToken) {
      this.tokens.set(key, { ...cached, token: nextToken });
    }
  }

  private async fetchAndStore(key: string, fetchToken: () => Promise<ApiResult<AccessToken>>): Promise<ApiResult<AccessToken>> {
    try {
      const result = await fetchToken();
      if (result.ok) {
        this.tokens.set(key, result.value);
      }
      return result;
    } finally {
      this.pending.delete(key);
    }
  }

  private isDue(token: AccessToken): boolean {
    const remainingMs = token.expiresAt - this.clock.now();
    const marginMs = Math.min(MAX_REFRESH_MARGIN_MS, (token.expiresAt - token.issuedAt) / 10);
    return remainingMs <= marginMs;
  }
}
