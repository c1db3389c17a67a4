import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { installedPlugins } from '../../plugins/index.ts';
import { signToken } from '../../src/auth/jwt.ts';
import { loadConfig } from '../../src/config.ts';
import { createPrismaClient, EMBEDDED_POOL_SIZE, type PrismaClient } from '../../src/db/client.ts';
import type { Database } from '../../src/db/database.ts';
import { seedDemo } from '../../src/db/seed.ts';
import { SEED_ORGANIZATION_DEFINITIONS } from '../../src/db/seed-data.ts';
import type { Role } from '../../src/generated/prisma/client.ts';
import type { HrisPluginDefinition } from '../../src/hris/index.ts';
import { createLogger } from '../../src/logger.ts';
import { createService, type RunningService } from '../../src/server.ts';
import type { Services } from '../../src/services.ts';
import { createTestDatabase } from './database.ts';

/** HS256 secret of every test service (48 characters); tests sign tokens with it. */
export const TEST_JWT_SECRET = 'test-only-jwt-secret-for-hris-export-0123456789ab';
/** Credential encryption key of every test service: 32 bytes (0x01 to 0x20) in base64. */
export const TEST_ENCRYPTION_KEY = 'AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=';

export type SeedOrganization = 'demo' | 'globex';

/** Who a token is for: a user's email, or the first seeded user with a role (the demo organization unless `org` names another). */
export type TokenSubject = string | { role: Role; org?: SeedOrganization };

export interface GraphQLResponse<T> {
  status: number;
  body: { data?: T; errors?: any[] };
}

export interface TestServiceOptions {
  /** Defaults to the installed plugins (plugins/index.ts). */
  plugins?: readonly HrisPluginDefinition<never, never>[];
  /** Variables passed to loadConfig on top of the test defaults, for example PERSONIO_BASE_URL. */
  env?: Record<string, string>;
  /** Runs seedDemo before the service starts; default true. */
  seed?: boolean;
  /** Receives the SQL text of every statement the service's Prisma client sends. */
  onStatement?: (sql: string) => void;
}

export interface TestService {
  app: RunningService['app'];
  services: Services;
  prisma: PrismaClient;
  /** Connection URL of the test file's own database. */
  url: string;
  /** Signs a token for a user that exists in the database (seeded or created by the test). */
  tokenFor(who: TokenSubject): Promise<string>;
  /** Sends one GraphQL request through the app's fetch handler, as an HTTP client would. */
  graphql<T = any>(query: string, variables?: object, token?: string): Promise<GraphQLResponse<T>>;
  stop(): Promise<void>;
}

function seededEmailFor(role: Role, org: SeedOrganization): string {
  const definition = SEED_ORGANIZATION_DEFINITIONS.find((candidate) => candidate.slug === org);
  const user = definition?.users.find((candidate) => candidate.role === role);
  if (!user) throw new Error(`The seed of organization "${org}" has no user with role ${role}.`);
  return user.email;
}

/**
 * Starts the service in-process on a database of its own: the test file's copy of the
 * migrated template, seeded with the demo data unless `seed` is false. Nothing listens on
 * a port; requests go through `app.fetch`. Call `stop()` in afterAll.
 */
export async function startTestService(options: TestServiceOptions = {}): Promise<TestService> {
  const plugins = options.plugins ?? installedPlugins;
  // createService keeps development secrets in DATA_DIR; each service gets an empty folder.
  const dataDir = await mkdtemp(path.join(tmpdir(), 'hris-test-data-'));
  const config = loadConfig(
    {
      NODE_ENV: 'test',
      JWT_SECRET: TEST_JWT_SECRET,
      ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      DATA_DIR: dataDir,
      // The harness seeds below, so that `seed: false` gives an empty database in both modes.
      SEED_DEMO_DATA: 'false',
      ...options.env,
    },
    plugins.map((plugin) => ({ key: plugin.manifest.key, schema: plugin.settingsSchema })),
  );

  const testDatabase = await createTestDatabase();
  const prisma = createPrismaClient(testDatabase.url, {
    ...(options.onStatement ? { onStatement: options.onStatement } : {}),
    ...(testDatabase.kind === 'embedded' ? { maxConnections: EMBEDDED_POOL_SIZE } : {}),
  });
  const database: Database = {
    kind: testDatabase.kind,
    url: testDatabase.url,
    prisma,
    async close() {
      await prisma.$disconnect();
      await testDatabase.close();
    },
  };

  let running: RunningService;
  try {
    if (options.seed ?? true) await seedDemo(prisma);
    running = await createService({ config, logger: createLogger(config.logLevel), plugins, database });
  } catch (error) {
    await database.close();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }

  async function tokenFor(who: TokenSubject): Promise<string> {
    const email = typeof who === 'string' ? who : seededEmailFor(who.role, who.org ?? 'demo');
    const users = await prisma.user.findMany({
      where: { email: { equals: email, mode: 'insensitive' } },
      select: { id: true, organizationId: true },
    });
    const user = users[0];
    if (!user) throw new Error(`No user with email ${email} exists; was the test service started with seed: false?`);
    if (users.length > 1) throw new Error(`${users.length} users have the email ${email}; create users with distinct emails.`);
    if (!running.jwtSecret) throw new Error('The test service verifies tokens through JWT_JWKS_URL, so tokenFor cannot sign them.');
    return signToken({ userId: user.id, organizationId: user.organizationId }, running.jwtSecret);
  }

  async function graphql<T = any>(query: string, variables?: object, token?: string): Promise<GraphQLResponse<T>> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
    };
    if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
    const response = await running.app.fetch('http://test/graphql', {
      method: 'POST',
      headers,
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    try {
      return { status: response.status, body: JSON.parse(text) as GraphQLResponse<T>['body'] };
    } catch {
      throw new Error(`POST /graphql returned HTTP ${response.status} with a body that is not JSON: ${text.slice(0, 500)}`);
    }
  }

  return {
    app: running.app,
    services: running.services,
    prisma,
    url: testDatabase.url,
    tokenFor,
    graphql,
    async stop() {
      await running.close();
      await database.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
