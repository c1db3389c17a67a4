import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM encryption of connection credentials. Each ciphertext records the id of the
 * key that wrote it (the first 8 hex digits of the key's SHA-256), so a key can rotate:
 * the current key encrypts, previous keys still decrypt, and re-encryption moves rows over.
 * The associated data binds a ciphertext to its organization and provider, so a copied
 * ciphertext does not decrypt under another row.
 */

const version = 'v1';

export interface EncryptionKey {
  id: string;
  key: Buffer;
}

export class CredentialDecryptionError extends Error {
  override name = 'CredentialDecryptionError';
}

export function parseEncryptionKey(text: string, variable = 'ENCRYPTION_KEY'): EncryptionKey {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== 32) {
    throw new Error(`${variable} must be 32 random bytes in base64 (44 characters); generate one with \`openssl rand -base64 32\`.`);
  }
  return { id: createHash('sha256').update(key).digest('hex').slice(0, 8), key };
}

export interface CredentialCipher {
  currentKeyId: string;
  encrypt(plaintext: string, associatedData: string): { ciphertext: string; keyId: string };
  decrypt(ciphertext: string, associatedData: string): string;
}

export function createCredentialCipher(current: EncryptionKey, previous: readonly EncryptionKey[] = []): CredentialCipher {
  const keys = new Map([current, ...previous].map((entry) => [entry.id, entry.key]));
  return {
    currentKeyId: current.id,
    encrypt(plaintext, associatedData) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current.key, iv);
      cipher.setAAD(Buffer.from(associatedData, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      const ciphertext = [version, current.id, iv.toString('base64'), tag.toString('base64'), body.toString('base64')].join(':');
      return { ciphertext, keyId: current.id };
    },
    decrypt(ciphertext, associatedData) {
      const [format, keyId, iv, tag, body] = ciphertext.split(':');
      if (format !== version || !keyId || !iv || !tag || body === undefined) {
        throw new CredentialDecryptionError('Stored credentials have an unknown format.');
      }
      const key = keys.get(keyId);
      if (!key) {
        throw new CredentialDecryptionError(
          `Stored credentials were encrypted with key ${keyId}, which is neither ENCRYPTION_KEY nor in ENCRYPTION_PREVIOUS_KEYS.`,
        );
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
        decipher.setAAD(Buffer.from(associatedData, 'utf8'));
        decipher.setAuthTag(Buffer.from(tag, 'base64'));
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
      } catch {
        throw new CredentialDecryptionError(`Stored credentials failed authentication with key ${keyId}.`);
      }
    },
  };
}
