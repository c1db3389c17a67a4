import { parseCredential, SandboxConfigError, type CredentialConfig } from "./config-schema.ts";
import type { SandboxCore } from "./core.ts";
import type { FaultSpec, FaultTarget, ScheduledFault } from "./faults.ts";
import {
  applyRateLimitsPatch,
  behaviourPatchSchema,
  rateLimitsPatchSchema,
  type BehaviourPatch,
  type RateLimitSettings,
  type RateLimitsPatch,
  type SandboxBehaviour,
} from "./options.ts";
import { redactRecording, type RecordedRequest } from "./recorder.ts";
import type { RouteName } from "./routes.ts";
import type { EmployeeRecord, StoredDocument } from "./state.ts";
import type { IssuedToken } from "./tokens.ts";

export interface RequestFilter {
  route?: RouteName;
  method?: string;
  /** Mask bearer tokens and client secrets. Defaults to false, so tests can assert what was sent. */
  redacted?: boolean;
}

/**
 * Inspection and fault injection for a running sandbox. Values returned are copies, so
 * changing them does not change the sandbox.
 */
export class SandboxControl {
  readonly #core: SandboxCore;

  constructor(core: SandboxCore) {
    this.#core = core;
  }

  /** Received Personio requests in arrival order; control endpoint calls are not recorded. */
  requests(filter: RequestFilter = {}): RecordedRequest[] {
    const matching = this.#core.recorder
      .list()
      .filter((entry) => filter.route === undefined || entry.route === filter.route)
      .filter((entry) => filter.method === undefined || entry.method === filter.method.toUpperCase());
    return filter.redacted === true ? matching.map(redactRecording) : matching.map((entry) => structuredClone(entry));
  }

  /** Stored employees of one company, or of every company, ordered by id. */
  employees(companyId?: number): EmployeeRecord[] {
    return this.#core.state.employeesOf(companyId).map((employee) => structuredClone(employee));
  }

  employee(employeeId: number): EmployeeRecord | undefined {
    const employee = this.#core.state.employees.get(employeeId);
    return employee === undefined ? undefined : structuredClone(employee);
  }

  /** Uploaded documents, oldest first. */
  documents(companyId?: number): StoredDocument[] {
    return this.#core.state.documents
      .filter((document) => companyId === undefined || document.companyId === companyId)
      .map((document) => ({ ...document }));
  }

  /** Tokens that are still valid or merely expired; revoked tokens are gone. */
  tokens(): IssuedToken[] {
    return this.#core.tokens.list().map((token) => ({ ...token, scopes: [...token.scopes] }));
  }

  /** Restores the state at start: data, credentials, tokens, recordings, faults, latency, clock, behaviour and rate limits. */
  reset(): void {
    this.#core.reset();
  }

  /** Schedules any fault for the next `times` calls of `route` ("*" for every route). */
  addFault(route: FaultTarget, spec: FaultSpec, times = 1): ScheduledFault {
    return this.#core.faults.add(route, spec, times);
  }

  /** Fails the next `times` calls with `status`, and with `body` when given (a string is sent as is). */
  fail(route: FaultTarget, options: { status: number; times?: number; body?: unknown; headers?: Record<string, string> }): ScheduledFault {
    const spec: Extract<FaultSpec, { kind: "status" }> = { kind: "status", status: options.status };
    if (options.body !== undefined) spec.body = options.body;
    if (options.headers !== undefined) spec.headers = options.headers;
    return this.addFault(route, spec, options.times);
  }

  /** Destroys the socket of the next calls, before the handler runs or, with `afterHandler`, after it stored its changes. */
  resetConnection(route: FaultTarget, options: { times?: number; afterHandler?: boolean } = {}): ScheduledFault {
    return this.addFault(route, { kind: "connectionReset", afterHandler: options.afterHandler ?? false }, options.times);
  }

  /** Responds to the next calls with 200 and a truncated JSON document. */
  respondMalformedJson(route: FaultTarget, options: { times?: number } = {}): ScheduledFault {
    return this.addFault(route, { kind: "malformedJson" }, options.times);
  }

  /** Responds to the next calls with 200 and JSON that breaks the response schema. */
  respondSchemaViolation(route: FaultTarget, options: { times?: number; body?: unknown } = {}): ScheduledFault {
    const spec: Extract<FaultSpec, { kind: "schemaViolation" }> = { kind: "schemaViolation" };
    if (options.body !== undefined) spec.body = options.body;
    return this.addFault(route, spec, options.times);
  }

  /**
   * Commits the next calls (a create stores its employee) and sends the response only after
   * `delayMs`, longer than the client's timeout, so the client sees a timeout for a write that happened.
   */
  respondLate(route: FaultTarget, options: { delayMs: number; times?: number }): ScheduledFault {
    return this.addFault(route, { kind: "respondLate", delayMs: options.delayMs }, options.times);
  }

  faults(): ScheduledFault[] {
    return this.#core.faults.list();
  }

  clearFaults(): void {
    this.#core.faults.clear();
  }

  /** Sets the latency of every request, or the extra latency of one route, in ms. */
  setLatency(ms: number, route?: RouteName): void {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`Latency must be a non-negative number of ms, got ${ms}.`);
    }
    this.#core.latency.set(ms, route);
  }

  /** Revokes every issued token now. */
  invalidateTokens(): void {
    this.#core.tokens.revokeAll();
  }

  /** Revokes every token once `calls` more authenticated calls have been made; later calls get 401. */
  invalidateTokensAfter(calls: number): void {
    if (!Number.isInteger(calls) || calls < 1) {
      throw new RangeError(`calls must be a positive integer, got ${calls}.`);
    }
    this.#core.tokenInvalidation.arm(calls);
  }

  now(): Date {
    return new Date(this.#core.clock.now());
  }

  /** Fixes the sandbox clock at `time`, or makes it follow a function. */
  setClock(time: Date | number | (() => number)): void {
    this.#core.clock.set(time);
  }

  advanceClock(ms: number): void {
    this.#core.clock.advance(ms);
  }

  /** Adds an API credential to an existing company and returns it with defaults applied. */
  addCredential(input: unknown): CredentialConfig {
    const credential = parseCredential(input, [...this.#core.state.companies.values()]);
    if (this.#core.state.credentials.has(credential.clientId)) {
      throw new SandboxConfigError(`A credential with clientId ${credential.clientId} already exists.`);
    }
    this.#core.state.credentials.set(credential.clientId, credential);
    return credential;
  }

  get behaviour(): SandboxBehaviour {
    return { ...this.#core.runtime.behaviour };
  }

  /** Switches undocumented behaviours, such as duplicateEmail, for the rest of the run or until reset. */
  setBehaviour(patch: BehaviourPatch): SandboxBehaviour {
    const parsed = behaviourPatchSchema.parse(patch);
    this.#core.runtime.behaviour = { ...this.#core.runtime.behaviour, ...parsed };
    return this.behaviour;
  }

  get rateLimits(): RateLimitSettings {
    return structuredClone(this.#core.rateLimits);
  }

  /** Changes rate limits; counters already recorded stay. */
  setRateLimits(patch: RateLimitsPatch): RateLimitSettings {
    this.#core.rateLimits = applyRateLimitsPatch(this.#core.rateLimits, rateLimitsPatchSchema.parse(patch));
    return this.rateLimits;
  }
}
