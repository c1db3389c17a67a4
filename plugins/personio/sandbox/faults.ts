import { z } from "zod";
import { ROUTE_NAMES, type RouteName } from "./routes.ts";

/** Effect of an injected fault on one call. */
export type FaultSpec =
  /** Respond with `status` without running the handler. Without `body`, a default body fitting the status is sent. */
  | { kind: "status"; status: number; body?: unknown; headers?: Record<string, string> }
  /** Destroy the socket, before the handler runs or after it has stored its changes. */
  | { kind: "connectionReset"; afterHandler: boolean }
  /** Respond with 200 and a truncated JSON document. */
  | { kind: "malformedJson" }
  /** Respond with 200 and well-formed JSON that violates the operation's response schema. */
  | { kind: "schemaViolation"; body?: unknown }
  /** Run the handler (a create is stored) and send its response only after `delayMs`. */
  | { kind: "respondLate"; delayMs: number }
  /** Wait `delayMs` before running the handler. */
  | { kind: "delay"; delayMs: number };

/** Route a fault applies to, or "*" for every Personio route. */
export type FaultTarget = RouteName | "*";

export interface ScheduledFault {
  id: number;
  route: FaultTarget;
  /** Calls still to be affected. */
  remaining: number;
  spec: FaultSpec;
}

/** Faults waiting for their next calls. The first matching fault in insertion order applies. */
export class FaultSchedule {
  #faults: ScheduledFault[] = [];
  #nextId = 1;

  add(route: FaultTarget, spec: FaultSpec, times = 1): ScheduledFault {
    const fault: ScheduledFault = { id: this.#nextId, route, remaining: times, spec };
    this.#nextId += 1;
    this.#faults.push(fault);
    return fault;
  }

  /** Consumes one call of the first fault for `route` and returns its spec. */
  take(route: RouteName): FaultSpec | undefined {
    const fault = this.#faults.find((candidate) => candidate.route === route || candidate.route === "*");
    if (fault === undefined) {
      return undefined;
    }
    fault.remaining -= 1;
    if (fault.remaining <= 0) {
      this.#faults = this.#faults.filter((candidate) => candidate !== fault);
    }
    return fault.spec;
  }

  list(): ScheduledFault[] {
    return this.#faults.map((fault) => ({ ...fault }));
  }

  clear(): void {
    this.#faults = [];
  }
}

/** Latency added to every Personio request, plus per-route extra latency. */
export class LatencySettings {
  globalMs = 0;
  readonly byRoute = new Map<RouteName, number>();

  set(ms: number, route?: RouteName): void {
    if (route === undefined) {
      this.globalMs = ms;
    } else if (ms === 0) {
      this.byRoute.delete(route);
    } else {
      this.byRoute.set(route, ms);
    }
  }

  /** Global latency plus the route's own latency, in ms. */
  for(route: RouteName | null): number {
    return this.globalMs + (route === null ? 0 : (this.byRoute.get(route) ?? 0));
  }

  clear(initialGlobalMs: number): void {
    this.globalMs = initialGlobalMs;
    this.byRoute.clear();
  }
}

/** Revokes every token once a set number of authenticated calls has been made. */
export class TokenInvalidationCountdown {
  #remainingCalls: number | null = null;

  arm(calls: number): void {
    this.#remainingCalls = calls;
  }

  disarm(): void {
    this.#remainingCalls = null;
  }

  get remainingCalls(): number | null {
    return this.#remainingCalls;
  }

  /** Counts one authenticated call and returns true when the tokens must be revoked now. */
  countCall(): boolean {
    if (this.#remainingCalls === null) {
      return false;
    }
    this.#remainingCalls -= 1;
    if (this.#remainingCalls <= 0) {
      this.#remainingCalls = null;
      return true;
    }
    return false;
  }
}

const delayMs = z.number().int().nonnegative().max(600_000);

/** Body of `POST /__sandbox/faults`. */
export const faultRequestSchema = z.object({
  route: z.union([z.enum(ROUTE_NAMES), z.literal("*")]),
  times: z.number().int().positive().default(1),
  fault: z.discriminatedUnion("kind", [
    z.object({
      kind: z.literal("status"),
      status: z.number().int().min(400).max(599),
      body: z.unknown().optional(),
      headers: z.record(z.string(), z.string()).optional(),
    }),
    z.object({ kind: z.literal("connectionReset"), afterHandler: z.boolean().default(false) }),
    z.object({ kind: z.literal("malformedJson") }),
    z.object({ kind: z.literal("schemaViolation"), body: z.unknown().optional() }),
    z.object({ kind: z.literal("respondLate"), delayMs }),
    z.object({ kind: z.literal("delay"), delayMs }),
  ]),
});
