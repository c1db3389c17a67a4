import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { getOperationAST, GraphQLError, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { estimateOperationCost } from './cost.ts';
import { pageSize } from './pagination.ts';

/**
 * Limits on the shape of a GraphQL operation, checked before any resolver runs: depth, aliases,
 * directives and tokens while the document is parsed and validated, the cost once the
 * variables are known. The deepest operation of the typed client (src/client/operations) has a
 * depth of 6, 2 aliases, no directives and about 460 tokens. The costliest one,
 * HrisExportHistory with `first: 100`, costs 6,500. Every limit leaves room for hand-written
 * queries of the same kind.
 */
export const queryLimits = {
  /** Nesting of fields; fragments do not add a level. */
  maxDepth: 10,
  maxAliases: 15,
  maxDirectives: 20,
  /** Lexical tokens of the whole document, counted while parsing. */
  maxTokens: 2_000,
  /**
   * Estimated cost (src/graphql/cost.ts): 1 per scalar field, 2 per object field, a connection
   * multiplied by its page size, with `first` and `last` read from literals or variables.
   */
  maxCost: 10_000,
} as const;

/** Weights of the cost estimate; page sizes are those the connection resolvers apply. */
export const costWeights = { scalarCost: 1, objectCost: 2, defaultPageSize: pageSize.defaultSize, maxPageSize: pageSize.maxSize } as const;

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
    // The cost check is costLimitPlugin below, which reads page sizes from variables too.
    costLimit: { enabled: false },
    maxTokens: {
      n: queryLimits.maxTokens,
      // The token count runs inside the parser, where no validation context exists to report
      // to, so the callback throws; yoga responds to a GraphQLError thrown while parsing with 400.
      onReject: [
        (_context, error) => {
          throw limitError(error, queryLimitCodes.maxTokens);
        },
      ],
    },
  }) as Plugin;
}

/**
 * Rejects an operation whose estimated cost is over `queryLimits.maxCost`. It runs when the
 * operation executes, because the cost depends on variables such as `$first`.
 */
export function costLimitPlugin(): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const operation = getOperationAST(args.document, args.operationName);
      if (!operation) return;
      const cost = estimateOperationCost(args.schema, args.document, operation, args.variableValues ?? {}, costWeights);
      if (cost <= queryLimits.maxCost) return;
      setResultAndStopExecution({
        errors: [
          new GraphQLError(
            `The operation's estimated cost is ${Math.ceil(cost)}, over the limit of ${queryLimits.maxCost}. Request fewer fields or smaller pages (first, last), or split the operation into smaller ones.`,
            { extensions: { code: queryLimitCodes.maxCost, http: { status: 400 } } },
          ),
        ],
      });
    },
  };
}
