import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Gives every error without `extensions.code` the code BAD_USER_INPUT, so a client can rely on
 * a code being present. Errors reach this hook without a code only when graphql-js or Pothos
 * rejected an input value: a variable of the wrong type, or a negative `first`. Masked
 * errors already carry INTERNAL_SERVER_ERROR.
 */
export function defaultErrorCode(): Plugin {
  return {
    onExecutionResult({ result, setResult }) {
      if (!result || Symbol.asyncIterator in result) return;
      const errors = result.errors;
      if (!errors?.some((error) => error.extensions?.['code'] === undefined)) return;
      setResult({
        ...result,
        errors: errors.map((error) =>
          error.extensions?.['code'] === undefined
            ? new GraphQLError(error.message, {
                nodes: error.nodes ?? null,
                source: error.source ?? null,
                positions: error.positions ?? null,
                path: error.path ?? null,
                originalError: error.originalError ?? null,
                extensions: { ...error.extensions, code: 'BAD_USER_INPUT' },
              })
            : error,
        ),
      });
    },
  };
}
