import type { Logger } from 'pino';
import type { AccessScope } from '../ats/access.ts';
import type { Viewer } from '../auth/viewer.ts';
import type { PrismaClient } from '../db/client.ts';
import type { Loaders } from '../db/loaders.ts';
import type { Services } from '../services.ts';

/** Per-request GraphQL context. */
export interface GraphQLContext {
  requestId: string;
  prisma: PrismaClient;
  logger: Logger;
  services: Services;
  /** Null for anonymous requests; a rejected token fails the request before this is built. */
  viewer: Viewer | null;
  /** Loaders scoped to the viewer's organization; null without a viewer. */
  loaders: Loaders | null;
  /** The viewer's access scope (a hiring manager's jobs are loaded once per request). */
  accessScope(): Promise<AccessScope>;
}

/** Context with a signed-in viewer: what resolvers behind an auth scope receive. */
export type AuthenticatedContext = GraphQLContext & { viewer: Viewer; loaders: Loaders };

export function requireViewer(context: GraphQLContext): AuthenticatedContext {
  if (!context.viewer || !context.loaders) {
    throw new Error('Resolver reached without a viewer: its field needs an auth scope.');
  }
  return context as AuthenticatedContext;
}
