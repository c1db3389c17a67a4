import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { installedPlugins } from '../../plugins/index.ts';
import { loadConfig } from '../../src/config.ts';

// The README's configuration table and commands must match the code: every variable that a
// config schema reads has a row, every row names a variable that exists, and every
// `npm run X` in the README is a script of package.json.

const readRepositoryFile = (name: string) => readFile(new URL(`../../${name}`, import.meta.url), 'utf8');

/**
 * Variables of the core schema in src/config.ts, read from its source: the schema object is
 * not exported, and its keys are the variable names.
 */
async function coreVariables(): Promise<string[]> {
  const source = await readRepositoryFile('src/config.ts');
  const start = source.indexOf('const coreSchema = z.object({');
  const end = source.indexOf('\n});', start);
  expect(start, 'src/config.ts no longer declares `const coreSchema = z.object({`; update this test').toBeGreaterThan(-1);
  return [...source.slice(start, end).matchAll(/^ {2}([A-Z][A-Z0-9_]*):/gm)].map((match) => match[1] ?? '');
}

/** Keys of the object schema inside a plugin's settings schema, which may be wrapped in a transform. */
function schemaKeys(schema: z.ZodType): string[] {
  const definition = (schema as unknown as { _zod: { def: { shape?: Record<string, unknown>; in?: z.ZodType } } })._zod.def;
  if (definition.shape) return Object.keys(definition.shape);
  if (definition.in) return schemaKeys(definition.in);
  throw new Error('A plugin settings schema is neither an object schema nor a transform of one.');
}

/** Variable names in the first column of the table under "## Configuration". */
function documentedVariables(readme: string): string[] {
  const section = readme.split(/^## /m).find((part) => part.startsWith('Configuration')) ?? '';
  return [...section.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \|/gm)].map((match) => match[1] ?? '');
}

/** Script names that the README runs with `npm run`, `npm start` or `npm test`. */
function commandsIn(readme: string): string[] {
  const scripts = [...readme.matchAll(/npm run (?:-s )?([a-z][\w:-]*)/g)].map((match) => match[1] ?? '');
  const shortcuts = [...readme.matchAll(/npm (start|test)\b/g)].map((match) => match[1] ?? '');
  return [...new Set([...scripts, ...shortcuts])];
}

function missingFrom(documented: readonly string[], expected: readonly string[]): string[] {
  return expected.filter((name) => !documented.includes(name));
}

describe('README', () => {
  it('core variable list is complete', async () => {
    const variables = await coreVariables();
    // Variables with a default appear in the parsed config even when unset.
    const withDefaults = Object.keys(loadConfig({})).filter((key) => /^[A-Z][A-Z0-9_]*$/.test(key));

    expect(variables).toContain('DATABASE_URL');
    expect(missingFrom(variables, withDefaults)).toEqual([]);
  });

  it('documents every configuration variable', async () => {
    const readme = await readRepositoryFile('README.md');
    const variables = [...(await coreVariables()), ...installedPlugins.flatMap((plugin) => schemaKeys(plugin.settingsSchema))];
    const documented = documentedVariables(readme);

    expect(variables).toContain('PERSONIO_BASE_URL');
    expect(missingFrom(documented, variables), 'variables without a row in the README configuration table').toEqual([]);
    expect(missingFrom(variables, documented), 'README rows for variables that no config schema reads').toEqual([]);
  });

  it('runs only scripts that package.json defines', async () => {
    const readme = await readRepositoryFile('README.md');
    const scripts = Object.keys((JSON.parse(await readRepositoryFile('package.json')) as { scripts: Record<string, string> }).scripts);
    const commands = commandsIn(readme);

    expect(commands).toContain('demo');
    expect(missingFrom(scripts, commands), 'npm commands in the README without a script in package.json').toEqual([]);
  });

  it('checks catch a missing row and an unknown script', async () => {
    const readme = await readRepositoryFile('README.md');
    const withoutPort = readme.replace(/^\| `PORT` \|.*\n/m, '');
    const withTypo = `${readme}\n\`npm run db:seeed\`\n`;

    expect(missingFrom(documentedVariables(withoutPort), ['PORT', 'HOST'])).toEqual(['PORT']);
    expect(commandsIn(withTypo)).toContain('db:seeed');
  });
});
