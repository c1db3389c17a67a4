import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createHrisExportClient, graphQLErrorCodes } from 'hris-export';
import * as clientEntry from 'hris-export/client';
import * as clientSource from '../../src/client/index.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('package exports', () => {
  it('resolve the package name to the client', () => {
    expect(createHrisExportClient).toBe(clientSource.createHrisExportClient);
    expect(graphQLErrorCodes).toBe(clientSource.graphQLErrorCodes);
    expect(clientEntry.createHrisExportClient).toBe(clientSource.createHrisExportClient);
  });

  it('resolve in Node through tsx', async () => {
    // Node's own resolver, not Vite's: a self-reference works only through `exports`.
    const script = [
      "const client = await import('hris-export');",
      "const sdk = client.createHrisExportClient({ url: 'http://127.0.0.1:9/graphql' });",
      'console.log(typeof sdk.Viewer, typeof sdk.ExportCandidateToHris);',
    ].join('\n');
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', script], { cwd: root });

    expect(stdout.trim()).toBe('function function');
  });
});
