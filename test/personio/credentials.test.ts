import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { appIdHeaderValue, parsePersonioSubdomain, personioCredentialsSchema } from '../../plugins/personio/credentials.ts';
import { personioPlugin } from '../../plugins/personio/index.ts';

describe('parsePersonioSubdomain', () => {
  it.each([
    ['acme-gmbh', 'acme-gmbh'],
    ['  ACME-GmbH ', 'acme-gmbh'],
    ['acme2', 'acme2'],
    ['acme-gmbh.personio.de', 'acme-gmbh'],
    ['https://acme-gmbh.personio.com', 'acme-gmbh'],
    ['https://acme-gmbh.personio.de/', 'acme-gmbh'],
    ['https://acme-gmbh.personio.com/staff/details/42?tab=docs', 'acme-gmbh'],
    ['http://acme-gmbh.personio.de/login', 'acme-gmbh'],
    ['HTTPS://ACME-GMBH.PERSONIO.COM', 'acme-gmbh'],
  ])('accepts %j', (input, expected) => {
    expect(parsePersonioSubdomain(input)).toBe(expected);
  });

  it.each([
    [''],
    ['   '],
    ['acme_gmbh'],
    ['-acme'],
    ['acme-'],
    ['acme gmbh'],
    ['https://acme-gmbh.example.com'],
    ['https://personio.de'],
    ['https://api.personio.de'],
    ['www.personio.com'],
    ['ftp://acme.personio.de'],
    ['https://a.b.personio.de'],
    ['x'.repeat(64)],
  ])('rejects %j', (input) => {
    expect(parsePersonioSubdomain(input)).toBeNull();
  });
});

describe('appIdHeaderValue', () => {
  it('converts the subdomain to UPPER_SNAKE_CASE', () => {
    expect(appIdHeaderValue('acme-gmbh')).toBe('ACME_GMBH');
    expect(appIdHeaderValue('acme')).toBe('ACME');
  });
});

describe('credentials schema', () => {
  it('normalises the app id and trims the other fields', () => {
    const parsed = personioCredentialsSchema.parse({
      clientId: ' papi-client ',
      clientSecret: 'secret\n',
      appId: 'https://acme-gmbh.personio.com/staff',
    });
    expect(parsed).toEqual({ clientId: 'papi-client', clientSecret: 'secret', appId: 'acme-gmbh' });
  });

  it('names the field and the fix for a malformed app id', () => {
    const result = personioCredentialsSchema.safeParse({ clientId: 'a', clientSecret: 'b', appId: 'https://acme.example.com' });
    expect(result.success).toBe(false);
    const issue = result.error?.issues[0];
    expect(issue?.path).toEqual(['appId']);
    expect(issue?.message).toContain('appId');
    expect(issue?.message).toContain('acme-gmbh');
  });

  it('hides an app id URL with a password', () => {
    const result = personioCredentialsSchema.safeParse({ clientId: 'a', clientSecret: 'b', appId: 'https://admin:s3cret-pw@acme-gmbh.personio.com' });
    expect(result.success).toBe(false);
    const message = result.error?.issues[0]?.message ?? '';
    expect(message).toContain('appId');
    expect(message).not.toContain('s3cret-pw');
  });

  it('reports empty client id and secret', () => {
    const result = personioCredentialsSchema.safeParse({ clientId: ' ', clientSecret: '', appId: 'acme' });
    expect(result.error?.issues.map((issue) => issue.path[0])).toEqual(['clientId', 'clientSecret']);
  });

  it('carries form metadata on every field', () => {
    const shape = personioPlugin.manifest.credentials as unknown as z.ZodObject;
    for (const key of ['clientId', 'clientSecret', 'appId']) {
      const meta = shape.shape[key]?.meta();
      expect(meta?.label, key).toBeTypeOf('string');
      expect(meta?.description, key).toBeTypeOf('string');
    }
    expect(shape.shape.clientSecret?.meta()?.secret).toBe(true);
    expect(shape.shape.clientId?.meta()?.secret).toBeUndefined();
    expect(String(shape.shape.appId?.meta()?.description)).toContain('UPPER_SNAKE_CASE');
  });
});

describe('manifest', () => {
  it('declares key, capabilities and concurrency', () => {
    const { manifest } = personioPlugin;
    expect(manifest.key).toBe('personio');
    expect(manifest.displayName).toBe('Personio');
    expect(manifest.documentationUrl).toMatch(/^https:\/\/developer\.personio\.de\//);
    expect([...manifest.capabilities].sort()).toEqual(['customAttributes', 'documents', 'updateEmployee']);
    expect(manifest.maxConcurrentExports).toBeGreaterThan(0);
  });
});
