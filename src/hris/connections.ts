import type { Logger } from 'pino';
import type { PrismaClient } from '../db/client.ts';
import type { HrisConnection, Prisma } from '../generated/prisma/client.ts';
import { CredentialDecryptionError, type CredentialCipher } from './crypto.ts';
import type { HrisFailure, HrisSession, PermissionCheck, VerificationReport } from './plugin.ts';
import type { HrisRegistry } from './registry.ts';

/** Result of connecting: the connection, or one expected failure. */
export type ConnectResult =
  | { kind: 'CONNECTED'; connection: HrisConnection }
  | { kind: 'INVALID_INPUT'; problems: { field: string; message: string }[] }
  | { kind: 'MISSING_PERMISSIONS'; permissions: PermissionCheck[] }
  | { kind: 'HRIS_FAILURE'; failure: HrisFailure };

export interface ConnectionActor {
  organizationId: string;
  userId: string;
}

/** The stored permission report: the plugin's checks plus when they ran. */
export interface StoredPermissionReport extends VerificationReport {
  checkedAt: string;
}

function associatedData(organizationId: string, provider: string): string {
  return `hris-connection:${organizationId}:${provider}`;
}

/**
 * Maximum length of a credential value, whatever the provider. Client ids, secrets and API keys,
 * JWT-style keys included, are far shorter; the cap keeps pasted documents out of requests.
 */
export const maxCredentialLength = 4_096;

/** C0 control characters and DEL. */
const controlCharacter = /[\u0000-\u001f\u007f]/;

/**
 * Checks every credential string before the provider's schema parses it. Leading and trailing
 * whitespace, such as the line break of a pasted value, is left for the provider schema to trim.
 * Messages never repeat the value, because it may be a secret.
 */
function checkCredentialText(raw: Record<string, unknown>): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== 'string') continue;
    if (value.length > maxCredentialLength) {
      problems.push({ field: `credentials.${key}`, message: `has ${value.length} characters; at most ${maxCredentialLength} are accepted. Paste only the value copied from the HRIS.` });
    } else if (controlCharacter.test(value.trim())) {
      problems.push({ field: `credentials.${key}`, message: 'contains a control character such as NUL, a tab or a line break; paste the value without it.' });
    }
  }
  return problems;
}

export function missingRequired(report: VerificationReport): PermissionCheck[] {
  return report.permissions.filter((check) => check.required && check.status === 'MISSING');
}

/**
 * Connects, re-verifies and disconnects HRIS accounts. Credentials are verified before they
 * are stored, so a failed reconnect leaves the working connection untouched; the HRIS is
 * called outside any database transaction.
 */
export function createConnectionService(deps: {
  prisma: PrismaClient;
  registry: HrisRegistry;
  cipher: CredentialCipher;
  logger: Logger;
}) {
  const { prisma, registry, cipher } = deps;
  const logger = deps.logger.child({ component: 'hris-connections' });

  function parseCredentials(provider: string, raw: Record<string, unknown>) {
    const plugin = registry.get(provider);
    if (!plugin) {
      return { ok: false as const, problems: [{ field: 'provider', message: `No HRIS plugin "${provider}" is installed; see hrisProviders for the installed ones.` }] };
    }
    const textProblems = checkCredentialText(raw);
    if (textProblems.length > 0) return { ok: false as const, problems: textProblems };
    const parsed = plugin.manifest.credentials.safeParse(raw);
    if (!parsed.success) {
      return {
        ok: false as const,
        problems: parsed.error.issues.map((issue) => ({
          field: `credentials.${issue.path.join('.') || '(root)'}`,
          message: issue.message,
        })),
      };
    }
    return { ok: true as const, plugin, credentials: parsed.data };
  }

  /** Non-secret credential values, shown on the integrations page to tell accounts apart. */
  function accountLabel(provider: string, raw: Record<string, unknown>): string | null {
    const plugin = registry.get(provider);
    if (!plugin) return null;
    const parts = plugin.credentialFields
      .filter((field) => !field.secret && typeof raw[field.key] === 'string')
      .map((field) => String(raw[field.key]));
    return parts.length > 0 ? parts.join(' · ') : null;
  }

  async function connect(actor: ConnectionActor, provider: string, raw: Record<string, unknown>): Promise<ConnectResult> {
    const parsed = parseCredentials(provider, raw);
    if (!parsed.ok) return { kind: 'INVALID_INPUT', problems: parsed.problems };

    const started = performance.now();
    const verification = await parsed.plugin.provider.session(parsed.credentials).verify();
    const log = { organizationId: actor.organizationId, provider, durationMs: Math.round(performance.now() - started) };
    if (!verification.ok) {
      logger.warn({ ...log, failure: verification.failure.kind }, 'HRIS connection attempt failed verification');
      return { kind: 'HRIS_FAILURE', failure: verification.failure };
    }
    const missing = missingRequired(verification.value);
    if (missing.length > 0) {
      logger.warn({ ...log, missing: missing.map((check) => check.key) }, 'HRIS connection attempt lacks required permissions');
      return { kind: 'MISSING_PERMISSIONS', permissions: missing };
    }

    const { ciphertext, keyId } = cipher.encrypt(JSON.stringify(raw), associatedData(actor.organizationId, provider));
    const report: StoredPermissionReport = { ...verification.value, checkedAt: new Date().toISOString() };
    const data = {
      status: 'CONNECTED' as const,
      credentialsCiphertext: ciphertext,
      encryptionKeyId: keyId,
      accountLabel: accountLabel(provider, parsed.credentials as Record<string, unknown>),
      connectedById: actor.userId,
      connectedAt: new Date(),
      lastVerifiedAt: new Date(),
      permissionReport: report as unknown as Prisma.InputJsonValue,
      lastError: null,
    };
    // Replacing credentials is one UPDATE, so readers see either the old or the new ones.
    const connection = await prisma.$transaction(async (tx) => {
      const active = await tx.hrisConnection.findFirst({
        where: { organizationId: actor.organizationId, provider, status: { not: 'DISCONNECTED' } },
      });
      return active
        ? tx.hrisConnection.update({ where: { id: active.id }, data })
        : tx.hrisConnection.create({ data: { ...data, organizationId: actor.organizationId, provider } });
    });
    logger.info({ ...log, connectionId: connection.id }, 'HRIS connected');
    return { kind: 'CONNECTED', connection };
  }

  /** Opens a provider session with the connection's stored credentials. */
  function openSession(connection: HrisConnection): HrisSession {
    const plugin = registry.get(connection.provider);
    if (!plugin) throw new Error(`Connection ${connection.id} uses provider "${connection.provider}", which is not installed.`);
    if (!connection.credentialsCiphertext) throw new Error(`Connection ${connection.id} has no stored credentials.`);
    const raw = JSON.parse(cipher.decrypt(connection.credentialsCiphertext, associatedData(connection.organizationId, connection.provider)));
    return plugin.provider.session(plugin.manifest.credentials.parse(raw));
  }

  async function check(organizationId: string, connectionId: string) {
    const connection = await prisma.hrisConnection.findFirst({
      where: { id: connectionId, organizationId, status: { not: 'DISCONNECTED' } },
    });
    if (!connection) return null;
    let session: HrisSession;
    try {
      session = openSession(connection);
    } catch (error) {
      if (!(error instanceof CredentialDecryptionError)) throw error;
      logger.error({ connectionId, err: error }, 'Stored HRIS credentials cannot be decrypted');
      return prisma.hrisConnection.update({
        where: { id: connection.id },
        data: { status: 'NEEDS_ATTENTION', lastError: 'Stored credentials cannot be decrypted with the configured keys; reconnect the HRIS.' },
      });
    }
    const verification = await session.verify();
    const now = new Date();
    if (!verification.ok) {
      logger.warn({ connectionId, failure: verification.failure.kind }, 'HRIS connection check failed');
      return prisma.hrisConnection.update({
        where: { id: connection.id },
        data: { status: 'NEEDS_ATTENTION', lastVerifiedAt: now, lastError: verification.failure.message },
      });
    }
    const missing = missingRequired(verification.value);
    const report: StoredPermissionReport = { ...verification.value, checkedAt: now.toISOString() };
    return prisma.hrisConnection.update({
      where: { id: connection.id },
      data: {
        status: missing.length > 0 ? 'NEEDS_ATTENTION' : 'CONNECTED',
        lastVerifiedAt: now,
        permissionReport: report as unknown as Prisma.InputJsonValue,
        lastError: missing.length > 0 ? `Missing permissions: ${missing.map((item) => item.label).join(', ')}` : null,
      },
    });
  }

  async function disconnect(organizationId: string, connectionId: string) {
    const result = await prisma.hrisConnection.updateMany({
      where: { id: connectionId, organizationId, status: { not: 'DISCONNECTED' } },
      data: { status: 'DISCONNECTED', credentialsCiphertext: null, encryptionKeyId: null, disconnectedAt: new Date() },
    });
    if (result.count > 0) logger.info({ organizationId, connectionId }, 'HRIS disconnected');
    return result.count > 0;
  }

  /** The active connection for a provider, or the only active one when no provider is named. */
  async function findActive(organizationId: string, provider?: string | null) {
    const connections = await prisma.hrisConnection.findMany({
      where: { organizationId, status: { not: 'DISCONNECTED' }, ...(provider ? { provider } : {}) },
      orderBy: { connectedAt: 'asc' },
    });
    return connections;
  }

  /** Re-encrypts every connection that is not under the current key; returns how many moved. */
  async function reencryptAll(): Promise<number> {
    const stale = await prisma.hrisConnection.findMany({
      where: { credentialsCiphertext: { not: null }, encryptionKeyId: { not: cipher.currentKeyId } },
    });
    for (const connection of stale) {
      const aad = associatedData(connection.organizationId, connection.provider);
      const { ciphertext, keyId } = cipher.encrypt(cipher.decrypt(connection.credentialsCiphertext!, aad), aad);
      await prisma.hrisConnection.updateMany({
        where: { id: connection.id, credentialsCiphertext: connection.credentialsCiphertext },
        data: { credentialsCiphertext: ciphertext, encryptionKeyId: keyId },
      });
      logger.info({ connectionId: connection.id, from: connection.encryptionKeyId, to: keyId }, 'HRIS credentials re-encrypted');
    }
    return stale.length;
  }

  return { connect, check, disconnect, findActive, openSession, reencryptAll };
}

export type ConnectionService = ReturnType<typeof createConnectionService>;
