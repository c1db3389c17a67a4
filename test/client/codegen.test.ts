import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import codegenConfig, { GENERATED_CLIENT_PATH } from '../../codegen.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('generated client', () => {
  it('matches schema.graphql and the operations', async () => {
    const outputs = await generate({ ...codegenConfig, cwd: root, silent: true }, false);
    const generated = outputs.find((output: { filename: string }) => output.filename.endsWith(GENERATED_CLIENT_PATH));
    const committed = await readFile(new URL(`../../${GENERATED_CLIENT_PATH}`, import.meta.url), 'utf8');

    expect(generated, 'codegen produced no client').toBeDefined();
    expect(generated?.content === committed, `${GENERATED_CLIENT_PATH} is stale: run \`npm run codegen\` and commit the result.`).toBe(true);
  });
});
