import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { createApp } from './app.ts';
import { createTokenVerifier } from './auth/jwt.ts';
import type { Config } from './config.ts';
import { openDatabase, type Database } from './db/database.ts';
import { seedDemo } from './db/seed.ts';
import { loadDevelopmentSecrets } from './dev-secrets.ts';
import { createConnectionService } from './hris/connections.ts';
import { createCredentialCipher, parseEncryptionKey } from './hris/crypto.ts';
import type { HrisPluginDefinition } from './hris/plugin.ts';
import { createRegistry } from './hris/registry.ts';
import { createBatchRunner } from './hris/exports/batches.ts';
import { createBulkExportStarter } from './hris/exports/bulk.ts';
import { createExportService } from './hris/exports/service.ts';
import { decodeId } from './graphql/ids.ts';
import { buildSchema } from './graphql/schema.ts';
import type { Services } from './services.ts';

export interface ServiceOptions {
  config: Config;
  logger: Logger;
  plugins: readonly HrisPluginDefinition<never, never>[];
  /** An already open database (tests); otherwise one is opened from the config. */
  database?: Database;
}

export interface RunningService {
  services: Services;
  database: Database;
  app: ReturnType<typeof createApp>;
  jwtSecret: string | undefined;
  close(): Promise<void>;
}

/** Builds every long-lived service: database, secrets, plugin registry, GraphQL app. */
export async function createService(options: ServiceOptions): Promise<RunningService> {
  const { config, logger } = options;
  const production = config.NODE_ENV === 'production';
  const generated = production ? null : await loadDevelopmentSecrets(config.DATA_DIR);
  const jwtSecret = config.JWT_SECRET ?? (config.JWT_JWKS_URL ? undefined : generated?.jwtSecret);
  const encryptionKeyText = config.ENCRYPTION_KEY ?? generated?.encryptionKey;
  if (!encryptionKeyText) throw new Error('ENCRYPTION_KEY is required');

  const cipher = createCredentialCipher(
    parseEncryptionKey(encryptionKeyText),
    (config.ENCRYPTION_PREVIOUS_KEYS ?? '')
      .split(',')
      .map((key) => key.trim())
      .filter(Boolean)
      .map((key) => parseEncryptionKey(key, 'ENCRYPTION_PREVIOUS_KEYS')),
  );

  const registry = createRegistry(options.plugins, config.pluginSettings, {
    environment: config.NODE_ENV,
    logger,
  });

  const database =
    options.database ?? (await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, logger }));
  const prisma = database.prisma;

  if (database.kind === 'embedded' && config.SEED_DEMO_DATA) {
    const result = await seedDemo(prisma, { log: (message, fields) => logger.info(fields ?? {}, message) });
    if (result.created) logger.info({ organizations: result.organizations.map((org) => org.slug) }, 'Demo data seeded');
  }

  const connections = createConnectionService({ prisma, registry, cipher, logger });
  const exports = createExportService({ prisma, registry, connections, logger, leaseMs: config.EXPORT_LEASE_SECONDS * 1000 });
  const staleAfterMs = config.BATCH_STALE_AFTER_SECONDS * 1000;
  const batches = createBatchRunner({ prisma, exports, registry, connections, logger, staleAfterMs });
  const startBulkExport = createBulkExportStarter({
    prisma,
    connections,
    batches,
    maxCandidates: config.MAX_BULK_EXPORT_CANDIDATES,
    decodeId,
  });
  const services: Services = { config, prisma, logger, registry, connections, exports, batches, startBulkExport };
  const resumed = await batches.resumeInterrupted();
  if (resumed > 0) logger.info({ batches: resumed }, 'Interrupted bulk exports resumed');
  // A batch whose process died less than staleAfterMs before this start still has a recent
  // heartbeat, so the check above skips it; checking once more after that time resumes it.
  const recheck = setTimeout(() => {
    batches
      .resumeInterrupted()
      .then((count) => {
        if (count > 0) logger.info({ batches: count }, 'Interrupted bulk exports resumed');
      })
      .catch((error: unknown) => logger.error({ err: error }, 'Resuming interrupted bulk exports failed'));
  }, staleAfterMs + 1000);
  recheck.unref();
  const app = createApp({
    schema: buildSchema(registry),
    services,
    verifyToken: createTokenVerifier({
      secret: jwtSecret,
      jwksUrl: config.JWT_JWKS_URL,
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
    }),
    checkDatabase: async () => {
      await prisma.$queryRaw`SELECT 1`;
    },
  });

  return {
    services,
    database,
    app,
    jwtSecret,
    async close() {
      clearTimeout(recheck);
      await batches.drain();
      if (!options.database) await database.close();
    },
  };
}

/** Listens on HOST:PORT; resolves with the server and its base URL. */
export async function listen(service: Pick<RunningService, 'app'>, host: string, port: number): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    // Without Content-Length the body size is unknown until it is read; the app checks the
    // declared length against MAX_REQUEST_BODY_BYTES.
    if (request.method === 'POST' && request.headers['content-length'] === undefined) {
      response.writeHead(411, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ errors: [{ message: 'POST requests must send a Content-Length header.', extensions: { code: 'LENGTH_REQUIRED' } }] }));
      request.resume();
      return;
    }
    void service.app(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { server, url: `http://${shownHost === '127.0.0.1' ? 'localhost' : shownHost}:${address.port}` };
}
