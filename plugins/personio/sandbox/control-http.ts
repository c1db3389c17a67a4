import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { SandboxConfigError } from "./config-schema.ts";
import type { SandboxControl } from "./control.ts";
import { faultRequestSchema } from "./faults.ts";
import { BodyTooLargeError, readBody, writeResponse, type SandboxResponse } from "./http-io.ts";
import { behaviourPatchSchema, rateLimitsPatchSchema } from "./options.ts";
import { isRouteName, ROUTE_NAMES } from "./routes.ts";

/** Path prefix of the control API. Personio has no route under it. */
export const CONTROL_PREFIX = "/__sandbox";

const ENDPOINTS = [
  "GET    /__sandbox                     this index",
  "GET    /__sandbox/requests            recorded requests (?route=&method=&redacted=false)",
  "GET    /__sandbox/employees           stored employees (?companyId=)",
  "GET    /__sandbox/documents           uploaded documents (?companyId=)",
  "GET    /__sandbox/faults              scheduled faults",
  "POST   /__sandbox/faults              schedule a fault {route, times, fault:{kind,...}}",
  "DELETE /__sandbox/faults              clear scheduled faults",
  "POST   /__sandbox/latency             {ms, route?}",
  "POST   /__sandbox/tokens/invalidate   {afterCalls?}; without afterCalls, at once",
  "GET    /__sandbox/clock               current sandbox time",
  "POST   /__sandbox/clock               {set?: ISO date-time or ms, advanceMs?}",
  "POST   /__sandbox/credentials         add a credential",
  "PATCH  /__sandbox/behaviour           switch undocumented behaviours",
  "PATCH  /__sandbox/rate-limits         change rate limits",
  "POST   /__sandbox/reset               restore the state at start",
];

const latencySchema = z.object({
  ms: z.number().int().nonnegative(),
  route: z.enum(ROUTE_NAMES).optional(),
});
const invalidateSchema = z.object({ afterCalls: z.number().int().positive().optional() });
const clockSchema = z.object({
  set: z.union([z.iso.datetime({ offset: true }), z.number().int()]).optional(),
  advanceMs: z.number().int().optional(),
});

class ControlRequestError extends Error {}

/** Serves the HTTP control API. Responses are plain JSON, not Personio envelopes, and errors are `{error}`. */
export async function handleControlRequest(
  control: SandboxControl,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
): Promise<void> {
  let result: SandboxResponse;
  try {
    result = await route(control, request, url);
  } catch (error) {
    if (error instanceof z.ZodError) {
      result = { status: 400, body: { error: z.prettifyError(error) } };
    } else if (error instanceof ControlRequestError || error instanceof SandboxConfigError || error instanceof RangeError) {
      result = { status: 400, body: { error: error.message } };
    } else {
      throw error;
    }
  }
  writeResponse(response, result);
}

async function route(control: SandboxControl, request: IncomingMessage, url: URL): Promise<SandboxResponse> {
  const path = url.pathname.slice(CONTROL_PREFIX.length).replace(/\/$/, "");
  const key = `${request.method ?? "GET"} ${path}`;
  const params = url.searchParams;

  switch (key) {
    case "GET ":
      return ok({ endpoints: ENDPOINTS, routes: ROUTE_NAMES });
    case "GET /requests": {
      const routeName = params.get("route") ?? undefined;
      if (routeName !== undefined && !isRouteName(routeName)) {
        throw new ControlRequestError(`Unknown route "${routeName}". Known routes: ${ROUTE_NAMES.join(", ")}.`);
      }
      const method = params.get("method") ?? undefined;
      return ok(control.requests({ redacted: params.get("redacted") !== "false", ...(routeName ? { route: routeName } : {}), ...(method ? { method } : {}) }));
    }
    case "GET /employees":
      return ok(control.employees(optionalCompanyId(params)));
    case "GET /documents":
      return ok(control.documents(optionalCompanyId(params)));
    case "GET /faults":
      return ok(control.faults());
    case "POST /faults": {
      const { route: target, times, fault } = faultRequestSchema.parse(await readJson(request));
      return { status: 201, body: control.addFault(target, fault, times) };
    }
    case "DELETE /faults":
      control.clearFaults();
      return { status: 204 };
    case "POST /latency": {
      const { ms, route: target } = latencySchema.parse(await readJson(request));
      control.setLatency(ms, target);
      return ok({ ms, route: target ?? null });
    }
    case "POST /tokens/invalidate": {
      const { afterCalls } = invalidateSchema.parse(await readJson(request));
      if (afterCalls === undefined) {
        control.invalidateTokens();
      } else {
        control.invalidateTokensAfter(afterCalls);
      }
      return ok({ afterCalls: afterCalls ?? 0 });
    }
    case "GET /clock":
      return ok({ now: control.now().toISOString() });
    case "POST /clock": {
      const { set, advanceMs } = clockSchema.parse(await readJson(request));
      if (set !== undefined) control.setClock(typeof set === "number" ? set : Date.parse(set));
      if (advanceMs !== undefined) control.advanceClock(advanceMs);
      return ok({ now: control.now().toISOString() });
    }
    case "POST /credentials": {
      const credential = control.addCredential(await readJson(request));
      return { status: 201, body: { ...credential, clientSecret: "[redacted]" } };
    }
    case "PATCH /behaviour":
      return ok(control.setBehaviour(behaviourPatchSchema.parse(await readJson(request))));
    case "PATCH /rate-limits":
      return ok(control.setRateLimits(rateLimitsPatchSchema.parse(await readJson(request))));
    case "POST /reset":
      control.reset();
      return ok({ reset: true });
    default:
      return { status: 404, body: { error: `No control endpoint ${key}. See GET ${CONTROL_PREFIX} for the list.` } };
  }
}

function ok(body: unknown): SandboxResponse {
  return { status: 200, body };
}

function optionalCompanyId(params: URLSearchParams): number | undefined {
  const raw = params.get("companyId");
  if (raw === null || raw === "") {
    return undefined;
  }
  const companyId = Number(raw);
  if (!Number.isInteger(companyId) || companyId < 1) {
    throw new ControlRequestError(`companyId must be a positive integer, got "${raw}".`);
  }
  return companyId;
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  let raw: Buffer;
  try {
    raw = await readBody(request, 1024 * 1024);
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      throw new ControlRequestError("The control request body exceeds 1 MiB.");
    }
    throw error;
  }
  const text = raw.toString("utf8").trim();
  if (text === "") {
    return {};
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ControlRequestError("The control request body is not valid JSON.");
  }
}
