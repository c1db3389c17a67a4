import type { WindowLimit } from "./options.ts";

export type RateDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

const ALLOWED: RateDecision = { allowed: true };

/**
 * Sliding-window rate limiting over accepted requests. Rejected requests are not counted,
 * so a client that backs off recovers as soon as its oldest accepted request leaves the window.
 */
export class RateLimiter {
  readonly #now: () => number;
  /** Accepted request times per window key, oldest first. */
  #hits = new Map<string, number[]>();
  /** End of the cool-down or throttle period per key, in ms since the epoch. */
  #penaltyUntil = new Map<string, number>();

  constructor(now: () => number) {
    this.#now = now;
  }

  /** Accepts the request when every window has room, and then counts it in all of them. */
  check(key: string, limits: readonly WindowLimit[]): RateDecision {
    const now = this.#now();
    let retryAfterMs = 0;
    for (const limit of limits) {
      const hits = this.#prunedHits(windowKey(key, limit), limit, now);
      if (hits.length >= limit.limit) {
        const oldest = hits[0] ?? now;
        retryAfterMs = Math.max(retryAfterMs, oldest + limit.windowMs - now);
      }
    }
    if (retryAfterMs > 0) {
      return { allowed: false, retryAfterMs };
    }
    for (const limit of limits) {
      this.#prunedHits(windowKey(key, limit), limit, now).push(now);
    }
    return ALLOWED;
  }

  /**
   * POST /v1/auth: once the window is full, every request is rejected until `cooldownMs`
   * has passed since the first rejection.
   */
  checkWithCooldown(key: string, limit: WindowLimit, cooldownMs: number): RateDecision {
    const now = this.#now();
    const cooldownUntil = this.#penaltyUntil.get(key) ?? 0;
    if (cooldownUntil > now) {
      return { allowed: false, retryAfterMs: cooldownUntil - now };
    }
    const decision = this.check(key, [limit]);
    if (!decision.allowed) {
      this.#penaltyUntil.set(key, now + cooldownMs);
      return { allowed: false, retryAfterMs: cooldownMs };
    }
    return decision;
  }

  /**
   * POST /v2/auth/token: once the window is full, requests are accepted at one per second
   * until `throttleMs` has passed.
   */
  checkWithThrottle(key: string, limit: WindowLimit, throttleMs: number): RateDecision {
    const now = this.#now();
    const throttledUntil = this.#penaltyUntil.get(key) ?? 0;
    if (throttledUntil > now) {
      return this.check(`${key}:throttled`, [{ limit: 1, windowMs: 1_000 }]);
    }
    const decision = this.check(key, [limit]);
    if (!decision.allowed && throttleMs > 0) {
      this.#penaltyUntil.set(key, now + throttleMs);
      this.#hits.delete(windowKey(key, limit));
    }
    return decision;
  }

  reset(): void {
    this.#hits.clear();
    this.#penaltyUntil.clear();
  }

  #prunedHits(key: string, limit: WindowLimit, now: number): number[] {
    const hits = (this.#hits.get(key) ?? []).filter((time) => time > now - limit.windowMs);
    this.#hits.set(key, hits);
    return hits;
  }
}

function windowKey(key: string, limit: WindowLimit): string {
  return `${key}:${limit.limit}/${limit.windowMs}`;
}
