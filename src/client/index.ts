import { ClientError, GraphQLClient } from 'graphql-request';
import { getSdk, type Sdk } from './generated.ts';

export * from './generated.ts';
export { TypedDocumentString } from './typed-document-string.ts';
export { ClientError } from 'graphql-request';

/**
 * The request function the client sends with. graphql-request 7 calls it with the endpoint
 * URL and the request options. The global fetch fits, and so does `yoga.fetch`, which
 * answers in-process without a network round trip.
 */
export type FetchFunction = (url: URL, init: RequestInit) => Response | Promise<Response>;

export interface HrisExportClientOptions {
  /** GraphQL endpoint of the service, for example http://localhost:4000/graphql. */
  url: string;
  /** JWT sent as `Authorization: Bearer <token>`; without one, requests are anonymous. */
  token?: string | undefined;
  /** Replaces the global fetch, for example with `yoga.fetch` to skip the network in tests. */
  fetch?: FetchFunction | undefined;
  /** Extra headers on every request, such as `x-request-id`. */
  headers?: Record<string, string> | undefined;
}

/** The typed SDK: one method per operation in src/client/operations, named after it. */
export type HrisExportClient = Sdk;

/**
 * Creates the typed client of the hris-export GraphQL API. Each method sends one operation
 * and resolves with its typed `data`. Expected failures, such as a candidate who is not
 * hired, arrive as union members in `data`. A GraphQL error (no token, a role that may not
 * call the field, a masked server error) rejects with graphql-request's ClientError;
 * `graphQLErrorCodes` reads its codes.
 */
export function createHrisExportClient(options: HrisExportClientOptions): HrisExportClient {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`;
  const customFetch = options.fetch;
  const client = new GraphQLClient(options.url, {
    headers,
    ...(customFetch
      ? {
          fetch: async (input: string | URL | Request, init?: RequestInit) => {
            // graphql-request sends the endpoint as a URL and the body in init, never a Request.
            if (input instanceof Request) throw new TypeError('Expected a URL and request options, not a Request.');
            return customFetch(new URL(input), init ?? {});
          },
        }
      : {}),
  });
  return getSdk(client);
}

/**
 * Returns the `extensions.code` of every GraphQL error in a rejected request, such as
 * UNAUTHENTICATED or FORBIDDEN, or an empty list when `error` is not a ClientError.
 * An error without a code counts as INTERNAL_SERVER_ERROR, as in the service's request log.
 */
export function graphQLErrorCodes(error: unknown): string[] {
  if (!(error instanceof ClientError)) return [];
  return (error.response.errors ?? []).map((graphQLError) => {
    const code = graphQLError.extensions?.['code'];
    return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
  });
}
