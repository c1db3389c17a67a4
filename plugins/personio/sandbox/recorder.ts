import type { IncomingMessage } from "node:http";
import type { RouteName } from "./routes.ts";

/** A file part of a multipart request, summarized instead of stored. */
export interface RecordedFile {
  field: string;
  fileName: string;
  contentType: string;
  size: number;
}

export type RecordedBody =
  | { kind: "none" }
  | { kind: "json"; value: unknown }
  | { kind: "form"; value: Record<string, string | string[]> }
  | { kind: "multipart"; fields: Record<string, string>; files: RecordedFile[] }
  | { kind: "text"; mediaType: string; text: string };

/** One identification header as received. */
export interface IdentificationHeader {
  value: string;
  /** Header spelling the request carried: `X-Personio-…` as in the v1 spec, or the v2 spelling without `X-`. */
  headerName: string;
  /** Personio requires UPPER_SNAKE_CASE values such as `ACME` or `MY_APPLICATION`. */
  upperSnakeCase: boolean;
}

export interface RecordedRequest {
  sequence: number;
  /** ISO 8601 time of the sandbox clock. */
  receivedAt: string;
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  route: RouteName | null;
  /** Header names lowercased; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: RecordedBody;
  appId: IdentificationHeader | null;
  partnerId: IdentificationHeader | null;
  /** Client id of the credential behind the bearer token or the auth request, when known. */
  clientId: string | null;
  response: RecordedOutcome;
}

export type RecordedOutcome =
  | { outcome: "pending" }
  | { outcome: "answered"; status: number }
  | { outcome: "connectionReset" };

const UPPER_SNAKE_CASE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;

/** Keeps received requests in order, dropping the oldest beyond `maxEntries`. */
export class RequestRecorder {
  readonly #maxEntries: number;
  #entries: RecordedRequest[] = [];
  #sequence = 0;

  constructor(maxEntries = 10_000) {
    this.#maxEntries = maxEntries;
  }

  record(request: IncomingMessage, url: URL, route: RouteName | null, receivedAt: string): RecordedRequest {
    this.#sequence += 1;
    const headers = flattenHeaders(request);
    const entry: RecordedRequest = {
      sequence: this.#sequence,
      receivedAt,
      method: request.method ?? "GET",
      path: url.pathname,
      query: queryRecord(url.searchParams),
      route,
      headers,
      body: { kind: "none" },
      appId: identificationHeader(headers, "Personio-App-ID"),
      partnerId: identificationHeader(headers, "Personio-Partner-ID"),
      clientId: null,
      response: { outcome: "pending" },
    };
    this.#entries.push(entry);
    if (this.#entries.length > this.#maxEntries) {
      this.#entries.shift();
    }
    return entry;
  }

  list(): RecordedRequest[] {
    return [...this.#entries];
  }

  clear(): void {
    this.#entries = [];
  }
}

/** Returns a copy of a recording with the bearer token and client secrets masked. */
export function redactRecording(entry: RecordedRequest): RecordedRequest {
  const copy = structuredClone(entry);
  const authorization = copy.headers["authorization"];
  if (authorization !== undefined) {
    copy.headers["authorization"] = authorization.replace(/(Bearer\s+\S{0,9})\S*/i, "$1…[redacted]");
  }
  redactFields(copy.query);
  if (copy.body.kind === "form") {
    redactFields(copy.body.value);
  } else if (copy.body.kind === "multipart") {
    redactFields(copy.body.fields);
  } else if (copy.body.kind === "json" && isPlainObject(copy.body.value)) {
    redactFields(copy.body.value);
  }
  return copy;
}

const SECRET_FIELDS = ["client_secret", "token"];

function redactFields(fields: Record<string, unknown>): void {
  for (const name of SECRET_FIELDS) {
    if (fields[name] !== undefined) {
      fields[name] = "[redacted]";
    }
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function flattenHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) {
      headers[name] = Array.isArray(value) ? value.join(", ") : value;
    }
  }
  return headers;
}

export function queryRecord(params: URLSearchParams): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    query[key] = values.length === 1 && !key.endsWith("[]") ? (values[0] ?? "") : values;
  }
  return query;
}

/** Reads `X-<name>` or, failing that, the v2 spelling `<name>`. */
function identificationHeader(headers: Record<string, string>, name: string): IdentificationHeader | null {
  for (const headerName of [`X-${name}`, name]) {
    const value = headers[headerName.toLowerCase()];
    if (value !== undefined) {
      return { value, headerName, upperSnakeCase: UPPER_SNAKE_CASE.test(value) };
    }
  }
  return null;
}
