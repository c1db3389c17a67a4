import { z } from 'zod';
import type {
  CredentialFieldMeta,
  HrisCapability,
  HrisManifest,
  HrisPluginDefinition,
  HrisPluginRuntime,
  HrisProvider,
} from './plugin.ts';

const capabilities = ['documents', 'updateEmployee', 'customAttributes'] as const satisfies readonly HrisCapability[];

const manifestSchema = z.object({
  key: z.string().regex(/^[a-z][a-z0-9-]{1,39}$/, 'must be 2-40 lower-case letters, digits or hyphens, starting with a letter'),
  displayName: z.string().trim().min(1),
  documentationUrl: z.url(),
  capabilities: z.array(z.enum(capabilities)).refine((list) => new Set(list).size === list.length, 'must not repeat a capability'),
  maxConcurrentExports: z.number().int().min(1).max(64),
});

const fieldMetaSchema = z.object({
  label: z.string().min(1),
  description: z.string().min(1),
  secret: z.boolean().optional(),
  example: z.string().optional(),
});

/** A credential form field, derived from the manifest's zod schema. */
export interface CredentialField extends CredentialFieldMeta {
  key: string;
  required: boolean;
  secret: boolean;
}

export interface RegisteredPlugin {
  manifest: HrisManifest;
  provider: HrisProvider;
  credentialFields: CredentialField[];
}

export class PluginRegistrationError extends Error {
  override name = 'PluginRegistrationError';
}

/** Reads the fields of a credentials schema: a zod object whose fields carry CredentialFieldMeta. */
export function describeCredentialFields(manifest: HrisManifest): CredentialField[] {
  let schema: z.ZodType = manifest.credentials as z.ZodType;
  // A transform or refinement around the object (for example to normalise values) is unwrapped.
  while (schema instanceof z.ZodPipe) schema = schema.in as z.ZodType;
  if (!(schema instanceof z.ZodObject)) {
    throw new PluginRegistrationError(`Plugin "${manifest.key}": manifest.credentials must be a zod object schema.`);
  }
  return Object.entries(schema.shape as Record<string, z.ZodType>).map(([key, field]) => {
    const meta = fieldMetaSchema.safeParse(field.meta());
    if (!meta.success) {
      throw new PluginRegistrationError(
        `Plugin "${manifest.key}": credential field "${key}" needs .meta({ label, description }) (${meta.error.issues[0]?.message}).`,
      );
    }
    return { key, ...meta.data, secret: meta.data.secret ?? false, required: !field.safeParse(undefined).success };
  });
}

export interface HrisRegistry {
  list(): RegisteredPlugin[];
  /** The plugin with this key, or null when none is installed. */
  get(key: string): RegisteredPlugin | null;
  supports(key: string, capability: HrisCapability): boolean;
}

/**
 * Validates every plugin definition and creates its provider. Throws at start on a
 * duplicate key or a malformed manifest, so a broken plugin never serves a request.
 */
export function createRegistry(
  definitions: readonly HrisPluginDefinition<never, never>[],
  settingsByKey: Record<string, unknown>,
  runtime: HrisPluginRuntime,
): HrisRegistry {
  const plugins = new Map<string, RegisteredPlugin>();
  for (const definition of definitions as readonly HrisPluginDefinition[]) {
    const manifest = definition.manifest;
    const checked = manifestSchema.safeParse(manifest);
    if (!checked.success) {
      const problems = checked.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
      throw new PluginRegistrationError(`Plugin "${String(manifest?.key)}" has an invalid manifest: ${problems}`);
    }
    if (plugins.has(manifest.key)) {
      throw new PluginRegistrationError(`Two plugins use the key "${manifest.key}"; plugin keys must be unique.`);
    }
    const credentialFields = describeCredentialFields(manifest);
    const settings = settingsByKey[manifest.key] ?? definition.settingsSchema.parse({});
    const provider = definition.create(settings, { ...runtime, logger: runtime.logger.child({ provider: manifest.key }) });
    plugins.set(manifest.key, { manifest, provider, credentialFields });
  }

  return {
    list: () => [...plugins.values()],
    get: (key) => plugins.get(key) ?? null,
    supports: (key, capability) => plugins.get(key)?.manifest.capabilities.includes(capability) ?? false,
  };
}
