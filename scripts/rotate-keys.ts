import { installedPlugins } from '../plugins/index.ts';
import { ConfigError, loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { EmbeddedDatabaseInUseError } from '../src/db/embedded.ts';
import { loadDevelopmentSecrets } from '../src/dev-secrets.ts';
import { createConnectionService } from '../src/hris/connections.ts';
import { createCredentialCipher, CredentialDecryptionError, parseEncryptionKey } from '../src/hris/crypto.ts';
import { createRegistry } from '../src/hris/registry.ts';
import { createLogger } from '../src/logger.ts';
import { describeFatalError } from '../src/fatal.ts';

/**
 * Re-encrypts the stored credentials of every HRIS connection with ENCRYPTION_KEY.
 * To rotate: set ENCRYPTION_KEY to the new key and list the old one in
 * ENCRYPTION_PREVIOUS_KEYS (comma-separated), run this script, then remove the old key
 * from ENCRYPTION_PREVIOUS_KEYS. Connections already under the current key are skipped.
 */
async function main(): Promise<void> {
  const config = loadConfig(
    process.env,
    installedPlugins.map((plugin) => ({ key: plugin.manifest.key, schema: plugin.settingsSchema })),
  );
  const logger = createLogger(config.LOG_LEVEL ?? 'warn');

  const encryptionKey = config.ENCRYPTION_KEY ?? (config.NODE_ENV === 'production' ? undefined : (await loadDevelopmentSecrets(config.DATA_DIR)).encryptionKey);
  if (!encryptionKey) throw new ConfigError(['ENCRYPTION_KEY: required to re-encrypt credentials']);
  const current = parseEncryptionKey(encryptionKey);
  const previous = (config.ENCRYPTION_PREVIOUS_KEYS ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter(Boolean)
    .map((key) => parseEncryptionKey(key, 'ENCRYPTION_PREVIOUS_KEYS'));
  const cipher = createCredentialCipher(current, previous);

  // Provider plugins are needed only to build the connection service; no HRIS is called.
  const registry = createRegistry(installedPlugins, config.pluginSettings, { environment: config.NODE_ENV, logger });
  const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, logger });
  try {
    const connections = createConnectionService({ prisma: database.prisma, registry, cipher, logger });
    const moved = await connections.reencryptAll();
    process.stdout.write(
      moved === 0
        ? `Every stored credential is already encrypted with the current key ${current.id}.\n`
        : `Re-encrypted the credentials of ${moved} connection(s) with the current key ${current.id}.\n`,
    );
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof EmbeddedDatabaseInUseError || error instanceof CredentialDecryptionError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Re-encryption failed: ${describeFatalError(error)}\n`);
  }
  process.exit(1);
});
