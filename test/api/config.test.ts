import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { installedPlugins } from '../../plugins/index.ts';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { TEST_ENCRYPTION_KEY, TEST_JWT_SECRET } from '../helpers/service.ts';

const pluginSchemas = installedPlugins.map((plugin) => ({ key: plugin.manifest.key, schema: plugin.settingsSchema }));
const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Returns the problems loadConfig reports, or fails when it accepts the variables. */
function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env, pluginSchemas);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('applies defaults to an empty environment', () => {
    const config = loadConfig({}, pluginSchemas);
    expect(config).toMatchObject({
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: 4000,
      DATA_DIR: '.data',
      SEED_DEMO_DATA: true,
      MAX_REQUEST_BODY_BYTES: 1_000_000,
      logLevel: 'info',
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.pluginSettings['personio']).toEqual({ baseUrl: null, partnerId: 'HRIS_EXPORT', timeoutMs: 10_000, maxRetries: 3 });
  });

  it('test environment logs nothing by default', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).logLevel).toBe('silent');
  });

  it('empty values count as unset', () => {
    const config = loadConfig({ PORT: '', DATABASE_URL: '  ', PERSONIO_TIMEOUT_MS: '' }, pluginSchemas);
    expect(config.PORT).toBe(4000);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.pluginSettings['personio']).toMatchObject({ timeoutMs: 10_000 });
  });

  it('reports every invalid variable together', () => {
    const invalid = {
      NODE_ENV: 'staging',
      PORT: 'eighty',
      DATABASE_URL: 'mysql://root@localhost/db',
      SEED_DEMO_DATA: 'yes',
      JWT_SECRET: 'too-short',
      JWT_JWKS_URL: 'not a url',
      ENCRYPTION_KEY: 'not-base64-of-32-bytes',
      ENCRYPTION_PREVIOUS_KEYS: `${TEST_ENCRYPTION_KEY},short`,
      LOG_LEVEL: 'loud',
      MAX_REQUEST_BODY_BYTES: '10',
      PERSONIO_TIMEOUT_MS: '5',
      PERSONIO_PARTNER_ID: 'lower-case',
    };
    const problems = problemsOf(invalid);
    const variables = problems.map((problem) => problem.split(':')[0]);
    expect([...variables].sort()).toEqual(Object.keys(invalid).sort());
    expect(problems).toContain('DATABASE_URL: must be a postgres:// or postgresql:// URL');
    expect(problems).toContain('JWT_SECRET: must be at least 32 characters');
    expect(problems).toContain('ENCRYPTION_PREVIOUS_KEYS: entry 2 must be 32 random bytes in base64 (44 characters); generate one with `openssl rand -base64 32`');
  });

  it('production without secrets names JWT_SECRET and ENCRYPTION_KEY', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    expect(problems).toEqual([
      'JWT_SECRET: required in production (or set JWT_JWKS_URL to verify RS256 tokens)',
      'ENCRYPTION_KEY: required in production (32 random bytes, base64; generate one with `openssl rand -base64 32`)',
    ]);
  });

  it('production reports missing secrets alongside other problems', () => {
    const problems = problemsOf({ NODE_ENV: 'production', PORT: '-1' });
    expect(problems.map((problem) => problem.split(':')[0])).toEqual(['PORT', 'JWT_SECRET', 'ENCRYPTION_KEY']);
  });

  it('production accepts JWT_JWKS_URL instead of JWT_SECRET', () => {
    const config = loadConfig({ NODE_ENV: 'production', JWT_JWKS_URL: 'https://issuer.example/.well-known/jwks.json', ENCRYPTION_KEY: TEST_ENCRYPTION_KEY });
    expect(config.JWT_SECRET).toBeUndefined();
    expect(config.logLevel).toBe('info');
  });

  it('production with both secrets is valid', () => {
    const config = loadConfig({ NODE_ENV: 'production', JWT_SECRET: TEST_JWT_SECRET, ENCRYPTION_KEY: TEST_ENCRYPTION_KEY }, pluginSchemas);
    expect(config.NODE_ENV).toBe('production');
  });

  it('error message lists one problem per line', () => {
    expect(() => loadConfig({ PORT: '70000', LOG_LEVEL: 'loud' })).toThrow(/^Invalid configuration:\n {2}- PORT: .+\n {2}- LOG_LEVEL: .+$/);
  });
});

describe('server start with invalid configuration', () => {
  it('exits with status 1 and prints every problem', async () => {
    const tsx = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));
    const result = await promisify(execFile)(process.execPath, [tsx, 'src/main.ts'], {
      cwd: repositoryRoot,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', PORT: 'eighty' },
      timeout: 20_000,
    }).then(
      () => null,
      (error: { code?: number; stderr?: string }) => error,
    );
    expect(result, 'the server started although the configuration is invalid').not.toBeNull();
    expect(result?.code).toBe(1);
    expect(result?.stderr).toContain('Invalid configuration:');
    expect(result?.stderr).toContain('  - PORT:');
    expect(result?.stderr).toContain('  - JWT_SECRET: required in production');
    expect(result?.stderr).toContain('  - ENCRYPTION_KEY: required in production');
  });
});
