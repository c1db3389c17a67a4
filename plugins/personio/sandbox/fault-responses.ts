import { STATUS_CODES } from "node:http";
import type { FaultSpec } from "./faults.ts";
import { v1Error, type SandboxResponse } from "./http-io.ts";
import type { RouteDefinition } from "./routes.ts";

/** Body of the v1 forbidden error observed when a credential lacks an area right. */
export const FORBIDDEN_EXCEPTION_MESSAGE = "personio.core.api.exceptions.api.forbidden.http.exception";

/**
 * Builds the response of a `status` fault. Without an explicit body, 502, 503 and 504 get an
 * HTML page, because a gateway in front of the API sends one. Other statuses get the error
 * shape of the route's API.
 */
export function statusFaultResponse(spec: Extract<FaultSpec, { kind: "status" }>, route: RouteDefinition): SandboxResponse {
  const headers = spec.headers ?? {};
  if (spec.body !== undefined) {
    return typeof spec.body === "string"
      ? { status: spec.status, rawBody: spec.body, headers }
      : { status: spec.status, body: spec.body, headers };
  }
  const reason = STATUS_CODES[spec.status] ?? "Error";
  if (spec.status >= 502 && spec.status <= 504) {
    return {
      status: spec.status,
      rawBody: `<html>\n<head><title>${spec.status} ${reason}</title></head>\n<body>\n<center><h1>${spec.status} ${reason}</h1></center>\n</body>\n</html>\n`,
      contentType: "text/html",
      headers,
    };
  }
  if (route.api === "v2") {
    return {
      status: spec.status,
      body: { error: spec.status >= 500 ? "server_error" : "invalid_request", error_description: reason },
      contentType: "application/problem+json",
      headers,
    };
  }
  return v1Error(spec.status, defaultV1Message(spec.status, reason), { headers });
}

function defaultV1Message(status: number, reason: string): string {
  switch (status) {
    case 401:
      return "Provided authorization is not valid";
    case 403:
      return FORBIDDEN_EXCEPTION_MESSAGE;
    case 404:
      return "Es ist ein Problem aufgetreten ";
    case 500:
      return "Something went wrong";
    default:
      return reason;
  }
}

/** Builds a 200 response whose JSON document is cut off in the middle. */
export function malformedJsonResponse(): SandboxResponse {
  return {
    status: 200,
    rawBody: '{"success":true,"data":[{"type":"Employee","attributes":{"id":{"label":"ID","value":10',
    contentType: "application/json",
  };
}

/** Builds a 200 response with well-formed JSON that breaks the route's response schema. */
export function schemaViolationResponse(spec: Extract<FaultSpec, { kind: "schemaViolation" }>, route: RouteDefinition): SandboxResponse {
  if (spec.body !== undefined) {
    return { status: 200, body: spec.body };
  }
  if (route.api === "v2") {
    return { status: 200, body: { access_token: 42, token_type: "Mac", expires_in: "tomorrow" } };
  }
  return { status: 200, body: { success: "true", data: "This body does not follow the Personio response schema." } };
}
