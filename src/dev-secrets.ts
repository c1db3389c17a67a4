import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface DevelopmentSecrets {
  jwtSecret: string;
  encryptionKey: string;
}

/**
 * Reads, or creates once, the secrets a development or test server uses when JWT_SECRET or
 * ENCRYPTION_KEY is unset. They live in the data folder (mode 0600) so tokens and encrypted
 * connections survive restarts. Production never calls this: config.ts requires both.
 */
export async function loadDevelopmentSecrets(dataDir: string): Promise<DevelopmentSecrets> {
  const file = path.join(dataDir, 'secrets.json');
  try {
    const stored = JSON.parse(await readFile(file, 'utf8')) as Partial<DevelopmentSecrets>;
    if (typeof stored.jwtSecret === 'string' && typeof stored.encryptionKey === 'string') {
      return { jwtSecret: stored.jwtSecret, encryptionKey: stored.encryptionKey };
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secrets: DevelopmentSecrets = {
    jwtSecret: randomBytes(48).toString('base64url'),
    encryptionKey: randomBytes(32).toString('base64'),
  };
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return secrets;
}
