import type { z } from 'zod';
import type { HrisLogger } from '../../../src/hris/index.ts';
import { authResponseSchema } from '../schemas.ts';
import { httpError, parseRetryAfter, type ApiResult, type PersonioApiError, type RequestStage } from './api-error.ts';
import type { Clock } from './clock.ts';
import type { PersonioPacer } from './rate-limiter.ts';
import { AUTH_COOL_DOWN_SECONDS, isTokenRejection, retryDelay } from './retry.ts';
import { accessTokenFrom, credentialKey, type AccessToken, type TokenCache } from './token-cache.ts';

export interface PersonioRequest {
  method: 'GET' | 'POST' | 'PATCH';
  /** Path below the base URL, starting with `/v1/`. */
  path: string;
  query?: ReadonlyArray<readonly [string, string]>;
  json?: unknown;
  form?: FormData;
  /** Whether repeating the request after a server error, timeout or lost connection is harmless. */
  idempotent: boolean;
}

/** Parts shared by every client of one provider instance. */
export interface PersonioTransport {
  baseUrl: string;
  partnerId: string;
  timeoutMs: number;
  maxRetries: number;
  clock: Clock;
  random: () => number;
  logger: HrisLogger;
  tokenCache: TokenCache;
  pacer: PersonioPacer;
}

export interface PersonioClientCredentials {
  clientId: string;
  clientSecret: string;
  /** Value of `X-Personio-App-ID`, in UPPER_SNAKE_CASE. */
  appIdHeader: string;
}

type Exchange = { kind: 'response'; response: Response; text: string } | { kind: 'failed'; error: PersonioApiError };

/**
 * The one HTTP client for Personio's v1 API. It sends the identification headers on every call,
 * shares a cached token per credential, paces requests with token buckets, and repeats requests
 * as `retryDelay` allows. Every body is parsed with a zod schema. It never logs the secret or token.
 */
export class PersonioHttpClient {
  readonly credentialKey: string;

  constructor(
    private readonly transport: PersonioTransport,
    private readonly credentials: PersonioClientCredentials,
  ) {
    this.credentialKey = credentialKey(credentials.clientId, credentials.clientSecret);
  }

  /** Returns the cached token of this credential, requesting one from `POST /v1/auth` when none is valid. */
  token(): Promise<ApiResult<AccessToken>> {
    return this.transport.tokenCache.get(this.credentialKey, () => this.requestToken());
  }

  /** Sends an authenticated request and parses the response body; a rejected token is replaced once. */
  async send<T>(request: PersonioRequest, schema: z.ZodType<T>): Promise<ApiResult<T>> {
    const first = await this.sendWithToken(request, schema);
    if (first.rejectedToken === null) {
      return first.result;
    }

    this.transport.tokenCache.invalidate(this.credentialKey, first.rejectedToken);
    this.transport.logger.warn({ method: request.method, path: request.path }, 'Personio rejected the access token; requesting a new one');
    const second = await this.sendWithToken(request, schema);
    return second.result;
  }

  private async sendWithToken<T>(request: PersonioRequest, schema: z.ZodType<T>): Promise<{ result: ApiResult<T>; rejectedToken: string | null }> {
    const token = await this.token();
    if (!token.ok) {
      return { result: token, rejectedToken: null };
    }

    const result = await this.execute(request, schema, 'request', token.value.token);
    if (!result.ok) {
      return { result, rejectedToken: isTokenRejection(result.error) ? token.value.token : null };
    }

    this.adoptRotatedToken(token.value.token, result.value.headers);
    return { result: { ok: true, value: result.value.body }, rejectedToken: null };
  }

  private async requestToken(): Promise<ApiResult<AccessToken>> {
    const request: PersonioRequest = {
      method: 'POST',
      path: '/v1/auth',
      json: { client_id: this.credentials.clientId, client_secret: this.credentials.clientSecret },
      // Repeating POST /v1/auth returns the same 24-hour token, so it is safe.
      idempotent: true,
    };
    const result = await this.execute(request, authResponseSchema, 'auth', null);
    if (!result.ok) {
      const { error } = result;
      if (error.kind === 'http' && error.status === 429 && error.retryAfterSeconds === null) {
        return { ok: false, error: { ...error, retryAfterSeconds: AUTH_COOL_DOWN_SECONDS } };
      }
      return result;
    }

    const { token, expires_in: expiresIn, scope } = result.value.body.data;
    return { ok: true, value: accessTokenFrom(token, expiresIn, scope, this.transport.clock.now()) };
  }

  /** Sends one request, repeating it while `retryDelay` allows, and parses a successful body. */
  private async execute<T>(
    request: PersonioRequest,
    schema: z.ZodType<T>,
    stage: RequestStage,
    token: string | null,
  ): Promise<ApiResult<{ body: T; headers: Headers }>> {
    const { transport } = this;
    for (let retry = 0; ; retry += 1) {
      await transport.pacer.acquire(this.credentialKey, request.method, request.path);
      const exchange = await this.exchange(request, stage, token);

      let error: PersonioApiError;
      if (exchange.kind === 'failed') {
        error = exchange.error;
      } else if (exchange.response.ok) {
        const parsed = parseBody(exchange.text, schema, exchange.response.status, stage);
        if (parsed.ok) {
          return { ok: true, value: { body: parsed.value, headers: exchange.response.headers } };
        }
        error = parsed.error;
      } else {
        const retryAfter = parseRetryAfter(exchange.response.headers.get('retry-after'), transport.clock.now());
        error = httpError(stage, exchange.response.status, exchange.text, retryAfter);
      }

      const delayMs = retry < transport.maxRetries ? retryDelay(error, retry, request.idempotent, transport.random) : null;
      if (delayMs === null) {
        return { ok: false, error };
      }
      transport.logger.warn(
        {
          method: request.method,
          path: request.path,
          reason: error.kind,
          status: 'status' in error ? error.status : null,
          retry: retry + 1,
          delayMs,
        },
        'Retrying Personio request',
      );
      await transport.clock.sleep(delayMs);
    }
  }

  private async exchange(request: PersonioRequest, stage: RequestStage, token: string | null): Promise<Exchange> {
    const url = new URL(this.transport.baseUrl + request.path);
    for (const [name, value] of request.query ?? []) {
      url.searchParams.append(name, value);
    }

    const headers = new Headers({
      Accept: 'application/json',
      'X-Personio-App-ID': this.credentials.appIdHeader,
      'X-Personio-Partner-ID': this.transport.partnerId,
    });
    if (token !== null) {
      headers.set('Authorization', `Bearer ${token}`);
    }
    let body: string | FormData | undefined;
    if (request.form !== undefined) {
      body = request.form;
    } else if (request.json !== undefined) {
      headers.set('Content-Type', 'application/json');
      body = JSON.stringify(request.json);
    }

    try {
      const response = await fetch(url, {
        method: request.method,
        headers,
        body,
        signal: AbortSignal.timeout(this.transport.timeoutMs),
      });
      const text = await response.text();
      return { kind: 'response', response, text };
    } catch (error) {
      return { kind: 'failed', error: transportError(error, stage) };
    }
  }

  /**
   * Older Personio accounts rotate tokens: each response's `Authorization` header carries the token
   * for the next call. Current accounts echo the same token, which leaves the cache unchanged.
   */
  private adoptRotatedToken(usedToken: string, headers: Headers): void {
    const match = /^Bearer\s+(\S+)$/i.exec(headers.get('authorization') ?? '');
    const nextToken = match?.[1];
    if (nextToken !== undefined && nextToken !== usedToken) {
      this.transport.tokenCache.replace(this.credentialKey, usedToken, nextToken);
    }
  }
}

function parseBody<T>(text: string, schema: z.ZodType<T>, status: number, stage: RequestStage): ApiResult<T> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: { kind: 'invalid-response', stage, status, detail: 'the body is not JSON' } };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined || issue.path.length === 0 ? 'body' : issue.path.join('.');
    return { ok: false, error: { kind: 'invalid-response', stage, status, detail: `${where}: ${issue?.message ?? 'invalid'}` } };
  }
  return { ok: true, value: parsed.data };
}

/** Classifies a rejected `fetch` or body read: the timeout signal, or a connection error such as ECONNRESET. */
function transportError(error: unknown, stage: RequestStage): PersonioApiError {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return { kind: 'timeout', stage };
  }
  const cause = error instanceof Error ? error.cause : undefined;
  const code = cause !== null && typeof cause === 'object' && 'code' in cause ? String(cause.code) : null;
  const detail = code ?? (error instanceof Error ? error.message : String(error));
  return { kind: 'network', stage, detail };
}
