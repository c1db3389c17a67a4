import {
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  startPersonioSandbox,
  type RunningSandbox,
  type SandboxOptions,
} from "../../../plugins/personio/sandbox/index.ts";

/**
 * Starts a sandbox on 127.0.0.1 with a free port. Rate limits are off unless the test passes
 * its own `rateLimits`, so that suites making many quick calls do not hit the 15-per-second burst limit.
 */
export function startTestSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  return startPersonioSandbox({ rateLimits: false, ...options, port: 0, host: "127.0.0.1" });
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON, or undefined when the body is not JSON. */
  body: unknown;
  text: string;
}

export interface RequestOptions {
  token?: string;
  json?: unknown;
  form?: Record<string, string>;
  multipart?: FormData;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** A small fetch wrapper for talking to the sandbox over real HTTP. */
export class SandboxClient {
  readonly baseUrl: string;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = { ...options.headers };
    let body: string | FormData | undefined;
    if (options.token !== undefined) {
      headers["authorization"] = `Bearer ${options.token}`;
    }
    if (options.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(options.json);
    } else if (options.form !== undefined) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(options.form).toString();
    } else if (options.multipart !== undefined) {
      body = options.multipart;
    }
    const init: RequestInit = { method, headers };
    if (body !== undefined) init.body = body;
    if (options.signal !== undefined) init.signal = options.signal;
    const response = await fetch(`${this.baseUrl}${path}`, init);
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === "" ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, body: parsed, text };
  }

  get(path: string, options?: RequestOptions): Promise<ApiResponse> {
    return this.request("GET", path, options);
  }

  post(path: string, options?: RequestOptions): Promise<ApiResponse> {
    return this.request("POST", path, options);
  }

  patch(path: string, options?: RequestOptions): Promise<ApiResponse> {
    return this.request("PATCH", path, options);
  }

  /** Authenticates with POST /v1/auth (JSON body) and returns the token. */
  async token(clientId = DEFAULT_CLIENT_ID, clientSecret = DEFAULT_CLIENT_SECRET): Promise<string> {
    const response = await this.post("/v1/auth", { json: { client_id: clientId, client_secret: clientSecret } });
    if (response.status !== 200) {
      throw new Error(`POST /v1/auth failed with ${response.status}: ${response.text}`);
    }
    return (response.body as { data: { token: string } }).data.token;
  }
}

/** Multipart fields for POST /v1/company/documents; `file` is attached as a Blob with a file name. */
export function uploadForm(
  fields: Record<string, string | number>,
  file?: { name: string; content: string | Uint8Array; type?: string },
): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    form.append(name, String(value));
  }
  if (file !== undefined) {
    const content = typeof file.content === "string" ? file.content : new Uint8Array(file.content);
    form.append("file", new Blob([content], { type: file.type ?? "application/pdf" }), file.name);
  }
  return form;
}

/** A minimal PDF document, enough for an upload. */
export const SMALL_PDF = "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

/** Typed access to the v1 envelope fields the tests read. */
export interface V1Body {
  success: boolean;
  data?: unknown;
  error?: { code: number; message: string; error_data?: Record<string, string[]> };
  meta?: string[];
  metadata?: { total_elements: number; current_page: number; total_pages: number };
  offset?: number;
  limit?: number;
}

export function v1Body(response: ApiResponse): V1Body {
  return response.body as V1Body;
}

/** Attribute values of a rendered employee, keyed by attribute. */
export function attributeValues(employee: unknown): Record<string, unknown> {
  const attributes = (employee as { attributes: Record<string, { value: unknown }> }).attributes;
  return Object.fromEntries(Object.entries(attributes).map(([key, attribute]) => [key, attribute.value]));
}
