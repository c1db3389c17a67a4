import { PERSONIO_LIMITS, type BucketLimit } from '../../plugins/personio/http/rate-limiter.ts';
import type { RateLimitSettings, RouteName, WindowLimit } from '../../plugins/personio/sandbox/index.ts';
import type { RequestSummary } from './sandbox-process.ts';

/** The time one class of requests needs at least under its limit. */
export interface ClassBound {
  name: string;
  requests: number;
  /** Allowed requests per minute. */
  perMinute: number;
  seconds: number;
}

export interface LowerBound {
  /** The largest of the class bounds. */
  seconds: number;
  binding: string;
  classes: ClassBound[];
}

function perMinute(limit: WindowLimit): number {
  return (limit.limit * 60_000) / limit.windowMs;
}

function accepted(summary: RequestSummary, routes: readonly RouteName[]): number {
  return routes.reduce((sum, route) => sum + (summary.acceptedByRoute[route] ?? 0), 0);
}

function largest<T extends { seconds: number }>(entries: readonly T[]): T {
  return entries.reduce((best, entry) => (entry.seconds > best.seconds ? entry : best));
}

/**
 * Computes the lower bound that the sandbox's rate limits (Personio's documented v1 limits by default)
 * put on the requests that were accepted: for each endpoint class, its requests divided by its
 * allowed rate. A sliding window lets a client send a full window at once, so a run can beat
 * this bound by up to one window's worth of requests.
 */
export function rateLimitBound(summary: RequestSummary, limits: RateLimitSettings): LowerBound {
  const classes = [
    { name: 'document uploads', requests: accepted(summary, ['documents.upload']), perMinute: perMinute(limits.documentsUpload) },
    { name: 'employee list reads', requests: accepted(summary, ['employees.list']), perMinute: perMinute(limits.employeesList) },
    { name: 'v1 token requests', requests: accepted(summary, ['auth']), perMinute: perMinute(limits.auth) },
    { name: 'all v1 requests', requests: summary.acceptedV1, perMinute: perMinute(limits.global) },
  ].map((entry) => ({ ...entry, seconds: (entry.requests / entry.perMinute) * 60 }));
  const binding = largest(classes);
  return { seconds: binding.seconds, binding: binding.name, classes };
}

function bucketSeconds(requests: number, bucket: BucketLimit): number {
  return Math.max(0, requests - bucket.capacity) / bucket.refillPerSecond;
}

/**
 * Computes the time the Personio client's own pacing (token buckets in plugins/personio/http/rate-limiter.ts)
 * needs at least for the same requests: each bucket starts full and then refills at its rate.
 * The buckets refill below the documented rates on purpose, so this is above rateLimitBound.
 */
export function pacingFloor(summary: RequestSummary): { seconds: number; binding: string } {
  const buckets = [
    { name: 'document uploads', seconds: bucketSeconds(accepted(summary, ['documents.upload']), PERSONIO_LIMITS.documentsUpload) },
    {
      name: 'employee reads (list, by id, attributes)',
      seconds: bucketSeconds(accepted(summary, ['employees.list', 'employees.get', 'employees.attributes']), PERSONIO_LIMITS.employeesRead),
    },
    { name: 'v1 token requests', seconds: bucketSeconds(accepted(summary, ['auth']), PERSONIO_LIMITS.auth) },
    { name: 'all v1 requests', seconds: bucketSeconds(summary.acceptedV1, PERSONIO_LIMITS.overall) },
  ];
  const binding = largest(buckets);
  return { seconds: binding.seconds, binding: binding.name };
}
