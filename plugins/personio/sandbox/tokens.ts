import { randomBytes } from "node:crypto";
import type { AccessArea, AccessRights, CredentialConfig } from "./config-schema.ts";

/** Lifetime of a bearer token: 24 hours from issue, for v1 and v2 alike. */
export const TOKEN_LIFETIME_MS = 86_400_000;

export interface IssuedToken {
  token: string;
  clientId: string;
  companyId: number;
  scopes: string[];
  issuedAt: number;
  expiresAt: number;
  endpoint: "v1" | "v2";
}

/** Scope prefix of each area in the legacy scope strings that v1 tokens carry (`employees:read`). */
const LEGACY_SCOPE_PREFIX: Record<AccessArea, string> = {
  employees: "employees",
  attendances: "attendances",
  absences: "absences",
  documents: "documents",
  customReports: "reports.custom",
};

/** Prefix of the v2 scope of each area; documents and custom reports only have the legacy form. */
const V2_SCOPE_PREFIX: Partial<Record<AccessArea, string>> = {
  employees: "personio:persons",
  attendances: "personio:attendances",
  absences: "personio:absences",
};

/** Scopes a v1 token carries: the legacy form, as in the spec example `employees:read absences:read`. */
export function v1Scopes(rights: AccessRights): string[] {
  return grantedScopes(rights, false);
}

/** Scopes a v2 token may be granted: the legacy form plus the `personio:` form where one exists. */
export function v2Scopes(rights: AccessRights): string[] {
  return grantedScopes(rights, true);
}

function grantedScopes(rights: AccessRights, includeV2: boolean): string[] {
  const scopes: string[] = [];
  for (const area of Object.keys(LEGACY_SCOPE_PREFIX) as AccessArea[]) {
    for (const access of ["read", "write"] as const) {
      if (!rights[area][access]) {
        continue;
      }
      scopes.push(`${LEGACY_SCOPE_PREFIX[area]}:${access}`);
      const v2Prefix = V2_SCOPE_PREFIX[area];
      if (includeV2 && v2Prefix !== undefined) {
        scopes.push(`${v2Prefix}:${access}`);
      }
    }
  }
  return scopes;
}

/** Returns whether a token's scopes cover `access` on `area`, in either scope form. */
export function tokenAllows(token: IssuedToken, area: AccessArea, access: "read" | "write"): boolean {
  const legacy = `${LEGACY_SCOPE_PREFIX[area]}:${access}`;
  const v2Prefix = V2_SCOPE_PREFIX[area];
  return token.scopes.includes(legacy) || (v2Prefix !== undefined && token.scopes.includes(`${v2Prefix}:${access}`));
}

/**
 * Issued bearer tokens. Asking again for the same credential, endpoint and scopes returns
 * the same `papi-` token until it expires, as Personio's stable 24-hour tokens do.
 */
export class TokenStore {
  readonly #now: () => number;
  #byToken = new Map<string, IssuedToken>();
  #byKey = new Map<string, IssuedToken>();

  constructor(now: () => number) {
    this.#now = now;
  }

  issue(credential: CredentialConfig, endpoint: "v1" | "v2", scopes: string[]): IssuedToken {
    const sortedScopes = [...scopes].sort();
    const key = `${endpoint}\u0000${credential.clientId}\u0000${sortedScopes.join(" ")}`;
    const existing = this.#byKey.get(key);
    if (existing !== undefined && this.#byToken.has(existing.token) && existing.expiresAt > this.#now()) {
      return existing;
    }
    const issuedAt = this.#now();
    const issued: IssuedToken = {
      token: `papi-${randomBytes(32).toString("base64url")}`,
      clientId: credential.clientId,
      companyId: credential.companyId,
      scopes: sortedScopes,
      issuedAt,
      expiresAt: issuedAt + TOKEN_LIFETIME_MS,
      endpoint,
    };
    this.#byToken.set(issued.token, issued);
    this.#byKey.set(key, issued);
    return issued;
  }

  /** Returns the token when it was issued, is not revoked and has not expired. */
  validate(token: string): IssuedToken | undefined {
    const issued = this.#byToken.get(token);
    return issued !== undefined && issued.expiresAt > this.#now() ? issued : undefined;
  }

  /** Seconds until the token expires, rounded down. */
  secondsLeft(issued: IssuedToken): number {
    return Math.max(0, Math.floor((issued.expiresAt - this.#now()) / 1000));
  }

  revoke(token: string): void {
    this.#byToken.delete(token);
  }

  /** Revokes every token, so the next call with any of them gets 401 and clients must authenticate again. */
  revokeAll(): void {
    this.#byToken.clear();
    this.#byKey.clear();
  }

  list(): IssuedToken[] {
    return [...this.#byToken.values()];
  }
}
