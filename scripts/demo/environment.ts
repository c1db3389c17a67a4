import { createWriteStream, existsSync, type WriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { installedPlugins } from '../../plugins/index.ts';
import { startPersonioSandbox, CONTROL_PREFIX, type RunningSandbox } from '../../plugins/personio/sandbox/index.ts';
import type { PersonioSettings } from '../../plugins/personio/settings.ts';
import type { Config } from '../../src/config.ts';
import { redactedPaths } from '../../src/logger.ts';
import { createService, listen, type RunningService } from '../../src/server.ts';
import { print } from './output.ts';

/** A problem with the demo's surroundings that the user can fix, such as a busy port. */
export class EnvironmentError extends Error {}

export interface EnvironmentOptions {
  /** Configuration from the environment. A server that the demo starts gets a changed copy. */
  config: Config;
  /** Port of the GraphQL server. */
  serverPort: number;
  /** Base URL of the Personio sandbox, on a loopback address. */
  sandboxUrl: string;
  /** Data folder of a server the demo starts. Null creates a temporary one, removed after a successful run. */
  dataDir: string | null;
}

export interface DemoEnvironment {
  graphqlUrl: string;
  sandboxUrl: string;
  /** Configuration whose JWT secret the server verifies, for signing the demo's tokens. */
  tokenConfig: Config;
  startedServer: boolean;
  startedSandbox: boolean;
  /** Data folder and log file of the server the demo started, else null. */
  dataDir: string | null;
  logFile: string | null;
  /** Stops what the demo started. A temporary data folder is removed when `keepData` is false. */
  stop(options: { keepData: boolean }): Promise<void>;
}

const PROBE_TIMEOUT_MS = 3000;

type ProbeResult = 'free' | 'answers' | { unexpected: string };

/** Sends GET `url`. Returns 'free' when nothing listens on the port, else whether `accept` takes the response. */
async function probe(url: string, accept: (response: Response, body: unknown) => boolean): Promise<ProbeResult> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code;
    if (code === 'ECONNREFUSED') return 'free';
    return { unexpected: code ?? (error instanceof Error ? error.message : String(error)) };
  }
  const text = await response.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: `accept` decides on the status alone.
  }
  return accept(response, body) ? 'answers' : { unexpected: `HTTP ${response.status}` };
}

/** Returns a copy of `config` for a server that the demo starts. */
function demoServerConfig(config: Config, port: number, dataDir: string, sandboxUrl: string): Config {
  const personio = config.pluginSettings['personio'] as PersonioSettings | undefined;
  if (!personio) throw new EnvironmentError('The Personio plugin is not installed (plugins/index.ts); the demo needs it.');
  return {
    ...config,
    PORT: port,
    DATA_DIR: dataDir,
    // The demo's own server always runs on the embedded database with the demo data, so it
    // never writes a connection or exports into a PostgreSQL database named by DATABASE_URL.
    DATABASE_URL: undefined,
    SEED_DEMO_DATA: true,
    pluginSettings: { ...config.pluginSettings, personio: { ...personio, baseUrl: sandboxUrl } },
  };
}

// Log messages of the server start that the demo shows as progress.
const PROGRESS_MESSAGES = new Set(['Embedded database started', 'Database migrations applied', 'Seeded organization', 'Organization exists already, not seeded again']);

/**
 * Writes every log line of the demo's server to a file. Until the server has started, it
 * also prints the start-up steps with the seconds since `startedAt`. It always prints errors.
 */
function createServerLog(file: string, startedAt: number) {
  const stream: WriteStream = createWriteStream(file, { flags: 'a' });
  let starting = true;
  const destination = {
    write(line: string): void {
      stream.write(line);
      let entry: { msg?: string; level?: number; slug?: string; organization?: string; err?: { message?: string } };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        return;
      }
      const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
      if (starting && entry.msg && PROGRESS_MESSAGES.has(entry.msg)) {
        const detail = entry.slug ?? entry.organization;
        print(`  ${seconds} s  ${entry.msg}${typeof detail === 'string' ? ` (${detail})` : ''}`);
      } else if ((entry.level ?? 0) >= 50) {
        print(`  Server error: ${entry.msg ?? ''}${entry.err?.message ? `: ${entry.err.message}` : ''} (details in ${file})`);
      }
    },
  };
  const logger = pino({ level: 'info', base: { service: 'hris-export' }, redact: { paths: redactedPaths, censor: '[redacted]' } }, destination);
  return {
    logger,
    started(): void {
      starting = false;
    },
    close(): Promise<void> {
      return new Promise((resolve) => stream.end(resolve));
    },
  };
}

async function startSandbox(sandboxUrl: string): Promise<RunningSandbox> {
  const url = new URL(sandboxUrl);
  try {
    return await startPersonioSandbox({ port: Number(url.port || 80), host: url.hostname.replace(/^\[|\]$/g, '') });
  } catch (error) {
    throw new EnvironmentError(`Starting the Personio sandbox on ${sandboxUrl} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

interface StartedServer {
  service: RunningService;
  server: Server;
  log: ReturnType<typeof createServerLog>;
}

async function startServer(config: Config, host: string, logFile: string): Promise<StartedServer> {
  const startedAt = Date.now();
  const log = createServerLog(logFile, startedAt);
  let service: RunningService | null = null;
  try {
    service = await createService({ config, logger: log.logger, plugins: installedPlugins });
    const { server } = await listen(service, host, config.PORT);
    log.started();
    print(`  ${((Date.now() - startedAt) / 1000).toFixed(1)} s  Server started`);
    return { service, server, log };
  } catch (error) {
    await service?.close().catch(() => {});
    await log.close();
    const reason = error instanceof Error ? error.message : String(error);
    throw new EnvironmentError(`Starting the server failed: ${reason} (log: ${logFile})`);
  }
}

async function stopServer(started: StartedServer): Promise<void> {
  const closed = new Promise<void>((resolve) => started.server.close(() => resolve()));
  started.server.closeAllConnections();
  await closed;
  await started.service.close();
  await started.log.close();
}

/**
 * Finds the Personio sandbox and the server on their ports, or starts each one that is not
 * running: the sandbox with its default company, the server in this process on the embedded
 * database with the demo data. Any other program that responds on one of the ports is an error.
 */
export async function prepareEnvironment(options: EnvironmentOptions): Promise<DemoEnvironment> {
  const { config, serverPort, sandboxUrl } = options;
  const serverHost = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
  const serverBase = `http://${serverHost.includes(':') ? `[${serverHost}]` : serverHost}:${serverPort}`;
  const graphqlUrl = `${serverBase}/graphql`;

  const sandboxProbe = await probe(`${sandboxUrl}${CONTROL_PREFIX}`, (response, body) => response.ok && Array.isArray((body as { endpoints?: unknown } | null)?.endpoints));
  if (typeof sandboxProbe === 'object') {
    throw new EnvironmentError(
      `A program other than the Personio sandbox responds on ${sandboxUrl} (${sandboxProbe.unexpected}). Stop it, or choose another port with --sandbox-port.`,
    );
  }
  const serverProbe = await probe(`${serverBase}/ready`, (response, body) => response.ok && (body as { status?: unknown } | null)?.status === 'ready');
  if (typeof serverProbe === 'object') {
    throw new EnvironmentError(
      `A program responds on ${serverBase}, but not as a ready hris-export server (${serverProbe.unexpected}). Stop it, or choose another port with --port.`,
    );
  }

  let sandbox: RunningSandbox | null = null;
  if (sandboxProbe === 'answers') {
    print(`Personio sandbox: reusing the one running on ${sandboxUrl}.`);
  } else {
    sandbox = await startSandbox(sandboxUrl);
    print(`Personio sandbox: started on ${sandbox.url}.`);
  }

  if (serverProbe === 'answers') {
    print(`Server: reusing the one running on ${serverBase}. Its data stays as the demo leaves it.`);
    const stopSandbox = sandbox;
    return {
      graphqlUrl,
      sandboxUrl,
      tokenConfig: config,
      startedServer: false,
      startedSandbox: sandbox !== null,
      dataDir: null,
      logFile: null,
      async stop() {
        await stopSandbox?.stop();
      },
    };
  }

  const temporary = options.dataDir === null;
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'hris-export-demo-')));
  const logFile = path.join(dataDir, 'demo-server.log');
  const serverConfig = demoServerConfig(config, serverPort, dataDir, sandboxUrl);
  const newDatabase = !existsSync(path.join(dataDir, 'pglite'));
  print(`Server: starting on ${serverBase} with the ${newDatabase ? 'new' : 'existing'} embedded database in ${dataDir}.`);
  if (newDatabase) print('  A new database is migrated and seeded with the demo data first, which takes about 15 s.');
  let started: StartedServer;
  try {
    started = await startServer(serverConfig, config.HOST, logFile);
  } catch (error) {
    await sandbox?.stop();
    throw error;
  }

  const stopSandbox = sandbox;
  return {
    graphqlUrl,
    sandboxUrl,
    tokenConfig: serverConfig,
    startedServer: true,
    startedSandbox: sandbox !== null,
    dataDir,
    logFile,
    async stop({ keepData }) {
      await stopServer(started);
      await stopSandbox?.stop();
      if (temporary && !keepData) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
