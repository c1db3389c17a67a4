import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { installedPlugins } from '../plugins/index.ts';
import { printSortedSchema, buildSchema } from '../src/graphql/schema.ts';
import { createRegistry } from '../src/hris/registry.ts';
import { createLogger } from '../src/logger.ts';

/**
 * Writes the GraphQL schema of the installed plugins, sorted, to schema.graphql at the
 * repository root. test/api/schema.test.ts fails when the committed file differs.
 * Plugin settings only affect runtime behaviour, so their defaults are used here.
 */
const schemaPath = fileURLToPath(new URL('../schema.graphql', import.meta.url));

const registry = createRegistry(installedPlugins, {}, { environment: 'development', logger: createLogger('silent') });
const printed = printSortedSchema(buildSchema(registry));

let previous: string | null = null;
try {
  previous = await readFile(schemaPath, 'utf8');
} catch (error) {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
}

if (previous === printed) {
  process.stderr.write(`${schemaPath} is up to date.\n`);
} else {
  await writeFile(schemaPath, printed);
  process.stderr.write(`Wrote ${schemaPath} (${printed.split('\n').length - 1} lines).\n`);
}
