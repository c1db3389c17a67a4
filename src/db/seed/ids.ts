import { createHash } from 'node:crypto';

/** Namespace of every seed UUID. Changing it changes every seeded id. */
export const SEED_UUID_NAMESPACE = '6f1c2a4e-3b7d-4c59-9e21-8a0d5f3b7c14';

/**
 * Derives a name-based UUID version 5 (RFC 9562, section 5.5) from `name` in the seed
 * namespace, so the same name yields the same id in every database.
 */
export function seedUuid(name: string): string {
  const namespaceBytes = Buffer.from(SEED_UUID_NAMESPACE.replaceAll('-', ''), 'hex');
  const hash = createHash('sha1').update(namespaceBytes).update(name, 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  // Version 5 in the high nibble of byte 6, RFC variant (binary 10) in the top bits of byte 8.
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Returns an unsigned 32-bit number derived from `name`, for deterministic variation such as times of day. */
export function seedNumber(name: string): number {
  return createHash('sha1').update(name, 'utf8').digest().readUInt32BE(0);
}
