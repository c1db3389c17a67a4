import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { installedPlugins } from '../../plugins/index.ts';
import { buildSchema, printSortedSchema } from '../../src/graphql/schema.ts';
import { createRegistry } from '../../src/hris/registry.ts';
import { createLogger } from '../../src/logger.ts';

describe('committed schema', () => {
  it('schema.graphql matches the built schema', async () => {
    // Built the same way as scripts/print-schema.ts: installed plugins, default settings.
    const registry = createRegistry(installedPlugins, {}, { environment: 'development', logger: createLogger('silent') });
    const printed = printSortedSchema(buildSchema(registry));
    const committed = await readFile(new URL('../../schema.graphql', import.meta.url), 'utf8');
    expect(committed, 'schema.graphql is out of date: run `npm run schema:print` and commit the result').toBe(printed);
  });
});
