import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import { parseCompaniesConfig, SandboxConfigError, type CompaniesConfigInput } from "./config-schema.ts";
import { SandboxControl } from "./control.ts";
import { CONTROL_PREFIX, handleControlRequest } from "./control-http.ts";
import { SandboxCore } from "./core.ts";
import { DEFAULT_COMPANIES_CONFIG } from "./fixtures.ts";
import {
  applyRateLimitsPatch,
  behaviourPatchSchema,
  DEFAULT_BEHAVIOUR,
  DEFAULT_RATE_LIMITS,
  rateLimitsPatchSchema,
  type RateLimitsPatch,
  type SandboxBehaviour,
} from "./options.ts";
import { handlePersonioRequest } from "./pipeline.ts";
import { SILENT_LOGGER, type SandboxLogger } from "./runtime.ts";

export interface SandboxOptions {
  /** TCP port, or 0 for a free one. Default 0. */
  port?: number;
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** Companies and credentials. Default: the "Acme GmbH" fixtures with one all-rights credential. */
  config?: CompaniesConfigInput;
  /** Choices for undocumented behaviours. Unset fields keep their defaults. */
  behaviour?: Partial<SandboxBehaviour>;
  /** Rate-limit changes, or false to switch rate limiting off. */
  rateLimits?: RateLimitsPatch | false;
  /** Latency added to every Personio request, in ms. Default 0. */
  latencyMs?: number;
  /** Time source in ms since the epoch, for tokens, rate limits and timestamps. Default Date.now. */
  now?: () => number;
  /** A pino logger (or any object with the same methods). Without one the sandbox logs nothing. */
  logger?: SandboxLogger;
  /** Number of requests kept for inspection. Older ones are dropped. Default 10 000. */
  maxRecordedRequests?: number;
}

export interface RunningSandbox {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:4010. Personio paths start with /v1 or /v2. */
  url: string;
  control: SandboxControl;
  /** Closes the server, cancels late responses and drops open connections. */
  stop(): Promise<void>;
}

/** Starts a Personio sandbox over real HTTP and resolves once it listens. Throws SandboxConfigError for invalid options. */
export async function startPersonioSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const config = parseCompaniesConfig(options.config ?? DEFAULT_COMPANIES_CONFIG);
  const behaviourResult = behaviourPatchSchema.safeParse(options.behaviour ?? {});
  if (!behaviourResult.success) {
    throw new SandboxConfigError(`Invalid behaviour option:\n${z.prettifyError(behaviourResult.error)}`);
  }
  const rateLimits =
    options.rateLimits === false
      ? { ...DEFAULT_RATE_LIMITS, enabled: false }
      : applyRateLimitsPatch(DEFAULT_RATE_LIMITS, parseRateLimits(options.rateLimits ?? {}));
  const logger = options.logger ?? SILENT_LOGGER;

  const core = new SandboxCore({
    config,
    behaviour: { ...DEFAULT_BEHAVIOUR, ...behaviourResult.data },
    rateLimits,
    latencyMs: options.latencyMs ?? 0,
    now: options.now ?? Date.now,
    logger,
    maxRecordedRequests: options.maxRecordedRequests ?? 10_000,
  });
  const control = new SandboxControl(core);

  const server = createServer((request, response) => {
    void dispatch(core, control, request, response);
  });
  // Uploads of up to 30 MB on slow links must not hit Node's default request timeout.
  server.requestTimeout = 0;

  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  logger.info({ url }, "Personio sandbox listening");

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= new Promise<void>((resolve, reject) => {
      core.shutdown.abort();
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    }).then(() => logger.info({ url }, "Personio sandbox stopped"));
    return stopping;
  };

  return { url, control, stop };
}

function parseRateLimits(patch: RateLimitsPatch): RateLimitsPatch {
  const result = rateLimitsPatchSchema.safeParse(patch);
  if (!result.success) {
    throw new SandboxConfigError(`Invalid rateLimits option:\n${z.prettifyError(result.error)}`);
  }
  return result.data;
}

async function dispatch(core: SandboxCore, control: SandboxControl, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? "/", "http://sandbox.invalid");
  try {
    if (url.pathname === CONTROL_PREFIX || url.pathname.startsWith(`${CONTROL_PREFIX}/`)) {
      await handleControlRequest(control, request, response, url);
    } else {
      await handlePersonioRequest(core, request, response, url);
    }
  } catch (error) {
    core.runtime.logger.error({ err: error, path: url.pathname }, "Sandbox request failed");
    if (!response.headersSent) {
      response.writeHead(500, { "content-type": "application/json" });
    }
    response.end(JSON.stringify({ success: false, error: { code: 500, message: "Something went wrong" } }));
  }
}
