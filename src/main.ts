import { installedPlugins } from '../plugins/index.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { createService, listen } from './server.ts';
import { describeFatalError } from './fatal.ts';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(
      process.env,
      installedPlugins.map((plugin) => ({ key: plugin.manifest.key, schema: plugin.settingsSchema })),
    );
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }

  const logger = createLogger(config.logLevel);
  const service = await createService({ config, logger, plugins: installedPlugins });
  const { server, url } = await listen(service, config.HOST, config.PORT);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'Server stopping: no new connections, finishing requests');
    const forced = setTimeout(() => {
      logger.error({ signal }, 'Server stop timed out after 10 s; exiting');
      process.exit(1);
    }, 10_000);
    forced.unref();
    server.close();
    server.closeIdleConnections();
    await new Promise<void>((resolve) => server.once('close', () => resolve()));
    await service.close();
    logger.info({ signal }, 'Server stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  // Logged after the signal handlers are installed, so a supervisor that waits for this line
  // can stop the server right away.
  logger.info(
    { url: `${url}/graphql`, database: service.database.kind, dataDir: service.database.kind === 'embedded' ? config.DATA_DIR : undefined },
    'Server started',
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`Server failed to start: ${describeFatalError(error)}\n`);
  process.exit(1);
});
