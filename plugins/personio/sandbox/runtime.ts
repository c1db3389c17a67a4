import type { IncomingMessage } from "node:http";
import type { SandboxClock } from "./clock.ts";
import type { CompanyConfig, CredentialConfig } from "./config-schema.ts";
import type { FormObject, SandboxResponse } from "./http-io.ts";
import type { SandboxBehaviour } from "./options.ts";
import type { RecordedRequest } from "./recorder.ts";
import type { SandboxState } from "./state.ts";
import type { IssuedToken, TokenStore } from "./tokens.ts";

/** The subset of a pino logger the sandbox calls. */
export interface SandboxLogger {
  debug(object: object, message: string): void;
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

export const SILENT_LOGGER: SandboxLogger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};

/** Services shared by the route handlers of one sandbox. */
export interface SandboxRuntime {
  state: SandboxState;
  tokens: TokenStore;
  clock: SandboxClock;
  behaviour: SandboxBehaviour;
  logger: SandboxLogger;
}

/** A request body read before the handler runs. The upload handler reads multipart bodies itself. */
export type ParsedBody =
  | { kind: "none" }
  | { kind: "json"; value: unknown }
  | { kind: "invalidJson"; text: string }
  | { kind: "form"; value: FormObject; text: string }
  | { kind: "other"; mediaType: string; text: string }
  | { kind: "unread" };

export interface HandlerContext {
  runtime: SandboxRuntime;
  request: IncomingMessage;
  url: URL;
  params: Record<string, string>;
  body: ParsedBody;
  recording: RecordedRequest;
  /** Set for routes that require a bearer token. */
  auth: { token: IssuedToken; credential: CredentialConfig; company: CompanyConfig } | null;
}

export type RouteHandler = (context: HandlerContext) => Promise<SandboxResponse> | SandboxResponse;

/** Returns the authentication of a protected route, which the pipeline sets before the handler runs. */
export function requireAuth(context: HandlerContext): NonNullable<HandlerContext["auth"]> {
  if (context.auth === null) {
    throw new Error(`Route ${context.recording.route ?? context.url.pathname} ran without authentication.`);
  }
  return context.auth;
}
