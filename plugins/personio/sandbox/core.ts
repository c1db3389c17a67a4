import { SandboxClock } from "./clock.ts";
import type { CompaniesConfig } from "./config-schema.ts";
import { FaultSchedule, LatencySettings, TokenInvalidationCountdown } from "./faults.ts";
import type { RateLimitSettings, SandboxBehaviour } from "./options.ts";
import { RateLimiter } from "./rate-limits.ts";
import { RequestRecorder } from "./recorder.ts";
import type { SandboxLogger, SandboxRuntime } from "./runtime.ts";
import { SandboxState } from "./state.ts";
import { TokenStore } from "./tokens.ts";

export interface SandboxCoreSettings {
  config: CompaniesConfig;
  behaviour: SandboxBehaviour;
  rateLimits: RateLimitSettings;
  latencyMs: number;
  now: () => number;
  logger: SandboxLogger;
  maxRecordedRequests: number;
}

/** Every component of one sandbox. The request pipeline and the control handle share it. */
export class SandboxCore {
  readonly clock: SandboxClock;
  readonly state: SandboxState;
  readonly tokens: TokenStore;
  readonly recorder: RequestRecorder;
  readonly faults = new FaultSchedule();
  readonly latency = new LatencySettings();
  readonly tokenInvalidation = new TokenInvalidationCountdown();
  readonly rateLimiter: RateLimiter;
  readonly runtime: SandboxRuntime;
  rateLimits: RateLimitSettings;
  /** Aborted on stop, which cancels pending latency and late responses. */
  readonly shutdown = new AbortController();
  readonly #settings: SandboxCoreSettings;

  constructor(settings: SandboxCoreSettings) {
    this.#settings = settings;
    this.clock = new SandboxClock(settings.now);
    const now = () => this.clock.now();
    this.state = new SandboxState(settings.config, now);
    this.tokens = new TokenStore(now);
    this.recorder = new RequestRecorder(settings.maxRecordedRequests);
    this.rateLimiter = new RateLimiter(now);
    this.rateLimits = settings.rateLimits;
    this.latency.globalMs = settings.latencyMs;
    this.runtime = {
      state: this.state,
      tokens: this.tokens,
      clock: this.clock,
      behaviour: { ...settings.behaviour },
      logger: settings.logger,
    };
  }

  /** Returns the sandbox to its state at start: data, tokens, recordings, faults, latency, clock, behaviour and rate limits. */
  reset(): void {
    this.clock.reset();
    this.state.reset();
    this.tokens.revokeAll();
    this.recorder.clear();
    this.faults.clear();
    this.latency.clear(this.#settings.latencyMs);
    this.tokenInvalidation.disarm();
    this.rateLimiter.reset();
    this.rateLimits = this.#settings.rateLimits;
    this.runtime.behaviour = { ...this.#settings.behaviour };
  }
}
