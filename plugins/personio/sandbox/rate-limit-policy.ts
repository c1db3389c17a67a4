import type { IncomingMessage } from "node:http";
import { oauthError } from "./auth.ts";
import type { SandboxCore } from "./core.ts";
import { v1Error, type SandboxResponse } from "./http-io.ts";
import type { RateLimitSettings, WindowLimit } from "./options.ts";
import type { RateDecision } from "./rate-limits.ts";
import type { RouteDefinition, RouteName } from "./routes.ts";

/**
 * Applies the limits that fit this stage: before authentication (clientId null) the
 * per-IP global and token-endpoint limits; after it, the per-credential route limits.
 */
export function checkRateLimits(core: SandboxCore, request: IncomingMessage, route: RouteDefinition, clientId: string | null): SandboxResponse | undefined {
  const settings = core.rateLimits;
  if (!settings.enabled) {
    return undefined;
  }
  const limiter = core.rateLimiter;
  const address = request.socket.remoteAddress ?? "unknown";
  let decision: RateDecision = { allowed: true };

  if (clientId === null) {
    if (route.api === "v1") {
      decision = limiter.check(`global:${address}`, [settings.global]);
    }
    if (decision.allowed && route.name === "auth") {
      decision = limiter.checkWithCooldown(`auth:${address}`, settings.auth, settings.auth.cooldownMs);
    }
    if (decision.allowed && route.name === "auth.v2.token") {
      decision = limiter.checkWithThrottle(`v2token:${address}`, settings.v2Token, settings.v2Token.throttleMs);
    }
  } else {
    const limits = routeLimits(route.name, settings);
    if (limits.length > 0) {
      decision = limiter.check(`${route.name}:${clientId}`, limits);
    }
  }
  if (decision.allowed) {
    return undefined;
  }

  const headers: Record<string, string> = {};
  if (settings.retryAfterHeader) {
    headers["retry-after"] = String(Math.max(1, Math.ceil(decision.retryAfterMs / 1000)));
  }
  if (route.api === "v2") {
    return oauthError(core.clock.now(), "temporarily_unavailable", "Too many token requests. Please retry later.", {
      status: 429,
      headers,
    });
  }
  // NOTE: Personio documents the 429 status for v1 but neither its body nor its headers.
  return v1Error(429, "Too many requests. Please retry later.", { headers });
}

function routeLimits(name: RouteName, settings: RateLimitSettings): WindowLimit[] {
  switch (name) {
    case "employees.list":
      return [settings.employeesListBurst, settings.employeesList];
    case "documents.upload":
      return [settings.documentsUpload];
    default:
      return [];
  }
}
