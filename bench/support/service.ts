import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { installedPlugins } from '../../plugins/index.ts';
import { signToken } from '../../src/auth/jwt.ts';
import { loadConfig } from '../../src/config.ts';
import { createPrismaClient, EMBEDDED_POOL_SIZE, type PrismaClient } from '../../src/db/client.ts';
import type { Database } from '../../src/db/database.ts';
import { seedDemo } from '../../src/db/seed.ts';
import { redactedPaths } from '../../src/logger.ts';
import { createService, type RunningService } from '../../src/server.ts';
import type { HrisPluginDefinition } from '../../src/hris/plugin.ts';
import type { Services } from '../../src/services.ts';
import type { BenchDatabase } from './database.ts';

/** HS256 secret of every benchmark service (48 characters). */
export const BENCH_JWT_SECRET = 'bench-only-jwt-secret-for-hris-export-0123456789';
/** Credential encryption key of every benchmark service: 32 bytes in base64. */
export const BENCH_ENCRYPTION_KEY = 'AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=';
/**
 * Personio base URL of services that must not call Personio at all. Port 9 (discard) on
 * loopback refuses connections, so a stray call fails at once and never leaves the machine.
 */
export const UNREACHABLE_PERSONIO_URL = 'http://127.0.0.1:9';

export interface BenchServiceOptions {
  database: BenchDatabase;
  /** Receives the SQL text of every statement the service's Prisma client sends. */
  onStatement?: (sql: string) => void;
  /** Variables on top of the benchmark defaults, for example PERSONIO_BASE_URL. */
  env?: Record<string, string>;
  /** HRIS plugins; default: the installed ones. */
  plugins?: readonly HrisPluginDefinition<never, never>[];
}

export interface BenchService {
  running: RunningService;
  services: Services;
  prisma: PrismaClient;
  /** Signs a token for the user with this email (demo organization). */
  tokenFor(email: string): Promise<string>;
  /** Sends one GraphQL request through the app's fetch handler; throws on GraphQL errors. */
  graphql<T = any>(query: string, variables: object, token: string): Promise<T>;
  stop(): Promise<void>;
}

/**
 * Creates a logger that formats every line as in production (level info, redaction) and writes it to
 * /dev/null, so log formatting is part of the measured cost but the console stays readable.
 */
export function createDiscardingLogger(): pino.Logger {
  return pino(
    { level: 'info', base: { service: 'hris-export' }, redact: { paths: redactedPaths, censor: '[redacted]' } },
    pino.destination({ dest: '/dev/null', sync: false }),
  );
}

/** Starts the service in-process on a benchmark database, seeded with the demo data. */
export async function startBenchService(options: BenchServiceOptions): Promise<BenchService> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'hris-bench-data-'));
  const plugins = options.plugins ?? installedPlugins;
  const config = loadConfig(
    {
      NODE_ENV: 'test',
      JWT_SECRET: BENCH_JWT_SECRET,
      ENCRYPTION_KEY: BENCH_ENCRYPTION_KEY,
      DATA_DIR: dataDir,
      SEED_DEMO_DATA: 'false',
      PERSONIO_BASE_URL: UNREACHABLE_PERSONIO_URL,
      ...options.env,
    },
    plugins.map((plugin) => ({ key: plugin.manifest.key, schema: plugin.settingsSchema })),
  );
  const prisma = createPrismaClient(options.database.url, {
    ...(options.onStatement ? { onStatement: options.onStatement } : {}),
    ...(options.database.kind === 'embedded' ? { maxConnections: EMBEDDED_POOL_SIZE } : {}),
  });
  const database: Database = {
    kind: options.database.kind,
    url: options.database.url,
    prisma,
    close: () => prisma.$disconnect(),
  };

  let running: RunningService;
  try {
    await seedDemo(prisma);
    running = await createService({ config, logger: createDiscardingLogger(), plugins, database });
  } catch (error) {
    await prisma.$disconnect();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }

  async function tokenFor(email: string): Promise<string> {
    const user = await prisma.user.findFirst({ where: { email }, select: { id: true, organizationId: true } });
    if (!user) throw new Error(`No user with email ${email} exists in the benchmark database.`);
    return signToken({ userId: user.id, organizationId: user.organizationId }, BENCH_JWT_SECRET);
  }

  async function graphql<T = any>(query: string, variables: object, token: string): Promise<T> {
    const response = await running.app.fetch('http://bench/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    let body: { data?: T; errors?: unknown[] };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new Error(`POST /graphql returned HTTP ${response.status} with a body that is not JSON: ${text.slice(0, 300)}`);
    }
    if (body.errors || !body.data) throw new Error(`POST /graphql returned errors: ${JSON.stringify(body.errors).slice(0, 1000)}`);
    return body.data;
  }

  return {
    running,
    services: running.services,
    prisma,
    tokenFor,
    graphql,
    async stop() {
      await running.close();
      await prisma.$disconnect();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
