import { describe, expect, it } from 'vitest';
import { personioPlugin } from '../../plugins/personio/index.ts';
import { resolveBaseUrl } from '../../plugins/personio/settings.ts';

const parse = (variables: Record<string, string | undefined>) => personioPlugin.settingsSchema.safeParse(variables);

describe('settings schema', () => {
  it('applies defaults and ignores other variables', () => {
    const result = parse({ DATABASE_URL: 'postgres://x' });
    expect(result.success).toBe(true);
    expect(result.data).toEqual({ baseUrl: null, partnerId: 'HRIS_EXPORT', timeoutMs: 10_000, maxRetries: 3 });
  });

  it('reads every variable', () => {
    const result = parse({
      PERSONIO_BASE_URL: 'http://127.0.0.1:9999',
      PERSONIO_PARTNER_ID: 'ACME_ATS',
      PERSONIO_TIMEOUT_MS: '2500',
      PERSONIO_MAX_RETRIES: '0',
    });
    expect(result.data).toEqual({ baseUrl: 'http://127.0.0.1:9999', partnerId: 'ACME_ATS', timeoutMs: 2500, maxRetries: 0 });
  });

  it.each([
    ['PERSONIO_BASE_URL', 'not a url'],
    ['PERSONIO_BASE_URL', 'ftp://example.com'],
    ['PERSONIO_PARTNER_ID', 'acme-ats'],
    ['PERSONIO_TIMEOUT_MS', 'ten'],
    ['PERSONIO_TIMEOUT_MS', '5'],
    ['PERSONIO_MAX_RETRIES', '11'],
  ])('rejects %s=%j', (name, value) => {
    const result = parse({ [name]: value });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual([name]);
  });
});

describe('resolveBaseUrl', () => {
  const defaults = { baseUrl: null, partnerId: 'HRIS_EXPORT', timeoutMs: 10_000, maxRetries: 3 };

  it('uses production Personio only in production', () => {
    expect(resolveBaseUrl(defaults, 'production')).toBe('https://api.personio.de');
    expect(resolveBaseUrl(defaults, 'development')).toBe('http://127.0.0.1:4010');
    expect(resolveBaseUrl(defaults, 'test')).toBe('http://127.0.0.1:4010');
  });

  it('prefers the configured URL and strips a trailing /v1', () => {
    expect(resolveBaseUrl({ ...defaults, baseUrl: 'https://api.personio.de/v1/' }, 'development')).toBe('https://api.personio.de');
    expect(resolveBaseUrl({ ...defaults, baseUrl: 'http://127.0.0.1:5000' }, 'production')).toBe('http://127.0.0.1:5000');
  });
});
