import { randomUUID } from "node:crypto";
import type { CredentialConfig } from "./config-schema.ts";
import { jsonResponse, v1Error, type SandboxResponse } from "./http-io.ts";
import type { HandlerContext, ParsedBody } from "./runtime.ts";
import { v1Scopes, v2Scopes } from "./tokens.ts";

/**
 * Issues a v1 token (POST /v1/auth). Credentials are read from a JSON body, a form body or
 * the query string, because Personio accepted the query form first and added the body forms later.
 */
export function handleV1Auth(context: HandlerContext): SandboxResponse {
  const { runtime } = context;
  const clientId = readCredentialField(context, "client_id");
  const clientSecret = readCredentialField(context, "client_secret");
  if (clientId === undefined || clientSecret === undefined) {
    return v1Error(400, "The client_id and client_secret fields are required.");
  }
  context.recording.clientId = clientId;

  const credential = runtime.state.credentials.get(clientId);
  if (credential === undefined || credential.clientSecret !== clientSecret) {
    // NOTE: Personio documents only the 200 response; "Wrong credentials" is the message users report.
    const status = runtime.behaviour.wrongCredentialsStatus;
    return v1Error(status, "Wrong credentials");
  }

  const issued = runtime.tokens.issue(credential, "v1", v1Scopes(credential.rights));
  return jsonResponse(200, {
    success: true,
    data: {
      token: issued.token,
      expires_in: runtime.tokens.secondsLeft(issued),
      scope: issued.scopes.join(" "),
    },
  });
}

function readCredentialField(context: HandlerContext, name: "client_id" | "client_secret"): string | undefined {
  const fromBody = bodyField(context.body, name);
  if (fromBody !== undefined) {
    return fromBody;
  }
  const fromQuery = context.url.searchParams.get(name);
  return fromQuery === null || fromQuery === "" ? undefined : fromQuery;
}

function bodyField(body: ParsedBody, name: string): string | undefined {
  let value: unknown;
  if (body.kind === "json" && typeof body.value === "object" && body.value !== null) {
    value = (body.value as Record<string, unknown>)[name];
  } else if (body.kind === "form") {
    value = body.value[name];
  }
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** OAuth 2.0 error codes of `OAuth2TokenErrorResponse` in Personio's credentials-service v2 spec. */
type OAuthErrorCode =
  | "invalid_request"
  | "invalid_client"
  | "invalid_grant"
  | "unauthorized_client"
  | "unsupported_grant_type"
  | "invalid_scope"
  | "server_error"
  | "temporarily_unavailable";

/** Grant types defined by OAuth 2.0 and its extensions; any other value is an invalid grant. */
const KNOWN_GRANT_TYPES = new Set([
  "authorization_code",
  "implicit",
  "password",
  "refresh_token",
  "urn:ietf:params:oauth:grant-type:device_code",
  "urn:ietf:params:oauth:grant-type:jwt-bearer",
  "urn:ietf:params:oauth:grant-type:saml2-bearer",
  "urn:ietf:params:oauth:grant-type:token-exchange",
]);

/** An OAuth error body as the v2 token endpoint returns it, with content type `application/problem+json`. */
export function oauthError(
  now: number,
  code: OAuthErrorCode,
  description: string,
  options: { status?: number; meta?: Record<string, unknown>; headers?: Record<string, string> } = {},
): SandboxResponse {
  const body: Record<string, unknown> = {
    timestamp: new Date(now).toISOString(),
    trace_id: randomUUID(),
    error: code,
    error_description: description,
    error_uri: `https://developer.personio.de/reference/errors#credentials.oauth2.${code}`,
  };
  if (options.meta !== undefined) {
    body["meta"] = options.meta;
  }
  return {
    status: options.status ?? 400,
    body,
    contentType: "application/problem+json",
    ...(options.headers ? { headers: options.headers } : {}),
  };
}

/**
 * Issues a v2 token (POST /v2/auth/token) with the OAuth 2.0 client-credentials grant. The checks
 * follow the order of the spec's examples: content type, grant type, client, secret, scope.
 * Every failure is 400.
 */
export function handleV2Token(context: HandlerContext): SandboxResponse {
  const { body, runtime } = context;
  const now = runtime.clock.now();
  if (body.kind !== "form") {
    return oauthError(now, "invalid_request", 'The content type of the request must be "application/x-www-form-urlencoded".');
  }
  const field = (name: string): string | undefined => {
    const value = body.value[name];
    return typeof value === "string" && value !== "" ? value : undefined;
  };
  const grantType = field("grant_type");
  const clientId = field("client_id");
  const clientSecret = field("client_secret");

  if (grantType === undefined) {
    return missingParameters(now, { grant_type: grantType, client_id: clientId, client_secret: clientSecret });
  }
  if (grantType !== "client_credentials") {
    return KNOWN_GRANT_TYPES.has(grantType)
      ? oauthError(now, "unsupported_grant_type", "The requested authorization grant type is not supported by the server.", {
          meta: { grant_type: grantType },
        })
      : oauthError(now, "invalid_grant", `The grant type "${grantType}" is invalid.`);
  }
  if (clientId === undefined) {
    return missingParameters(now, { client_id: clientId, client_secret: clientSecret });
  }
  context.recording.clientId = clientId;
  const credential = runtime.state.credentials.get(clientId);
  if (credential === undefined) {
    return oauthError(now, "invalid_client", "Client authentication failed: the client is unknown.");
  }
  if (clientSecret === undefined) {
    return missingParameters(now, { client_secret: clientSecret });
  }
  if (credential.clientSecret !== clientSecret) {
    return oauthError(
      now,
      "unauthorized_client",
      "The credentials were not correct. Make sure you are providing the right client_id and client_secret.",
    );
  }

  const scopes = grantedScopes(credential, field("scope"));
  if (scopes === undefined) {
    return oauthError(now, "invalid_scope", "One of the requested scopes is invalid.");
  }
  const issued = runtime.tokens.issue(credential, "v2", scopes);
  return jsonResponse(200, {
    access_token: issued.token,
    token_type: "Bearer",
    expires_in: runtime.tokens.secondsLeft(issued),
    scope: issued.scopes.join(" "),
  });
}

/** Returns every scope of the credential when none are requested, or undefined when a requested scope is not granted. */
function grantedScopes(credential: CredentialConfig, requested: string | undefined): string[] | undefined {
  const available = v2Scopes(credential.rights);
  if (requested === undefined) {
    return available;
  }
  const scopes = [...new Set(requested.split(/\s+/).filter((scope) => scope !== ""))];
  return scopes.every((scope) => available.includes(scope)) ? scopes : undefined;
}

function missingParameters(now: number, parameters: Record<string, string | undefined>): SandboxResponse {
  const missing = Object.entries(parameters)
    .filter(([, value]) => value === undefined)
    .map(([name]) => name);
  return oauthError(now, "invalid_request", "The request has missing or invalid required parameters.", {
    meta: { missing_parameters: missing },
  });
}

/** Revokes the form field `token` (POST /v2/auth/revoke) and responds 200 with an empty body, whether the token was known or not. */
export function handleV2Revoke(context: HandlerContext): SandboxResponse {
  const { body } = context;
  const now = context.runtime.clock.now();
  const token = body.kind === "form" ? body.value["token"] : undefined;
  if (typeof token !== "string" || token === "") {
    return oauthError(now, "invalid_request", "The request has missing or invalid required parameters.", {
      meta: { missing_parameters: ["token"] },
    });
  }
  const issued = context.runtime.tokens.validate(token);
  if (issued !== undefined) {
    context.recording.clientId = issued.clientId;
  }
  context.runtime.tokens.revoke(token);
  return { status: 200, rawBody: "" };
}
