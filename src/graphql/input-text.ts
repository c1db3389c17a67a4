import { GraphQLError, Kind, visit, type ASTNode, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Rejects an operation whose input text contains U+0000 before any resolver runs. PostgreSQL
 * text and jsonb cannot store that character, so without this check a NUL byte in a search
 * term or provider key fails deep inside a query as an unexpected error.
 */

const nul = '\u0000';

function nulError(where: string): GraphQLError {
  return new GraphQLError(`${where} contains a NUL character (U+0000), which no text input accepts; remove it and send the request again.`, {
    extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
  });
}

/** Returns the path of the first string containing NUL inside a variable value, or null. */
function findNulInValue(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes(nul) ? path : null;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findNulInValue(item, `${path}[${index}]`);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = findNulInValue(item, `${path}.${key}`);
      if (found) return found;
    }
  }
  return null;
}

/** Describes where a string literal sits, such as `argument "filter.search" of field "candidates"`. */
function describeLiteral(ancestors: readonly (ASTNode | readonly ASTNode[])[]): string {
  const inputPath: string[] = [];
  let field: string | null = null;
  for (const ancestor of ancestors) {
    if (Array.isArray(ancestor)) continue;
    const node = ancestor as ASTNode;
    if (node.kind === Kind.FIELD) {
      field = node.name.value;
      inputPath.length = 0;
    } else if (node.kind === Kind.ARGUMENT || node.kind === Kind.OBJECT_FIELD) {
      inputPath.push(node.name.value);
    }
  }
  const argument = inputPath.length > 0 ? `Argument "${inputPath.join('.')}"` : 'A string literal';
  return field ? `${argument} of field "${field}"` : argument;
}

function findNulInDocument(document: DocumentNode): string | null {
  let found: string | null = null;
  visit(document, {
    StringValue(node, _key, _parent, _path, ancestors) {
      if (found === null && node.value.includes(nul)) found = describeLiteral(ancestors);
    },
  });
  return found;
}

export function rejectNulCharacters(): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      for (const [name, value] of Object.entries(args.variableValues ?? {})) {
        const path = findNulInValue(value, name);
        if (path) {
          setResultAndStopExecution({ errors: [nulError(`Variable "$${name}" at "${path}"`)] });
          return;
        }
      }
      const literal = findNulInDocument(args.document);
      if (literal) setResultAndStopExecution({ errors: [nulError(literal)] });
    },
  };
}
