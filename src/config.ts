import { z } from 'zod';

/**
 * The only reader of `process.env`. Parses every variable once at start and reports all
 * problems together; the rest of the code receives the typed result.
 */

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const ENCRYPTION_KEY_HINT = 'must be 32 random bytes in base64 (44 characters); generate one with `openssl rand -base64 32`';

/** True for the base64 text of exactly 32 bytes, the AES-256 key size. */
function isEncryptionKey(text: string): boolean {
  return /^[A-Za-z0-9+/_-]{43}=?$/.test(text) && Buffer.from(text, 'base64').length === 32;
}

const coreSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
  ),
  DATA_DIR: z.string().trim().min(1).default('.data'),
  SEED_DEMO_DATA: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .default('true')
    .transform((value) => value === 'true'),
  JWT_SECRET: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  JWT_JWKS_URL: optionalString.pipe(z.url({ message: 'must be an absolute URL' }).optional()),
  JWT_ISSUER: optionalString,
  JWT_AUDIENCE: optionalString,
  ENCRYPTION_KEY: optionalString.pipe(z.string().refine(isEncryptionKey, ENCRYPTION_KEY_HINT).optional()),
  ENCRYPTION_PREVIOUS_KEYS: optionalString.pipe(
    z
      .string()
      .superRefine((list, context) => {
        for (const [index, key] of list.split(',').entries()) {
          if (key.trim() !== '' && !isEncryptionKey(key.trim())) {
            context.addIssue({ code: 'custom', message: `entry ${index + 1} ${ENCRYPTION_KEY_HINT}` });
          }
        }
      })
      .optional(),
  ),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  MAX_BULK_EXPORT_CANDIDATES: z.coerce.number().int().min(1).max(10_000).default(500),
  MAX_REQUEST_BODY_BYTES: z.coerce.number().int().min(1024).default(1_000_000),
  // Seconds a claimed export stays reserved for one attempt; afterwards another attempt may
  // take it over, so it must exceed the longest export, HRIS time-outs and retries included.
  EXPORT_LEASE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  // Seconds without a heartbeat after which a RUNNING bulk export counts as interrupted and
  // is resumed at start, or by the check that runs this long after start.
  BATCH_STALE_AFTER_SECONDS: z.coerce.number().int().min(4).max(86_400).default(60),
});

export type CoreConfig = z.infer<typeof coreSchema>;

export interface Config extends CoreConfig {
  logLevel: NonNullable<CoreConfig['LOG_LEVEL']>;
  /** Parsed settings of each installed HRIS plugin, by plugin key. */
  pluginSettings: Record<string, unknown>;
}

/** A plugin's settings schema, keyed by the plugin's manifest key. */
export interface PluginSettingsSchema {
  key: string;
  schema: z.ZodType;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    const variable = issue.path.join('.') || '(environment)';
    return `${variable}: ${issue.message}`;
  });
}

/** Parses the environment; throws a ConfigError listing every invalid variable. */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  plugins: readonly PluginSettingsSchema[] = [],
): Config {
  // A variable set to an empty or blank value counts as unset, so `PORT=` means the default
  // port rather than 0 (any free port).
  const variables = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));

  const problems: string[] = [];
  const core = coreSchema.safeParse(variables);
  if (!core.success) problems.push(...describeIssues(core.error.issues));

  const pluginSettings: Record<string, unknown> = {};
  for (const plugin of plugins) {
    const parsed = plugin.schema.safeParse(variables);
    if (parsed.success) pluginSettings[plugin.key] = parsed.data;
    else problems.push(...describeIssues(parsed.error.issues));
  }

  // Checked on the raw variables, so the problems are reported even when another variable
  // is invalid. A variable that is set but invalid is reported by the schema above instead.
  if (variables['NODE_ENV'] === 'production') {
    if (!variables['JWT_SECRET'] && !variables['JWT_JWKS_URL']) {
      problems.push('JWT_SECRET: required in production (or set JWT_JWKS_URL to verify RS256 tokens)');
    }
    if (!variables['ENCRYPTION_KEY']) {
      problems.push('ENCRYPTION_KEY: required in production (32 random bytes, base64; generate one with `openssl rand -base64 32`)');
    }
  }

  if (problems.length > 0 || !core.success) throw new ConfigError(problems);

  const defaultLevel = core.data.NODE_ENV === 'test' ? 'silent' : 'info';
  return { ...core.data, logLevel: core.data.LOG_LEVEL ?? defaultLevel, pluginSettings };
}
