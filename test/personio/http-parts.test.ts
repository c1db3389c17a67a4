import { describe, expect, it } from 'vitest';
import { httpError, parseRetryAfter, type PersonioApiError } from '../../plugins/personio/http/api-error.ts';
import { PERSONIO_LIMITS, PersonioPacer, TokenBucket } from '../../plugins/personio/http/rate-limiter.ts';
import { backoffDelay, isTokenRejection, MAX_RATE_LIMIT_WAIT_MS, retryDelay } from '../../plugins/personio/http/retry.ts';
import { accessTokenFrom, credentialKey, TokenCache, type AccessToken } from '../../plugins/personio/http/token-cache.ts';
import type { ApiResult } from '../../plugins/personio/http/api-error.ts';
import { VirtualClock } from './helpers.ts';

describe('TokenBucket', () => {
  it('allows the burst, then paces at the refill rate', () => {
    const clock = new VirtualClock(0);
    const bucket = new TokenBucket({ capacity: 3, refillPerSecond: 2 }, clock);
    expect([bucket.reserve(), bucket.reserve(), bucket.reserve()]).toEqual([0, 0, 0]);
    expect(bucket.reserve()).toBe(500);
    expect(bucket.reserve()).toBe(1000);
    clock.advance(1000);
    expect(bucket.reserve()).toBe(500);
  });

  it('keeps every minute within the documented employee read limit', () => {
    const clock = new VirtualClock(0);
    const bucket = new TokenBucket(PERSONIO_LIMITS.employeesRead, clock);
    const sendTimes: number[] = [];
    for (let request = 0; request < 400; request += 1) {
      sendTimes.push(clock.now() + bucket.reserve());
    }
    const maxInWindow = (windowMs: number) =>
      Math.max(...sendTimes.map((start) => sendTimes.filter((time) => time >= start && time < start + windowMs).length));
    expect(maxInWindow(60_000)).toBeLessThanOrEqual(300);
    expect(maxInWindow(1000)).toBeLessThanOrEqual(15);
  });
});

describe('PersonioPacer', () => {
  it('paces employee reads per credential but not other credentials', async () => {
    const clock = new VirtualClock(0);
    const pacer = new PersonioPacer(clock);
    for (let request = 0; request < PERSONIO_LIMITS.employeesRead.capacity; request += 1) {
      await pacer.acquire('a', 'GET', '/v1/company/employees');
    }
    expect(clock.sleeps).toEqual([]);
    await pacer.acquire('b', 'GET', '/v1/company/employees/1');
    expect(clock.sleeps).toEqual([]);
    await pacer.acquire('a', 'GET', '/v1/company/employees');
    expect(clock.sleeps).toHaveLength(1);
    await pacer.acquire('a', 'POST', '/v1/company/employees');
    expect(clock.sleeps).toHaveLength(1);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
  });
});

describe('httpError', () => {
  it('reads code, message and error_data keys from the v1 envelope', () => {
    const body = JSON.stringify({ success: false, error: { code: 0, message: 'The given data was invalid.', error_data: { file: ['bad'] } } });
    expect(httpError('request', 422, body, null)).toEqual({
      kind: 'http',
      stage: 'request',
      status: 422,
      code: 0,
      message: 'The given data was invalid.',
      fields: ['file'],
      retryAfterSeconds: null,
    });
  });

  it('tolerates HTML and string codes', () => {
    expect(httpError('request', 502, '<html>Bad Gateway</html>', null)).toMatchObject({ code: null, message: null, fields: [] });
    expect(httpError('request', 403, '{"error":{"code":"403","message":"x"}}', null)).toMatchObject({ code: 403 });
  });
});

describe('retryDelay', () => {
  const random = () => 0;
  const http = (status: number, retryAfterSeconds: number | null = null): PersonioApiError => ({
    kind: 'http',
    stage: 'request',
    status,
    code: status,
    message: null,
    fields: [],
    retryAfterSeconds,
  });

  it('honours Retry-After on every method', () => {
    expect(retryDelay(http(429, 2), 0, false, random)).toBe(2000);
    expect(retryDelay(http(429, 2), 0, true, random)).toBe(2000);
  });

  it('backs off from one second without Retry-After', () => {
    expect(retryDelay(http(429), 0, false, random)).toBe(1000);
    expect(retryDelay(http(429), 2, false, random)).toBe(4000);
    expect(retryDelay(http(429), 0, false, () => 0.999)).toBeLessThanOrEqual(1500);
  });

  it('gives up on waits longer than the maximum', () => {
    expect(retryDelay(http(429, MAX_RATE_LIMIT_WAIT_MS / 1000 + 1), 0, true, random)).toBeNull();
  });

  it('repeats server errors, timeouts and lost connections only when idempotent', () => {
    for (const error of [http(500), http(503), { kind: 'timeout', stage: 'request' } as const, { kind: 'network', stage: 'request', detail: 'ECONNRESET' } as const]) {
      expect(retryDelay(error, 0, true, random)).toBe(500);
      expect(retryDelay(error, 0, false, random)).toBeNull();
    }
    expect(retryDelay(http(422), 0, true, random)).toBeNull();
    expect(retryDelay(http(404), 0, true, random)).toBeNull();
  });

  it('grows exponentially with jitter', () => {
    expect(backoffDelay(3, 500, () => 0.5)).toBe(5000);
  });
});

describe('isTokenRejection', () => {
  const error = (status: number, code: number | null, stage: 'auth' | 'request' = 'request'): PersonioApiError => ({
    kind: 'http',
    stage,
    status,
    code,
    message: null,
    fields: [],
    retryAfterSeconds: null,
  });

  it('treats 401 and token-coded 403 as a rejected token', () => {
    expect(isTokenRejection(error(401, 401))).toBe(true);
    expect(isTokenRejection(error(401, 0))).toBe(true);
    expect(isTokenRejection(error(403, 403))).toBe(true);
    expect(isTokenRejection(error(403, 0))).toBe(false);
    expect(isTokenRejection(error(401, 401, 'auth'))).toBe(false);
  });
});

describe('TokenCache', () => {
  const issue = (clock: VirtualClock, token: string, expiresIn = 86_400): ApiResult<AccessToken> => ({
    ok: true,
    value: accessTokenFrom(token, expiresIn, 'employees:read', clock.now()),
  });

  it('shares one request between concurrent callers', async () => {
    const clock = new VirtualClock(0);
    const cache = new TokenCache(clock);
    let requests = 0;
    const fetchToken = async () => {
      requests += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return issue(clock, `papi-${requests}`);
    };
    const results = await Promise.all(Array.from({ length: 10 }, () => cache.get('key', fetchToken)));
    expect(requests).toBe(1);
    expect(new Set(results.map((result) => result.ok && result.value.token))).toEqual(new Set(['papi-1']));
  });

  it('refreshes shortly before expiry', async () => {
    const clock = new VirtualClock(0);
    const cache = new TokenCache(clock);
    let requests = 0;
    const fetchToken = async () => issue(clock, `papi-${++requests}`);
    await cache.get('key', fetchToken);
    clock.advance(86_400_000 - 6 * 60_000);
    expect((await cache.get('key', fetchToken)).ok).toBe(true);
    expect(requests).toBe(1);
    clock.advance(2 * 60_000);
    await cache.get('key', fetchToken);
    expect(requests).toBe(2);
  });

  it('invalidates only the rejected token', async () => {
    const clock = new VirtualClock(0);
    const cache = new TokenCache(clock);
    let requests = 0;
    const fetchToken = async () => issue(clock, `papi-${++requests}`);
    await cache.get('key', fetchToken);
    cache.invalidate('key', 'papi-other');
    await cache.get('key', fetchToken);
    expect(requests).toBe(1);
    cache.invalidate('key', 'papi-1');
    const next = await cache.get('key', fetchToken);
    expect(next).toMatchObject({ ok: true, value: { token: 'papi-2' } });
  });

  it('does not cache failures', async () => {
    const clock = new VirtualClock(0);
    const cache = new TokenCache(clock);
    const failed = await cache.get('key', async () => ({ ok: false, error: { kind: 'timeout', stage: 'auth' } }));
    expect(failed.ok).toBe(false);
    const next = await cache.get('key', async () => issue(clock, 'papi-ok'));
    expect(next.ok).toBe(true);
  });

  it('keys credentials by id and secret hash', () => {
    expect(credentialKey('id', 'one')).not.toBe(credentialKey('id', 'two'));
    expect(credentialKey('id', 'one')).not.toContain('one');
  });

  it('parses the scope string', () => {
    expect(accessTokenFrom('t', null, 'employees:read  documents:write', 0).scopes).toEqual(['employees:read', 'documents:write']);
    expect(accessTokenFrom('t', undefined, null, 0).scopes).toBeNull();
    expect(accessTokenFrom('t', undefined, null, 0).expiresAt).toBe(86_400_000);
  });
});
