/**
 * Time source of a sandbox, in milliseconds since the epoch. Token lifetimes, rate-limit
 * windows, cool-downs and timestamps read it, so tests can move time forward instead of
 * sleeping. Latency and late responses use real timers.
 */
export class SandboxClock {
  readonly #initialSource: () => number;
  #source: () => number;
  #offsetMs = 0;

  constructor(source: () => number = Date.now) {
    this.#initialSource = source;
    this.#source = source;
  }

  now(): number {
    return this.#source() + this.#offsetMs;
  }

  /** Fixes the time at `time`, or follows a new time source when given a function. */
  set(time: Date | number | (() => number)): void {
    if (typeof time === "function") {
      this.#source = time;
    } else {
      const fixedMs = typeof time === "number" ? time : time.getTime();
      this.#source = () => fixedMs;
    }
    this.#offsetMs = 0;
  }

  /** Moves the time forward by `ms` milliseconds (backward when negative). */
  advance(ms: number): void {
    this.#offsetMs += ms;
  }

  /** Restores the time source the sandbox started with. */
  reset(): void {
    this.#source = this.#initialSource;
    this.#offsetMs = 0;
  }
}
