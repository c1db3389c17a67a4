import { startPersonioSandbox, type RecordedRequest, type SandboxOptions } from '../../plugins/personio/sandbox/index.ts';
import { serveParent } from './ipc-child.ts';

/**
 * Child-process entry that runs a Personio sandbox on 127.0.0.1, so its CPU time stays out of
 * the measured service process. The parent (support/sandbox-client.ts) sends the options and
 * queries the sandbox over IPC; the sandbox stops when the parent disconnects.
 */

export type SandboxQuery = { kind: 'lastSequence' } | { kind: 'summary'; fromSequence: number } | { kind: 'employees' } | { kind: 'cpuUsage' };

/** Counts of the requests received from `fromSequence` on. */
export interface RequestSummary {
  total: number;
  /** Accepted requests (status below 400) per route name. */
  acceptedByRoute: Record<string, number>;
  /** Responses with status 429. */
  rateLimited: number;
  /** Responses with status 429 per route name. */
  rateLimitedByRoute: Record<string, number>;
  /** Other responses with status 400 or more, or connections reset by a fault. */
  otherErrors: number;
  /** Accepted requests to v1 routes, which count against the overall 2000/min limit. */
  acceptedV1: number;
  /** Milliseconds from the first to the last request received. */
  spanMs: number;
}

function summarize(requests: readonly RecordedRequest[]): RequestSummary {
  const summary: RequestSummary = { total: requests.length, acceptedByRoute: {}, rateLimited: 0, rateLimitedByRoute: {}, otherErrors: 0, acceptedV1: 0, spanMs: 0 };
  for (const request of requests) {
    const status = request.response.outcome === 'answered' ? request.response.status : null;
    const route = request.route ?? `${request.method} ${request.path}`;
    if (status === 429) {
      summary.rateLimited += 1;
      summary.rateLimitedByRoute[route] = (summary.rateLimitedByRoute[route] ?? 0) + 1;
    } else if (status === null || status >= 400) {
      summary.otherErrors += 1;
    } else {
      summary.acceptedByRoute[route] = (summary.acceptedByRoute[route] ?? 0) + 1;
      if (request.path.startsWith('/v1/')) summary.acceptedV1 += 1;
    }
  }
  const first = requests[0];
  const last = requests.at(-1);
  if (first && last) summary.spanMs = Date.parse(last.receivedAt) - Date.parse(first.receivedAt);
  return summary;
}

await serveParent(async (options: SandboxOptions) => {
  // Enough for the largest bulk export (500 hires make about 2,600 requests) with room for retries.
  const sandbox = await startPersonioSandbox({ ...options, port: 0, host: '127.0.0.1', maxRecordedRequests: 20_000 });
  return {
    ready: sandbox.url,
    handle(query: SandboxQuery) {
      switch (query.kind) {
        case 'lastSequence':
          return sandbox.control.requests().at(-1)?.sequence ?? 0;
        case 'summary':
          return summarize(sandbox.control.requests().filter((request) => request.sequence >= query.fromSequence));
        case 'employees':
          return sandbox.control.employees().map((employee) => employee.email);
        case 'cpuUsage':
          return process.cpuUsage();
      }
    },
    stop: () => sandbox.stop(),
  };
});
