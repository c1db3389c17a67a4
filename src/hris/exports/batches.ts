import type { Logger } from 'pino';
import { loadManagedJobIds } from '../../ats/access.ts';
import type { PrismaClient } from '../../db/client.ts';
import { createLoaders } from '../../db/loaders.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import type { ConnectionService } from '../connections.ts';
import type { HrisRegistry } from '../registry.ts';
import { createExportContext, primeLoaders, type ExportContext } from './context.ts';
import type { ExportActor, ExportService } from './service.ts';
import { outcomeLabel, type ExportSummary } from './summary.ts';

/**
 * Bulk exports. A batch and its items are stored before any work starts; items run with
 * bounded concurrency per connection, each one's result is stored as soon as it is known,
 * and a batch whose process died is resumed from its unfinished items. Candidates already
 * exported answer from the ledger, so resuming never creates a second employee.
 */
export function createBatchRunner(deps: {
  prisma: PrismaClient;
  exports: ExportService;
  registry: HrisRegistry;
  connections: ConnectionService;
  logger: Logger;
  /** A RUNNING batch without a heartbeat for this long is taken as interrupted. */
  staleAfterMs?: number;
}) {
  const { prisma, exports, registry, connections } = deps;
  const logger = deps.logger.child({ component: 'hris-export-batch' });
  const staleAfterMs = deps.staleAfterMs ?? 60_000;
  const running = new Map<string, Promise<void>>();

  async function create(actor: ExportActor, candidateIds: string[], options: { connectionId: string; jobId: string | null }) {
    return prisma.$transaction(async (tx) => {
      const batch = await tx.hrisExportBatch.create({
        data: {
          organizationId: actor.organizationId,
          connectionId: options.connectionId,
          requestedById: actor.userId,
          jobId: options.jobId,
          status: 'RUNNING',
        },
      });
      await tx.hrisExportBatchItem.createMany({
        data: candidateIds.map((candidateId, position) => ({ batchId: batch.id, position, candidateId, status: 'QUEUED' as const })),
      });
      return batch;
    });
  }

  /**
   * The batch's connection while it is active; after a disconnect and a new connect, the
   * provider's active connection. Null when the provider has none, so each item reports it.
   */
  async function batchContext(batchId: string, organizationId: string, provider: string): Promise<ExportContext | null> {
    const batch = await prisma.hrisExportBatch.findUniqueOrThrow({ where: { id: batchId }, include: { connection: true } });
    const connection =
      batch.connection.status === 'DISCONNECTED' ? ((await connections.findActive(organizationId, provider))[0] ?? null) : batch.connection;
    return connection ? createExportContext(connection, connections.openSession) : null;
  }

  async function exportItem(actor: ExportActor, batchId: string, provider: string, context: ExportContext | null, item: { candidateId: string; position: number }) {
    let summary: ExportSummary;
    try {
      summary = await exports.exportCandidate(actor, item.candidateId, { provider, batchId, context });
    } catch (error) {
      // An unexpected error for one candidate is recorded and the batch goes on.
      logger.error({ batchId, candidateId: item.candidateId, err: error }, 'Bulk export item failed unexpectedly');
      summary = {
        kind: 'HRIS_FAILURE',
        candidateId: item.candidateId,
        provider,
        failure: { kind: 'UNAVAILABLE', timedOut: false, message: 'The export failed with an internal error; it can be retried.' },
      };
    }
    await prisma.hrisExportBatchItem.update({
      where: { batchId_position: { batchId, position: item.position } },
      data: { status: 'DONE', outcome: outcomeLabel(summary), summary: summary as unknown as Prisma.InputJsonValue },
    });
  }

  /** Runs the unfinished items of a batch. Never rejects: a failure marks the batch INTERRUPTED. */
  async function run(batchId: string, actor: ExportActor, provider: string): Promise<void> {
    const heartbeat = setInterval(() => {
      prisma.hrisExportBatch
        .update({ where: { id: batchId }, data: { heartbeatAt: new Date() } })
        .catch((error: unknown) => logger.warn({ batchId, err: error }, 'Bulk export heartbeat failed'));
    }, Math.max(1000, staleAfterMs / 4));
    try {
      const items = await prisma.hrisExportBatchItem.findMany({
        where: { batchId, status: { not: 'DONE' } },
        orderBy: { position: 'asc' },
      });
      // One read per kind of row for the whole batch, however many candidates it has.
      const context = await batchContext(batchId, actor.organizationId, provider);
      await primeLoaders(actor, items.map((item) => item.candidateId));
      const concurrency = registry.get(provider)?.manifest.maxConcurrentExports ?? 1;
      logger.info({ batchId, organizationId: actor.organizationId, items: items.length, concurrency }, 'Bulk export started');

      let next = 0;
      const worker = async () => {
        while (next < items.length) await exportItem(actor, batchId, provider, context, items[next++]!);
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
      await prisma.hrisExportBatch.update({ where: { id: batchId }, data: { status: 'COMPLETED', finishedAt: new Date(), heartbeatAt: new Date() } });
      logger.info({ batchId, organizationId: actor.organizationId }, 'Bulk export finished');
    } catch (error) {
      logger.error({ batchId, err: error }, 'Bulk export stopped; it resumes on the next start or on request');
      await prisma.hrisExportBatch
        .update({ where: { id: batchId }, data: { status: 'INTERRUPTED' } })
        .catch(() => undefined);
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** Starts a stored batch in the background; the promise resolves when it finishes. */
  function launch(batchId: string, actor: ExportActor, provider: string): Promise<void> {
    const existing = running.get(batchId);
    if (existing) return existing;
    const work = run(batchId, actor, provider).finally(() => running.delete(batchId));
    running.set(batchId, work);
    return work;
  }

  async function actorFor(organizationId: string, userId: string): Promise<ExportActor | null> {
    const user = await prisma.user.findFirst({ where: { id: userId, organizationId } });
    if (!user || user.role === 'INTERVIEWER') return null;
    return {
      organizationId,
      userId,
      role: user.role,
      jobIds: user.role === 'HIRING_MANAGER' ? await loadManagedJobIds(prisma, organizationId, userId) : null,
      loaders: createLoaders(prisma, organizationId),
    };
  }

  /** Resumes a batch that is not running in this process; returns false when it cannot be. */
  async function resume(organizationId: string, batchId: string): Promise<boolean> {
    if (running.has(batchId)) return true;
    const batch = await prisma.hrisExportBatch.findFirst({
      where: { id: batchId, organizationId, status: { not: 'COMPLETED' } },
      include: { connection: true },
    });
    if (!batch) return false;
    const actor = await actorFor(organizationId, batch.requestedById);
    if (!actor) return false;
    await prisma.hrisExportBatch.update({ where: { id: batchId }, data: { status: 'RUNNING', heartbeatAt: new Date() } });
    logger.info({ batchId, organizationId }, 'Bulk export resumed');
    void launch(batchId, actor, batch.connection.provider);
    return true;
  }

  /** Resumes every batch whose process stopped (no heartbeat within staleAfterMs). */
  async function resumeInterrupted(): Promise<number> {
    const stale = await prisma.hrisExportBatch.findMany({
      where: {
        OR: [{ status: 'INTERRUPTED' }, { status: 'RUNNING', heartbeatAt: { lt: new Date(Date.now() - staleAfterMs) } }],
      },
      select: { id: true, organizationId: true },
    });
    let resumed = 0;
    for (const batch of stale) if (await resume(batch.organizationId, batch.id)) resumed += 1;
    return resumed;
  }

  async function waitFor(batchId: string, timeoutMs: number): Promise<void> {
    const work = running.get(batchId);
    if (!work) return;
    await Promise.race([work, new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
  }

  /** Waits for every batch running in this process, for shutdown and tests. */
  async function drain(): Promise<void> {
    await Promise.allSettled([...running.values()]);
  }

  return { create, launch, resume, resumeInterrupted, waitFor, drain };
}

export type BatchRunner = ReturnType<typeof createBatchRunner>;
