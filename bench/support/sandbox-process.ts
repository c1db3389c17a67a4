import { startPersonioSandbox, type RecordedRequest, type SandboxOptions } from '../../plugins/personio/sandbox/index.ts';

/**
 * Child-process entry that runs a Personio sandbox on 127.0.0.1, so its CPU time stays out of
 * the measured service process. The parent (support/sandbox-client.ts) sends the options as the
 * first IPC message and queries the sandbox over IPC; the sandbox stops when the parent
 * disconnects.
 */

export type SandboxQuery =
  | { id: number; kind: 'lastSequence' }
  | { id: number; kind: 'summary'; fromSequence: number }
  | { id: number; kind: 'employees' }
  | { id: number; kind: 'cpuUsage' };

/** Counts of the requests received from `fromSequence` on. */
export interface RequestSummary {
  total: number;
  /** Accepted requests (status below 400) per route name. */
  acceptedByRoute: Record<string, number>;
  /** Responses with status 429. */
  rateLimited: number;
  /** Other responses with status 400 or more, or connections reset by a fault. */
  otherErrors: number;
  /** Accepted requests to v1 routes, which count against the overall 2000/min limit. */
  acceptedV1: number;
}

function summarize(requests: readonly RecordedRequest[]): RequestSummary {
  const summary: RequestSummary = { total: requests.length, acceptedByRoute: {}, rateLimited: 0, otherErrors: 0, acceptedV1: 0 };
  for (const request of requests) {
    const status = request.response.outcome === 'answered' ? request.response.status : null;
    if (status === 429) {
      summary.rateLimited += 1;
    } else if (status === null || status >= 400) {
      summary.otherErrors += 1;
    } else {
      const route = request.route ?? `${request.method} ${request.path}`;
      summary.acceptedByRoute[route] = (summary.acceptedByRoute[route] ?? 0) + 1;
      if (request.path.startsWith('/v1/')) summary.acceptedV1 += 1;
    }
  }
  return summary;
}

const options = await new Promise<SandboxOptions>((resolve) => process.once('message', (message) => resolve(message as SandboxOptions)));
const sandbox = await startPersonioSandbox({ ...options, port: 0, host: '127.0.0.1', maxRecordedRequests: 20_000 });

process.on('message', (message) => {
  const query = message as SandboxQuery;
  const answer = (value: unknown) => process.send?.({ id: query.id, value });
  switch (query.kind) {
    case 'lastSequence':
      answer(sandbox.control.requests().at(-1)?.sequence ?? 0);
      break;
    case 'summary':
      answer(summarize(sandbox.control.requests().filter((request) => request.sequence >= query.fromSequence)));
      break;
    case 'employees':
      answer(sandbox.control.employees().map((employee) => employee.email));
      break;
    case 'cpuUsage':
      answer(process.cpuUsage());
      break;
  }
});
process.once('disconnect', () => void sandbox.stop().then(() => process.exit(0)));
process.send?.({ id: 0, value: sandbox.url });
