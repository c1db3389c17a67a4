import type { IncomingMessage, ServerResponse } from "node:http";

/** A response produced by a route handler, written by the server after faults and headers are applied. */
export interface SandboxResponse {
  status: number;
  /** Serialized as JSON unless `rawBody` is set. */
  body?: unknown;
  /** Sent as is, for faults such as malformed JSON or HTML gateway pages. */
  rawBody?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export function jsonResponse(status: number, body: unknown, headers?: Record<string, string>): SandboxResponse {
  return headers === undefined ? { status, body } : { status, body, headers };
}

/** Builds the v1 error envelope `{success:false, error:{code, message, error_data?}}`. */
export function v1Error(
  status: number,
  message: string,
  options: { code?: number; errorData?: Record<string, string[]>; headers?: Record<string, string> } = {},
): SandboxResponse {
  const error: Record<string, unknown> = { code: options.code ?? status, message };
  if (options.errorData !== undefined) {
    error["error_data"] = options.errorData;
  }
  return { status, body: { success: false, error }, ...(options.headers ? { headers: options.headers } : {}) };
}

/** Error raised while reading a request body that exceeds its size limit. */
export class BodyTooLargeError extends Error {
  override readonly name = "BodyTooLargeError";
}

/** Reads the whole request body, rejecting with BodyTooLargeError once it exceeds `maxBytes`. */
export async function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    received += buffer.length;
    if (received > maxBytes) {
      throw new BodyTooLargeError(`Request body exceeds ${maxBytes} bytes.`);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** Returns the media type of the request without parameters, lowercased, or "" when absent. */
export function mediaType(request: IncomingMessage): string {
  const header = request.headers["content-type"] ?? "";
  return (header.split(";")[0] ?? "").trim().toLowerCase();
}

export type FormValue = string | FormObject;
export interface FormObject {
  [key: string]: FormValue;
}

/**
 * Parses an `application/x-www-form-urlencoded` body into nested objects, so that
 * `employee[email]=a&employee[custom_attributes][dynamic_1]=b` becomes
 * `{employee: {email: "a", custom_attributes: {dynamic_1: "b"}}}`. A later duplicate key wins.
 */
export function parseNestedForm(text: string): FormObject {
  const root: FormObject = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const segments = splitBracketKey(key);
    let target = root;
    segments.forEach((segment, index) => {
      if (index === segments.length - 1) {
        target[segment] = value;
        return;
      }
      const existing = target[segment];
      if (typeof existing === "object") {
        target = existing;
      } else {
        const child: FormObject = {};
        target[segment] = child;
        target = child;
      }
    });
  }
  return root;
}

function splitBracketKey(key: string): string[] {
  const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
  if (match === null || match[1] === undefined) {
    return [key];
  }
  const nested = [...(match[2] ?? "").matchAll(/\[([^[\]]*)\]/g)].map((part) => part[1] ?? "");
  return [match[1], ...nested];
}

/** Writes a SandboxResponse, unless the client has gone away. */
export function writeResponse(response: ServerResponse, result: SandboxResponse): void {
  if (response.destroyed || response.writableEnded) {
    return;
  }
  const headers: Record<string, string> = { ...result.headers };
  let payload: string | undefined;
  if (result.rawBody !== undefined) {
    payload = result.rawBody;
    headers["content-type"] ??= result.contentType ?? "text/plain; charset=utf-8";
  } else if (result.body !== undefined) {
    payload = JSON.stringify(result.body);
    headers["content-type"] ??= result.contentType ?? "application/json";
  }
  if (payload !== undefined) {
    headers["content-length"] = String(Buffer.byteLength(payload));
  }
  response.writeHead(result.status, headers);
  response.end(payload);
}
