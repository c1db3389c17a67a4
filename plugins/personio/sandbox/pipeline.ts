import type { IncomingMessage, ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { handleV1Auth, handleV2Revoke, handleV2Token } from "./auth.ts";
import { authenticate } from "./bearer-auth.ts";
import type { SandboxCore } from "./core.ts";
import { handleListDocumentCategories, handleUploadDocument } from "./documents.ts";
import {
  handleCreateEmployee,
  handleGetEmployee,
  handleListAttributes,
  handleListEmployees,
  handleUpdateEmployee,
} from "./employees.ts";
import { malformedJsonResponse, schemaViolationResponse, statusFaultResponse } from "./fault-responses.ts";
import type { FaultSpec } from "./faults.ts";
import {
  BodyTooLargeError,
  mediaType,
  parseNestedForm,
  readBody,
  v1Error,
  writeResponse,
  type SandboxResponse,
} from "./http-io.ts";
import { checkRateLimits } from "./rate-limit-policy.ts";
import { queryRecord, type RecordedRequest } from "./recorder.ts";
import { matchRoute, type RouteDefinition, type RouteMatch, type RouteName } from "./routes.ts";
import type { HandlerContext, ParsedBody, RouteHandler } from "./runtime.ts";

const HANDLERS: Record<RouteName, RouteHandler> = {
  auth: handleV1Auth,
  "auth.v2.token": handleV2Token,
  "auth.v2.revoke": handleV2Revoke,
  "employees.list": handleListEmployees,
  "employees.get": handleGetEmployee,
  "employees.create": handleCreateEmployee,
  "employees.update": handleUpdateEmployee,
  "employees.attributes": handleListAttributes,
  "documentCategories.list": handleListDocumentCategories,
  "documents.upload": handleUploadDocument,
};

/** Largest non-multipart body the sandbox reads. */
const MAX_BODY_BYTES = 1024 * 1024;

/** Result of processing: a response to write, or a connection that was deliberately reset. */
type Outcome = SandboxResponse | "connectionReset";

/** Handles one request to a Personio route: latency, faults, rate limits, authentication, handler. */
export async function handlePersonioRequest(core: SandboxCore, request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
  const match = matchRoute(request.method ?? "GET", url.pathname);
  const route = match.kind === "match" ? match.route : null;
  const recording = core.recorder.record(request, url, route?.name ?? null, new Date(core.clock.now()).toISOString());
  const started = performance.now();

  let outcome: Outcome;
  try {
    outcome = await processRequest(core, request, url, match, recording);
  } catch (error) {
    if (core.shutdown.signal.aborted) {
      request.socket.destroy();
      return;
    }
    core.runtime.logger.error({ err: error, path: url.pathname }, "Sandbox request failed");
    outcome = v1Error(500, "Something went wrong");
  }

  if (outcome === "connectionReset") {
    recording.response = { outcome: "connectionReset" };
    request.socket.destroy();
  } else {
    recording.response = { outcome: "answered", status: outcome.status };
    writeResponse(response, outcome);
  }
  core.runtime.logger.debug(
    { method: request.method, path: url.pathname, route: route?.name ?? null, outcome: recording.response, ms: Math.round(performance.now() - started) },
    "Sandbox request handled",
  );
}

async function processRequest(
  core: SandboxCore,
  request: IncomingMessage,
  url: URL,
  match: RouteMatch,
  recording: RecordedRequest,
): Promise<Outcome> {
  await pause(core, core.latency.for(recording.route));
  if (match.kind !== "match") {
    return unmatchedResponse(match, url, core.clock.now());
  }
  const { route, params } = match;

  const body = await readParsedBody(request, route, recording);
  if (body === "tooLarge") {
    return v1Error(413, `The request body exceeds ${MAX_BODY_BYTES} bytes.`);
  }

  const fault = core.faults.take(route.name);
  const early = fault === undefined ? undefined : await applyFaultBeforeHandler(core, fault, route);
  if (early !== undefined) {
    return early;
  }

  const limited = checkRateLimits(core, request, route, null);
  if (limited !== undefined) {
    return limited;
  }

  const context: HandlerContext = { runtime: core.runtime, request, url, params, body, recording, auth: null };
  if (route.right !== null) {
    const rejection = authenticate(core, request, route, context);
    if (rejection !== undefined) {
      return rejection;
    }
    const routeLimited = checkRateLimits(core, request, route, context.auth?.credential.clientId ?? null);
    if (routeLimited !== undefined) {
      return routeLimited;
    }
  }

  const result = await HANDLERS[route.name](context);
  if (context.auth !== null && route.api === "v1" && result.status >= 200 && result.status < 300) {
    // Personio echoes the bearer token on successful personnel-data responses.
    result.headers = { ...result.headers, authorization: `Bearer ${context.auth.token.token}` };
  }

  if (fault?.kind === "respondLate") {
    await pause(core, fault.delayMs);
  }
  if (fault?.kind === "connectionReset" && fault.afterHandler) {
    return "connectionReset";
  }
  return result;
}

async function applyFaultBeforeHandler(core: SandboxCore, fault: FaultSpec, route: RouteDefinition): Promise<Outcome | undefined> {
  switch (fault.kind) {
    case "status":
      return statusFaultResponse(fault, route);
    case "connectionReset":
      return fault.afterHandler ? undefined : "connectionReset";
    case "malformedJson":
      return malformedJsonResponse();
    case "schemaViolation":
      return schemaViolationResponse(fault, route);
    case "delay":
      await pause(core, fault.delayMs);
      return undefined;
    case "respondLate":
      return undefined;
  }
}

function unmatchedResponse(match: Exclude<RouteMatch, { kind: "match" }>, url: URL, now: number): SandboxResponse {
  if (match.kind === "methodNotAllowed") {
    const allowed = match.allowed.join(", ");
    return v1Error(405, `The method is not allowed for ${url.pathname}. Allowed methods: ${allowed}.`, { headers: { allow: allowed } });
  }
  if (url.pathname.startsWith("/v2/")) {
    return {
      status: 404,
      contentType: "application/problem+json",
      body: {
        personio_trace_id: randomUUID(),
        timestamp: new Date(now).toISOString(),
        errors: [{ title: "Not Found", detail: `The endpoint with ${url.pathname} was not found.`, _meta: { path: url.pathname } }],
      },
    };
  }
  return v1Error(404, `The route ${url.pathname} does not exist.`);
}

/** Reads and records the body. The upload route reads its multipart body itself. */
async function readParsedBody(request: IncomingMessage, route: RouteDefinition, recording: RecordedRequest): Promise<ParsedBody | "tooLarge"> {
  const type = mediaType(request);
  if (route.name === "documents.upload" && type === "multipart/form-data") {
    return { kind: "unread" };
  }
  let raw: Buffer;
  try {
    raw = await readBody(request, MAX_BODY_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      return "tooLarge";
    }
    throw error;
  }
  const text = raw.toString("utf8");
  if (text === "") {
    return { kind: "none" };
  }
  if (type === "application/json" || type.endsWith("+json")) {
    try {
      const value: unknown = JSON.parse(text);
      recording.body = { kind: "json", value };
      return { kind: "json", value };
    } catch {
      recording.body = { kind: "text", mediaType: type, text };
      return { kind: "invalidJson", text };
    }
  }
  if (type === "application/x-www-form-urlencoded") {
    recording.body = { kind: "form", value: queryRecord(new URLSearchParams(text)) };
    return { kind: "form", value: parseNestedForm(text), text };
  }
  recording.body = { kind: "text", mediaType: type, text };
  return { kind: "other", mediaType: type, text };
}

/** Waits `ms` on a real timer. Stopping the sandbox cancels the wait. */
async function pause(core: SandboxCore, ms: number): Promise<void> {
  if (ms > 0) {
    await sleep(ms, undefined, { signal: core.shutdown.signal });
  }
}
