import type { Clock } from './clock.ts';

/** Size of a token bucket: at most `capacity` tokens, refilled by `refillPerSecond` tokens each second. */
export interface BucketLimit {
  capacity: number;
  refillPerSecond: number;
}

/**
 * Turns a documented "N requests per minute" limit into a bucket. Refilling `(N - capacity) / 60`
 * per second keeps every 60-second window at or below N, even when the window starts with a full bucket.
 */
function perMinute(requestsPerMinute: number, burst: number): BucketLimit {
  return { capacity: burst, refillPerSecond: (requestsPerMinute - burst) / 60 };
}

/**
 * Personio's published v1 limits: `POST /v1/auth` 60/min, `GET /v1/company/employees` 300/min in bursts
 * of at most 15/s (since 6 May 2024), `POST /v1/company/documents` 60/min, and 2000/min per IP address
 * for all v1 endpoints (since 8 Jul 2024). The employee-read bucket has a capacity of 10, because a full
 * bucket plus one second of refill (10 + 4.83) must stay within 15 requests in any second. The auth,
 * documents and overall bursts are chosen here; Personio publishes none.
 */
export const PERSONIO_LIMITS = {
  auth: perMinute(60, 5),
  employeesRead: perMinute(300, 10),
  documentsUpload: perMinute(60, 5),
  overall: perMinute(2000, 50),
} as const satisfies Record<string, BucketLimit>;

export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly limit: BucketLimit,
    private readonly clock: Clock,
  ) {
    this.tokens = limit.capacity;
    this.updatedAt = clock.now();
  }

  /**
   * Takes one token and returns how many milliseconds the caller must wait before using it.
   * The balance may go negative, so concurrent callers queue behind each other in call order.
   */
  reserve(): number {
    const now = this.clock.now();
    const elapsedSeconds = Math.max(0, now - this.updatedAt) / 1000;
    this.tokens = Math.min(this.limit.capacity, this.tokens + elapsedSeconds * this.limit.refillPerSecond);
    this.updatedAt = now;
    this.tokens -= 1;
    if (this.tokens >= 0) {
      return 0;
    }
    return Math.ceil((-this.tokens / this.limit.refillPerSecond) * 1000);
  }
}

interface CredentialBuckets {
  auth: TokenBucket;
  employeesRead: TokenBucket;
  documentsUpload: TokenBucket;
}

/**
 * Client-side pacing so that a bulk export rarely meets a 429. Endpoint buckets are kept per
 * credential; the overall bucket is shared by every credential of this process because Personio
 * counts that limit per IP address.
 */
export class PersonioPacer {
  private readonly overall: TokenBucket;
  private readonly credentials = new Map<string, CredentialBuckets>();

  constructor(private readonly clock: Clock) {
    this.overall = new TokenBucket(PERSONIO_LIMITS.overall, clock);
  }

  /** Waits until a request of this method and path may be sent for the credential. */
  async acquire(credentialKey: string, method: string, path: string): Promise<void> {
    const buckets = this.bucketsOf(credentialKey);
    let waitMs = this.overall.reserve();
    const endpointBucket = endpointBucketFor(buckets, method, path);
    if (endpointBucket !== null) {
      waitMs = Math.max(waitMs, endpointBucket.reserve());
    }
    if (waitMs > 0) {
      await this.clock.sleep(waitMs);
    }
  }

  private bucketsOf(credentialKey: string): CredentialBuckets {
    let buckets = this.credentials.get(credentialKey);
    if (buckets === undefined) {
      buckets = {
        auth: new TokenBucket(PERSONIO_LIMITS.auth, this.clock),
        employeesRead: new TokenBucket(PERSONIO_LIMITS.employeesRead, this.clock),
        documentsUpload: new TokenBucket(PERSONIO_LIMITS.documentsUpload, this.clock),
      };
      this.credentials.set(credentialKey, buckets);
    }
    return buckets;
  }
}

/**
 * Selects the endpoint bucket of a request. Every GET below `/v1/company/employees` (list, by id,
 * attributes) counts as an employees read because Personio does not say which of them share the limit.
 */
function endpointBucketFor(buckets: CredentialBuckets, method: string, path: string): TokenBucket | null {
  if (method === 'POST' && path === '/v1/auth') {
    return buckets.auth;
  }
  if (method === 'GET' && path.startsWith('/v1/company/employees')) {
    return buckets.employeesRead;
  }
  if (method === 'POST' && path === '/v1/company/documents') {
    return buckets.documentsUpload;
  }
  return null;
}
