import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { GraphQLError, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Limits on the shape of a GraphQL operation, checked while it is parsed and validated, before
 * any resolver runs. The deepest operation of the typed client (src/client/operations) has a
 * depth of 6, 2 aliases, no directives, about 460 tokens and a cost of about 1,800, so every
 * limit leaves room for hand-written queries of the same kind.
 */
export const queryLimits = {
  /** Nesting of fields; fragments do not add a level. */
  maxDepth: 10,
  maxAliases: 15,
  maxDirectives: 20,
  /** Lexical tokens of the whole document, counted while parsing. */
  maxTokens: 2_000,
  /**
   * graphql-armor's estimate: 1 per scalar field, 2 per object field, children weighted by 1.5
   * per level, and a selection multiplied by a literal `first` or `last` argument.
   */
  maxCost: 5_000,
} as const;

/** The `extensions.code` of each rejection. */
export const queryLimitCodes = {
  maxDepth: 'QUERY_TOO_DEEP',
  maxAliases: 'TOO_MANY_ALIASES',
  maxDirectives: 'TOO_MANY_DIRECTIVES',
  maxTokens: 'TOO_MANY_TOKENS',
  maxCost: 'QUERY_TOO_COSTLY',
} as const;

/** graphql-armor prefixes its messages with "Syntax Error:", although the syntax is valid. */
function limitError(error: GraphQLError, code: string): GraphQLError {
  const reason = error.message.replace(/^Syntax Error:\s*/, '');
  return new GraphQLError(`${reason} Split the operation into smaller ones or request fewer fields.`, {
    extensions: { code, http: { status: 400 } },
  });
}

/** Reports the rejection as a validation error with our code instead of throwing armor's. */
function reportAs(code: string): ((context: ValidationContext | null, error: GraphQLError) => void)[] {
  return [(context, error) => context?.reportError(limitError(error, code))];
}

/** graphql-armor's checks with the limits above; each rejection carries its own code. */
export function queryLimitsPlugin(): Plugin {
  return EnvelopArmorPlugin({
    // The schema is published (schema.graphql), so "Did you mean" suggestions reveal nothing.
    blockFieldSuggestion: { enabled: false },
    maxDepth: { n: queryLimits.maxDepth, flattenFragments: true, propagateOnRejection: false, onReject: reportAs(queryLimitCodes.maxDepth) },
    maxAliases: { n: queryLimits.maxAliases, propagateOnRejection: false, onReject: reportAs(queryLimitCodes.maxAliases) },
    maxDirectives: { n: queryLimits.maxDirectives, propagateOnRejection: false, onReject: reportAs(queryLimitCodes.maxDirectives) },
    costLimit: { maxCost: queryLimits.maxCost, flattenFragments: true, propagateOnRejection: false, onReject: reportAs(queryLimitCodes.maxCost) },
    maxTokens: {
      n: queryLimits.maxTokens,
      // The token count runs inside the parser, where no validation context exists to report
      // to, so the callback throws; yoga answers a thrown GraphQLError from parsing with 400.
      onReject: [
        (_context, error) => {
          throw limitError(error, queryLimitCodes.maxTokens);
        },
      ],
    },
  }) as Plugin;
}
