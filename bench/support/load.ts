import autocannon, { type AutocannonResult } from 'autocannon';

/** One GraphQL operation sent by autocannon: the same body on every request, or a list cycled through. */
export interface GraphqlLoad {
  url: string;
  /** Request bodies (JSON text); each connection cycles through them in order. */
  bodies: readonly string[];
  token?: string;
  connections: number;
  durationSeconds: number;
  /** Requests per second over all connections; unlimited when absent. */
  overallRate?: number;
  /**
   * Checks a response body with status 2xx. Bodies that fail count as mismatches, so a GraphQL
   * error in a 200 response is not counted as a success. Default: `data` present, no `errors`.
   */
  verifyBody?: (body: string) => boolean;
}

export interface LoadResult {
  /** Completed requests per second over the run. */
  requestsPerSecond: number;
  completed: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  /** 2xx responses whose body failed the check. */
  mismatches: number;
  /** Start of the first failing body, for the report. */
  firstMismatch: string | null;
  statusCodes: Record<string, number>;
}

/** Returns true for a GraphQL response body with `data` and without `errors`. */
export function hasDataWithoutErrors(body: string): boolean {
  try {
    const parsed = JSON.parse(body) as { data?: unknown; errors?: unknown };
    return parsed.errors === undefined && parsed.data !== undefined && parsed.data !== null;
  } catch {
    return false;
  }
}

export function graphqlBody(query: string, variables: Record<string, unknown> = {}): string {
  return JSON.stringify({ query: String(query), variables });
}

/** Runs autocannon against a GraphQL endpoint on loopback and returns its figures. */
export async function runGraphqlLoad(load: GraphqlLoad): Promise<LoadResult> {
  const host = new URL(load.url).hostname;
  if (host !== '127.0.0.1' && host !== '[::1]') throw new Error(`Load is only sent to loopback, not to ${load.url}.`);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (load.token) headers['authorization'] = `Bearer ${load.token}`;
  const instance = autocannon({
    url: load.url,
    method: 'POST',
    headers,
    requests: load.bodies.map((body) => ({ method: 'POST', headers, body })),
    connections: load.connections,
    duration: load.durationSeconds,
    ...(load.overallRate ? { overallRate: load.overallRate } : {}),
    verifyBody: load.verifyBody ?? hasDataWithoutErrors,
  });
  let firstMismatch: string | null = null;
  instance.on('reqMismatch', (body: string) => {
    firstMismatch ??= String(body).slice(0, 500);
  });
  const result: AutocannonResult = await instance;
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, stats]) => [code, stats.count]));
  return {
    requestsPerSecond: result.requests.total / result.duration,
    completed: result.requests.total,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
    mismatches: result.mismatches,
    firstMismatch,
    statusCodes,
  };
}

/** Failures of a load run in words, or an empty list when every request succeeded. */
export function loadFailures(result: LoadResult): string[] {
  const failures: string[] = [];
  if (result.non2xx > 0) failures.push(`${result.non2xx} responses with a status other than 2xx (${JSON.stringify(result.statusCodes)})`);
  if (result.errors > 0) failures.push(`${result.errors} connection errors or timeouts`);
  if (result.mismatches > 0) failures.push(`${result.mismatches} responses with GraphQL errors or unexpected data, first: ${result.firstMismatch}`);
  if (result.completed === 0) failures.push('no request completed');
  return failures;
}
