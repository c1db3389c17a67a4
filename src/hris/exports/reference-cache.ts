import type { HrisResult, ReferenceData } from '../plugin.ts';

/**
 * Reference data (departments, offices, document categories) per connection, kept for a
 * short time so a bulk export reads it once. Concurrent callers share one request; a
 * failed read is not cached.
 */
export class ReferenceDataCache {
  private readonly entries = new Map<string, { expiresAt: number; value: Promise<HrisResult<ReferenceData>> }>();

  constructor(private readonly ttlMs: number) {}

  get(connectionId: string, load: () => Promise<HrisResult<ReferenceData>>): Promise<HrisResult<ReferenceData>> {
    const cached = this.entries.get(connectionId);
    if (cached && cached.expiresAt > Date.now()) return cached.value;
    const value = load().then((result) => {
      if (!result.ok) this.entries.delete(connectionId);
      return result;
    });
    this.entries.set(connectionId, { expiresAt: Date.now() + this.ttlMs, value });
    return value;
  }

  /** Forgets a connection's data, for example after it is reconnected. */
  invalidate(connectionId: string): void {
    this.entries.delete(connectionId);
  }
}
