import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { GraphQLError } from 'graphql';
import type { GraphQLContext } from './context.ts';

export interface AuthScopes {
  /** Any signed-in user of the organization, interviewers included. */
  member: boolean;
  admin: boolean;
  recruiter: boolean;
  hiringManager: boolean;
}

export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  AuthScopes: AuthScopes;
  DefaultFieldNullability: false;
  Scalars: {
    Date: { Input: string; Output: string };
    DateTime: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
  };
}>({
  defaultFieldNullability: false,
  // Order matters: the errors plugin wraps resolvers first so expected failures become union
  // members, then scope-auth checks access before any resolver runs, then relay.
  plugins: [ErrorsPlugin, ScopeAuthPlugin, RelayPlugin],
  errors: { defaultTypes: [] },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    // No generic node(id) root field: each root field checks its own type's visibility.
    nodeQueryOptions: false,
    nodesQueryOptions: false,
  },
  scopeAuth: {
    authScopes: (context) => {
      const role = context.viewer?.role;
      return {
        member: role !== undefined,
        admin: role === 'ADMIN',
        recruiter: role === 'RECRUITER',
        hiringManager: role === 'HIRING_MANAGER',
      };
    },
    unauthorizedError: (_parent, context, info) => {
      const coordinate = `${info.parentType.name}.${info.fieldName}`;
      if (!context.viewer) {
        return new GraphQLError(
          `Authentication required for ${coordinate}: send an Authorization: Bearer <JWT> header.`,
          { extensions: { code: 'UNAUTHENTICATED' } },
        );
      }
      return new GraphQLError(
        `Not allowed: ${coordinate} is not available to the ${context.viewer.role} role.`,
        { extensions: { code: 'FORBIDDEN' } },
      );
    },
  },
});

builder.queryType({});
builder.mutationType({});
