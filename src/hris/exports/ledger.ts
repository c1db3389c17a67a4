import { createHash } from 'node:crypto';
import type { PrismaClient } from '../../db/client.ts';
import { Prisma, type HrisExport } from '../../generated/prisma/client.ts';
import type { NewHire } from '../plugin.ts';
import type { ExportSummary } from './summary.ts';
import { outcomeLabel } from './summary.ts';

/**
 * The export ledger: one HrisExport row per candidate and connection (a unique key), and one
 * HrisExportAttempt row per attempt. A row is claimed before the HRIS is called; the claim is
 * a lease, so an attempt that died mid-way can be taken over once the lease expires.
 */

export type Claim =
  | { kind: 'CLAIMED'; row: HrisExport; takenOver: boolean }
  | { kind: 'DONE'; row: HrisExport }
  | { kind: 'BUSY'; row: HrisExport };

const finished = new Set(['EXPORTED', 'PARTIALLY_EXPORTED', 'LINKED']);

export async function claimExport(
  prisma: PrismaClient,
  key: { organizationId: string; connectionId: string; candidateId: string; applicationId: string; userId: string },
  leaseMs: number,
  known: HrisExport | null = null,
): Promise<Claim> {
  // A finished row never changes status again, so a row read earlier (a bulk export reads the
  // ledger rows of all its candidates at once) is used without another query.
  if (known && known.connectionId === key.connectionId && finished.has(known.status)) return { kind: 'DONE', row: known };

  const leaseExpiresAt = new Date(Date.now() + leaseMs);
  // INSERT … ON CONFLICT DO NOTHING RETURNING: a new row is claimed without a second read.
  const [inserted] = await prisma.hrisExport.createManyAndReturn({
    data: [{ ...pick(key), status: 'PENDING', leaseExpiresAt, exportedById: key.userId }],
    skipDuplicates: true,
  });
  if (inserted) return { kind: 'CLAIMED', row: inserted, takenOver: false };
  const row = await prisma.hrisExport.findUniqueOrThrow({
    where: { connectionId_candidateId: { connectionId: key.connectionId, candidateId: key.candidateId } },
  });
  if (finished.has(row.status)) return { kind: 'DONE', row };
  const leaseOver = row.status === 'FAILED' || (row.leaseExpiresAt !== null && row.leaseExpiresAt.getTime() < Date.now());
  if (!leaseOver) return { kind: 'BUSY', row };

  // Conditional on the row being unchanged since it was read, so only one caller takes over.
  const [claimed] = await prisma.hrisExport.updateManyAndReturn({
    where: { id: row.id, status: row.status, updatedAt: row.updatedAt },
    data: { status: 'PENDING', leaseExpiresAt, exportedById: key.userId, applicationId: key.applicationId },
  });
  if (!claimed) return { kind: 'BUSY', row };
  return { kind: 'CLAIMED', row: claimed, takenOver: row.status === 'PENDING' };
}

function pick(key: { organizationId: string; connectionId: string; candidateId: string; applicationId: string }) {
  return {
    organizationId: key.organizationId,
    connectionId: key.connectionId,
    candidateId: key.candidateId,
    applicationId: key.applicationId,
  };
}

/** Hash of the payload, stored to tell whether a repeated export has anything new to send. */
export function hashNewHire(hire: NewHire): string {
  const ordered = Object.fromEntries(Object.entries(hire).sort(([a], [b]) => a.localeCompare(b)));
  return createHash('sha256').update(JSON.stringify(ordered)).digest('hex');
}

export interface AttemptRecord {
  organizationId: string;
  connectionId: string | null;
  exportId: string | null;
  candidateId: string;
  jobId: string | null;
  batchId: string | null;
  userId: string;
  startedAt: Date;
  summary: ExportSummary;
}

function attemptData(record: AttemptRecord): Prisma.HrisExportAttemptCreateManyInput {
  const employeeId = 'employeeId' in record.summary ? record.summary.employeeId : null;
  return {
    organizationId: record.organizationId,
    connectionId: record.connectionId,
    exportId: record.exportId,
    candidateId: /^[0-9a-f-]{36}$/i.test(record.candidateId) ? record.candidateId : '00000000-0000-0000-0000-000000000000',
    jobId: record.jobId,
    batchId: record.batchId,
    userId: record.userId,
    outcome: outcomeLabel(record.summary),
    employeeId,
    summary: record.summary as unknown as Prisma.InputJsonValue,
    startedAt: record.startedAt,
    durationMs: Math.max(0, Math.round(Date.now() - record.startedAt.getTime())),
  };
}

export async function recordAttempt(prisma: PrismaClient, record: AttemptRecord): Promise<void> {
  await prisma.hrisExportAttempt.createMany({ data: [attemptData(record)] });
}

/** Stores the final state of a claimed row together with its attempt, in one short transaction. */
export async function completeExport(
  prisma: PrismaClient,
  row: HrisExport,
  update: {
    status: 'EXPORTED' | 'PARTIALLY_EXPORTED' | 'LINKED' | 'FAILED';
    employeeId: string | null;
    employeeUrl: string | null;
    fieldOutcomes: unknown;
    documentOutcomes: unknown;
    failure: unknown;
    payloadHash: string | null;
  },
  attempt: AttemptRecord,
): Promise<void> {
  await prisma.$transaction([
    prisma.hrisExport.update({
      where: { id: row.id },
      data: {
        status: update.status,
        employeeId: update.employeeId,
        employeeUrl: update.employeeUrl,
        fieldOutcomes: (update.fieldOutcomes ?? undefined) as Prisma.InputJsonValue | undefined,
        documentOutcomes: (update.documentOutcomes ?? undefined) as Prisma.InputJsonValue | undefined,
        failure: update.failure ? (update.failure as Prisma.InputJsonValue) : Prisma.DbNull,
        payloadHash: update.payloadHash,
        leaseExpiresAt: null,
        ...(update.status !== 'FAILED' && !row.firstExportedAt ? { firstExportedAt: new Date() } : {}),
      },
    }),
    prisma.hrisExportAttempt.createMany({ data: [attemptData(attempt)] }),
  ]);
}
