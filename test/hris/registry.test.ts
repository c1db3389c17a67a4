import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { installedPlugins } from '../../plugins/index.ts';
import { createLogger } from '../../src/logger.ts';
import { createRegistry, describeCredentialFields, PluginRegistrationError } from '../../src/hris/registry.ts';
import type { HrisPluginDefinition } from '../../src/hris/index.ts';
import { createFakePlugin, createFakeState } from '../fixtures/fake-hris.ts';

const runtime = { environment: 'test' as const, logger: createLogger('silent') };

function register(definitions: HrisPluginDefinition<never, never>[]) {
  return createRegistry(definitions, {}, runtime);
}

const fake = () => createFakePlugin(createFakeState()) as unknown as HrisPluginDefinition<never, never>;

function withManifest(patch: Record<string, unknown>): HrisPluginDefinition<never, never> {
  const plugin = fake();
  return { ...plugin, manifest: { ...plugin.manifest, ...patch } } as HrisPluginDefinition<never, never>;
}

describe('plugin registry', () => {
  it('registers every installed plugin with a valid manifest', () => {
    const registry = createRegistry(installedPlugins, {}, runtime);
    for (const plugin of registry.list()) {
      expect(plugin.manifest.key).toMatch(/^[a-z][a-z0-9-]+$/);
      expect(plugin.credentialFields.length).toBeGreaterThan(0);
      expect(plugin.credentialFields.every((field) => field.label && field.description)).toBe(true);
    }
    expect(registry.get('personio')?.manifest.displayName).toBe('Personio');
  });

  it('names the provider once per log line', () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    createRegistry(installedPlugins, {}, { environment: 'test', logger });

    const created = lines.find((line) => line.includes('Personio provider created'));
    expect(created).toBeDefined();
    expect(created?.match(/"provider":/g)).toHaveLength(1);
  });

  it('rejects two plugins with one key', () => {
    expect(() => register([fake(), fake()])).toThrow(/Two plugins use the key "fake-hr"/);
  });

  it.each([
    ['an upper-case key', { key: 'Fake' }, /key/],
    ['an unknown capability', { capabilities: ['teleport'] }, /capabilities/],
    ['a repeated capability', { capabilities: ['documents', 'documents'] }, /capabilities/],
    ['a relative documentation link', { documentationUrl: '/docs' }, /documentationUrl/],
    ['zero concurrency', { maxConcurrentExports: 0 }, /maxConcurrentExports/],
  ])('rejects a manifest with %s', (_name, patch, message) => {
    expect(() => register([withManifest(patch)])).toThrow(PluginRegistrationError);
    expect(() => register([withManifest(patch)])).toThrow(message);
  });

  it('rejects a credential field without label and description', () => {
    const credentials = z.object({ token: z.string() });
    expect(() => register([withManifest({ credentials })])).toThrow(/credential field "token" needs \.meta/);
  });

  it('derives form fields from the credential schema', () => {
    const fields = describeCredentialFields(fake().manifest);
    expect(fields).toEqual([
      { key: 'apiKey', label: 'API key', description: 'The API key from the fake HRIS settings page.', secret: true, required: true },
      { key: 'workspace', label: 'Workspace', description: 'Workspace name of the account.', example: 'northwind', secret: false, required: true },
    ]);
  });

  it('answers capability questions without naming providers in core', () => {
    const registry = register([fake()]);
    expect(registry.supports('fake-hr', 'documents')).toBe(true);
    expect(registry.supports('fake-hr', 'updateEmployee')).toBe(false);
    expect(registry.supports('unknown', 'documents')).toBe(false);
    expect(registry.get('unknown')).toBeNull();
  });
});
