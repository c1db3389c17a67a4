import path from 'node:path';
import { parseArgs } from 'node:util';
import { installedPlugins } from '../plugins/index.ts';
import type { PersonioSettings } from '../plugins/personio/settings.ts';
import { PERSONIO_SANDBOX_BASE_URL } from '../plugins/personio/settings.ts';
import { ConfigError, loadConfig, type Config } from '../src/config.ts';
import type { DemoContext } from './demo/context.ts';
import { StepFailure } from './demo/context.ts';
import { EnvironmentError, prepareEnvironment, type DemoEnvironment } from './demo/environment.ts';
import { print } from './demo/output.ts';
import { DEMO_STEPS } from './demo/steps.ts';
import { UserTokenError } from './lib/user-token.ts';
import { describeFatalError } from '../src/fatal.ts';

/**
 * `npm run demo`: walks through the service with the typed client. It reuses the Personio
 * sandbox and the server when they already run on their ports and starts each one that does
 * not, then connects Personio, exports one hire and a job's Hired stage, checks the roles and
 * repeats an export. Exits 0 only when every step returned what it should.
 */

const USAGE = `Usage: npm run demo -- [options]

Options:
  --port N           port of the GraphQL server (default: PORT, else 4000)
  --sandbox-port N   port of the Personio sandbox (default: the port of PERSONIO_BASE_URL, else 4010)
  --data-dir DIR     data folder of the server the demo starts (default: a new temporary folder,
                     removed after a successful run); a second run on the same folder reuses its data
  --help             print this help

A server or sandbox already running on its port is reused. The demo talks to 127.0.0.1 only.`;

/** Invalid command-line arguments; printed with the usage. */
class UsageError extends Error {}
/** A setting in the environment that the demo cannot run with; printed alone. */
class SettingsError extends Error {}

interface DemoOptions {
  serverPort: number;
  sandboxUrl: string;
  dataDir: string | null;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

function parsePort(raw: string, flag: string): number {
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`${flag} must be a port number from 1 to 65535, got "${raw}".`);
  return port;
}

function parseOptions(config: Config): DemoOptions | null {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'sandbox-port': { type: 'string' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return null;

  if (config.NODE_ENV === 'production') throw new SettingsError('The demo does not run with NODE_ENV=production: it signs tokens with development secrets.');
  if (!LOOPBACK_HOSTS.has(config.HOST) && config.HOST !== '0.0.0.0' && config.HOST !== '::') {
    throw new SettingsError(`HOST is ${config.HOST}, but the demo runs on this machine only: use 127.0.0.1, localhost, ::1 or 0.0.0.0.`);
  }

  const serverPort = values.port !== undefined ? parsePort(values.port, '--port') : config.PORT;
  if (serverPort === 0) throw new SettingsError('PORT is 0 (any free port), but the demo needs to know the port to look for a running server: give --port N.');
  const personio = config.pluginSettings['personio'] as PersonioSettings | undefined;
  let sandboxUrl = (personio?.baseUrl ?? PERSONIO_SANDBOX_BASE_URL).replace(/\/+$/, '').replace(/\/v1$/, '');
  const parsed = new URL(sandboxUrl);
  if (parsed.protocol !== 'http:' || !LOOPBACK_HOSTS.has(parsed.hostname)) {
    throw new SettingsError(`PERSONIO_BASE_URL is ${sandboxUrl}, but the demo sends requests only to a local sandbox such as http://127.0.0.1:4010. Unset it or point it at the sandbox.`);
  }
  if (values['sandbox-port'] !== undefined) {
    parsed.port = String(parsePort(values['sandbox-port'], '--sandbox-port'));
    sandboxUrl = parsed.origin;
  }
  const dataDir = values['data-dir'] === undefined ? null : path.resolve(values['data-dir']);
  return { serverPort, sandboxUrl, dataDir };
}

async function runSteps(context: DemoContext): Promise<{ passed: number; failure: string | null }> {
  for (const [index, step] of DEMO_STEPS.entries()) {
    print();
    print(`== Step ${index + 1} of ${DEMO_STEPS.length}: ${step.title} ==`);
    try {
      await step.run(context);
    } catch (error) {
      const reason =
        error instanceof StepFailure || error instanceof UserTokenError
          ? error.message
          : `unexpected error: ${describeFatalError(error)}`;
      return { passed: index, failure: `Step ${index + 1} (${step.title}) failed: ${reason}` };
    }
    print(`Step ${index + 1} passed.`);
  }
  return { passed: DEMO_STEPS.length, failure: null };
}

async function main(): Promise<number> {
  const config = loadConfig(
    process.env,
    installedPlugins.map((plugin) => ({ key: plugin.manifest.key, schema: plugin.settingsSchema })),
  );
  const options = parseOptions(config);
  if (!options) {
    print(USAGE);
    return 0;
  }

  let environment: DemoEnvironment | null = null;
  const interrupt = () => {
    print('\nInterrupted; stopping what the demo started.');
    void (environment?.stop({ keepData: true }) ?? Promise.resolve()).finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);

  environment = await prepareEnvironment({ config, serverPort: options.serverPort, sandboxUrl: options.sandboxUrl, dataDir: options.dataDir });
  const context: DemoContext = { graphqlUrl: environment.graphqlUrl, sandboxUrl: environment.sandboxUrl, tokenConfig: environment.tokenConfig, providerNames: new Map(), firstExport: null };
  print(`GraphQL endpoint: ${environment.graphqlUrl}`);

  const { passed, failure } = await runSteps(context);
  print();
  if (failure === null) {
    print(`Demo finished: all ${passed} steps passed.`);
  } else {
    print(failure);
    print(`Demo failed: ${passed} of ${DEMO_STEPS.length} steps passed.`);
    if (environment.logFile) print(`Server log: ${environment.logFile}`);
  }

  // A failed run keeps a temporary data folder, so its database and log can be inspected.
  await environment.stop({ keepData: failure !== null });
  if (failure !== null && environment.dataDir && options.dataDir === null) print(`Data folder kept for inspection: ${environment.dataDir}`);
  return failure === null ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || (error instanceof TypeError && (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`${error.message}\n\n${USAGE}\n`);
    } else if (error instanceof ConfigError || error instanceof SettingsError || error instanceof EnvironmentError) {
      process.stderr.write(`${error.message}\n`);
    } else {
      process.stderr.write(`The demo failed: ${describeFatalError(error)}\n`);
    }
    process.exit(1);
  },
);
