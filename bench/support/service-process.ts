import { installedPlugins } from '../../plugins/index.ts';
import { loadConfig } from '../../src/config.ts';
import { seedDemo } from '../../src/db/seed.ts';
import { openDatabase } from '../../src/db/database.ts';
import { createService, listen, type RunningService } from '../../src/server.ts';
import { createHires, createPipelineDataSet, type CreatedHire, type PipelineDataSet } from './data.ts';
import { serveParent, type ChildServer } from './ipc-child.ts';
import { BENCH_ENCRYPTION_KEY, BENCH_JWT_SECRET, createDiscardingLogger, UNREACHABLE_PERSONIO_URL } from './service.ts';

/**
 * Child-process entry that runs the service as `npm start` does (createService, then listen on
 * 127.0.0.1), in production mode, with benchmark data added before it listens. It responds
 * to memory, CPU time and SQL statement count queries over IPC and stops when the parent disconnects
 * (support/service-client.ts). Run with --expose-gc so memory samples can follow a full collection.
 */

export interface ServiceProcessOptions {
  database: { kind: 'embedded'; dataDir: string } | { kind: 'postgresql'; url: string };
  /** Personio API base URL; must be on loopback. Default: a closed port, so any call fails at once. */
  personioBaseUrl?: string;
  /** Adds the jobs with 10, 50 and 200 applicants of support/data.ts. */
  pipelineData?: boolean;
  /** Adds this many hired candidates with a CV each. */
  hires?: number;
}

export interface ServiceProcessReady {
  url: string;
  pipeline: PipelineDataSet | null;
  hires: CreatedHire[];
}

export type ServiceProcessQuery = { kind: 'memory'; collectGarbage: boolean } | { kind: 'cpuUsage' } | { kind: 'statements' };

function assertLoopback(url: string): void {
  const host = new URL(url).hostname;
  if (host !== '127.0.0.1' && host !== '[::1]' && host !== 'localhost') {
    throw new Error(`The benchmark service may only call loopback, but the Personio URL is ${url}.`);
  }
}

await serveParent(async (options: ServiceProcessOptions): Promise<ChildServer<ServiceProcessReady>> => {
  const personioBaseUrl = options.personioBaseUrl ?? UNREACHABLE_PERSONIO_URL;
  assertLoopback(personioBaseUrl);
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    JWT_SECRET: BENCH_JWT_SECRET,
    ENCRYPTION_KEY: BENCH_ENCRYPTION_KEY,
    PERSONIO_BASE_URL: personioBaseUrl,
    ...(options.database.kind === 'embedded' ? { DATA_DIR: options.database.dataDir } : { DATABASE_URL: options.database.url }),
  };
  const config = loadConfig(
    env,
    installedPlugins.map((plugin) => ({ key: plugin.manifest.key, schema: plugin.settingsSchema })),
  );
  const logger = createDiscardingLogger();
  // Opened here rather than by createService, so every SQL statement the service sends is counted.
  let statements = 0;
  const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, logger, onStatement: () => statements++ });
  let service: RunningService;
  try {
    service = await createService({ config, logger, plugins: installedPlugins, database });
  } catch (error) {
    await database.close();
    throw error;
  }
  const prisma = service.services.prisma;
  await seedDemo(prisma);
  const pipeline = options.pipelineData ? await createPipelineDataSet(prisma) : null;
  const hires = options.hires ? await createHires(prisma, { count: options.hires, prefix: 'load', withCv: true }) : [];
  const { server } = await listen(service, config.HOST, config.PORT);
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('The service did not report a TCP address.');

  return {
    ready: { url: `http://127.0.0.1:${address.port}/graphql`, pipeline, hires },
    handle(query: ServiceProcessQuery) {
      if (query.kind === 'cpuUsage') return process.cpuUsage();
      if (query.kind === 'statements') return statements;
      if (query.collectGarbage) {
        if (!globalThis.gc) throw new Error('Start the service process with --expose-gc to collect garbage before a memory sample.');
        globalThis.gc();
      }
      return process.memoryUsage();
    },
    async stop() {
      server.close();
      server.closeAllConnections();
      await service.close();
      await database.close();
    },
  };
});
