import type { IncomingMessage } from "node:http";
import type { SandboxCore } from "./core.ts";
import { FORBIDDEN_EXCEPTION_MESSAGE } from "./fault-responses.ts";
import { v1Error, type SandboxResponse } from "./http-io.ts";
import type { RouteDefinition } from "./routes.ts";
import type { HandlerContext } from "./runtime.ts";
import { tokenAllows } from "./tokens.ts";

/**
 * Checks the bearer token and the area right. Also counts the call for a pending
 * "invalidate tokens after N calls" switch.
 */
export function authenticate(core: SandboxCore, request: IncomingMessage, route: RouteDefinition, context: HandlerContext): SandboxResponse | undefined {
  const { behaviour } = core.runtime;
  const header = request.headers.authorization ?? "";
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (match?.[1] === undefined) {
    return v1Error(401, "Authorization is not provided");
  }
  const token = core.tokens.validate(match[1]);
  const credential = token === undefined ? undefined : core.state.credentials.get(token.clientId);
  if (token === undefined || credential === undefined) {
    return v1Error(behaviour.invalidTokenStatus, "Provided authorization is not valid");
  }
  context.recording.clientId = credential.clientId;
  if (core.tokenInvalidation.countCall()) {
    core.tokens.revokeAll();
  }

  const right = route.right;
  if (right !== null && !(credential.rights[right.area][right.access] && tokenAllows(token, right.area, right.access))) {
    // Observed body for a missing right; the status is not documented, 403 is the likely one.
    return v1Error(behaviour.missingRightStatus, FORBIDDEN_EXCEPTION_MESSAGE, { code: 0 });
  }
  context.auth = { token, credential, company: core.state.company(credential.companyId) };
  return undefined;
}
