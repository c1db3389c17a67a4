import { randomUUID } from 'node:crypto';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import { loadManagedJobIds, type AccessScope } from './ats/access.ts';
import { TokenError, type TokenVerifier } from './auth/jwt.ts';
import { loadViewer, type Viewer } from './auth/viewer.ts';
import { createLoaders } from './db/loaders.ts';
import type { GraphQLContext } from './graphql/context.ts';
import { defaultErrorCode } from './graphql/error-codes.ts';
import { rejectNulCharacters } from './graphql/input-text.ts';
import { costLimitPlugin, queryLimitsPlugin } from './graphql/limits.ts';
import type { Services } from './services.ts';

export interface AppOptions {
  schema: GraphQLSchema;
  services: Services;
  verifyToken: TokenVerifier;
  /** Checks that the database responds, for /ready. */
  checkDatabase(): Promise<void>;
}

/**
 * Builds the 401 error for a rejected Authorization header. RFC 9110 requires WWW-Authenticate on
 * every 401; the error codes are those of RFC 6750, section 3.1.
 */
function unauthenticated(message: string, error: 'invalid_request' | 'invalid_token' = 'invalid_token'): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: { 'WWW-Authenticate': `Bearer error="${error}"` } } },
  });
}

async function authenticate(request: Request, services: Services, verifyToken: TokenVerifier): Promise<Viewer | null> {
  const header = request.headers.get('authorization');
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!match?.[1]) throw unauthenticated('The Authorization header must be "Bearer <JWT>".', 'invalid_request');
  let identity;
  try {
    identity = await verifyToken(match[1]);
  } catch (error) {
    if (error instanceof TokenError) throw unauthenticated(error.message);
    throw error;
  }
  const viewer = await loadViewer(services.prisma, identity);
  if (!viewer) throw unauthenticated('The token names a user that does not exist in its organization.');
  return viewer;
}

/** Logs one line per GraphQL request: request id, operation, duration and outcome. */
function requestLogging(logger: Logger): Plugin<GraphQLContext> {
  return {
    onExecute({ args }) {
      const started = performance.now();
      return {
        onExecuteDone({ result }) {
          if (!('errors' in result) && !('data' in result)) return;
          const errors = 'errors' in result ? (result.errors ?? []) : [];
          logger.info(
            {
              requestId: args.contextValue.requestId,
              operationName: args.operationName ?? null,
              durationMs: Math.round(performance.now() - started),
              outcome: errors.length === 0 ? 'ok' : 'error',
              errorCodes: errors.map((error) => error.extensions?.['code'] ?? 'INTERNAL_SERVER_ERROR'),
            },
            'GraphQL request finished',
          );
        },
      };
    },
  };
}

/**
 * Rejects a request whose Content-Length is over the limit before its body is read. The
 * HTTP server (src/server.ts) rejects POST requests without Content-Length, so a chunked
 * body cannot bypass the check.
 */
function requestSizeLimit(maxBytes: number): Plugin<GraphQLContext> {
  return {
    onRequest({ request, endResponse, fetchAPI }) {
      const length = request.headers.get('content-length');
      if (length !== null && (!/^\d+$/.test(length) || Number(length) > maxBytes)) {
        endResponse(
          fetchAPI.Response.json(
            { errors: [{ message: `The request body exceeds the limit of ${maxBytes} bytes (MAX_REQUEST_BODY_BYTES).`, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] },
            { status: 413 },
          ),
        );
      }
    },
  };
}

export function createApp(options: AppOptions): YogaServerInstance<Record<string, unknown>, GraphQLContext> {
  const { services, verifyToken } = options;
  const production = services.config.NODE_ENV === 'production';

  return createYoga<Record<string, unknown>, GraphQLContext>({
    schema: options.schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: !production,
    maskedErrors: { isDev: !production },
    maxRequestBodySize: services.config.MAX_REQUEST_BODY_BYTES,
    logging: {
      debug: (...args) => services.logger.debug({ args }, 'yoga debug'),
      info: (...args) => services.logger.info({ args }, 'yoga info'),
      warn: (...args) => services.logger.warn({ args }, 'yoga warning'),
      error: (...args) => services.logger.error({ err: args[0] }, 'Unexpected error in a GraphQL request'),
    },
    plugins: [
      requestSizeLimit(services.config.MAX_REQUEST_BODY_BYTES),
      queryLimitsPlugin(),
      costLimitPlugin(),
      rejectNulCharacters(),
      defaultErrorCode(),
      requestLogging(services.logger),
      {
        // GET /health never reaches this hook: yoga's built-in health check plugin runs first
        // and responds 200 with an empty body (healthCheckEndpoint, default /health).
        async onRequest({ url, endResponse, fetchAPI }) {
          if (url.pathname === '/ready') {
            try {
              await options.checkDatabase();
              endResponse(fetchAPI.Response.json({ status: 'ready' }));
            } catch (error) {
              services.logger.warn({ err: error }, 'Readiness check failed: database unreachable');
              endResponse(fetchAPI.Response.json({ status: 'unavailable', reason: 'database unreachable' }, { status: 503 }));
            }
          }
        },
      },
    ],
    context: async ({ request }): Promise<GraphQLContext> => {
      const requestId = request.headers.get('x-request-id')?.slice(0, 100) || randomUUID();
      const viewer = await authenticate(request, services, verifyToken);
      const loaders = viewer ? createLoaders(services.prisma, viewer.organization.id) : null;
      let scope: Promise<AccessScope> | null = null;
      return {
        requestId,
        prisma: services.prisma,
        logger: services.logger.child({ requestId }),
        services,
        viewer,
        loaders,
        accessScope() {
          if (!viewer) throw new Error('accessScope() needs a viewer');
          scope ??= (async () => ({
            organizationId: viewer.organization.id,
            userId: viewer.user.id,
            role: viewer.role,
            jobIds:
              viewer.role === 'HIRING_MANAGER'
                ? await loadManagedJobIds(services.prisma, viewer.organization.id, viewer.user.id)
                : viewer.role === 'INTERVIEWER'
                  ? new Set<string>()
                  : null,
          }))();
          return scope;
        },
      };
    },
  });
}
