import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import type { HrisRegistry } from '../hris/registry.ts';
import { builder } from './builder.ts';
import { defineConnectInput } from './integrations.ts';
import './scalars.ts';
import './users.ts';
import './candidates.ts';
import './jobs.ts';
import './exports.ts';

let built: { schema: GraphQLSchema; providers: string } | null = null;

/**
 * Builds the schema for the installed plugins. The connectHris input has one field per
 * provider, so the schema depends on the registry; it is built once per process.
 */
export function buildSchema(registry: HrisRegistry): GraphQLSchema {
  const providers = registry
    .list()
    .map((plugin) => plugin.manifest.key)
    .join(',');
  if (built) {
    if (built.providers !== providers) {
      throw new Error(`The schema was built for plugins [${built.providers}] and cannot be rebuilt for [${providers}] in the same process.`);
    }
    return built.schema;
  }
  defineConnectInput(registry);
  built = { schema: builder.toSchema(), providers };
  return built.schema;
}

/** The SDL committed as schema.graphql: sorted, so the diff of a change shows only the change. */
export function printSortedSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
