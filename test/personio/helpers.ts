import type { HrisLogger } from '../../src/hris/index.ts';
import type { Clock } from '../../plugins/personio/http/clock.ts';

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  fields: object;
  message: string;
}

/** A logger that keeps every line, including the bindings of its children, for assertions. */
export function capturingLogger(lines: LogLine[] = [], bindings: object = {}): HrisLogger & { lines: LogLine[] } {
  const write = (level: LogLine['level']) => (fields: object, message: string) => {
    lines.push({ level, fields: { ...bindings, ...fields }, message });
  };
  return {
    lines,
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (childBindings: object) => capturingLogger(lines, { ...bindings, ...childBindings }),
  };
}

/** A clock whose `sleep` advances virtual time and returns at once, so backoff and pacing cost no real time. */
export class VirtualClock implements Clock {
  private offsetMs = 0;
  readonly sleeps: number[] = [];

  constructor(private readonly startMs = Date.now()) {}

  now(): number {
    return this.startMs + this.offsetMs;
  }

  async sleep(milliseconds: number): Promise<void> {
    this.sleeps.push(milliseconds);
    this.offsetMs += milliseconds;
    await Promise.resolve();
  }

  advance(milliseconds: number): void {
    this.offsetMs += milliseconds;
  }
}
