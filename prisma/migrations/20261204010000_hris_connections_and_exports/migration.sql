-- CreateEnum
CREATE TYPE "ConnectionStatus" AS ENUM ('CONNECTED', 'NEEDS_ATTENTION', 'DISCONNECTED');

-- CreateEnum
CREATE TYPE "ExportStatus" AS ENUM ('PENDING', 'EXPORTED', 'PARTIALLY_EXPORTED', 'LINKED', 'FAILED');

-- CreateEnum
CREATE TYPE "BatchStatus" AS ENUM ('RUNNING', 'COMPLETED', 'INTERRUPTED');

-- CreateEnum
CREATE TYPE "BatchItemStatus" AS ENUM ('QUEUED', 'RUNNING', 'DONE');

-- CreateTable
CREATE TABLE "HrisConnection" (
    "id" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "provider" TEXT NOT NULL,
    "status" "ConnectionStatus" NOT NULL,
    "credentialsCiphertext" TEXT,
    "encryptionKeyId" TEXT,
    "accountLabel" TEXT,
    "connectedById" UUID,
    "connectedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastVerifiedAt" TIMESTAMP(3),
    "permissionReport" JSONB,
    "lastError" TEXT,
    "disconnectedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HrisConnection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HrisExport" (
    "id" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "connectionId" UUID NOT NULL,
    "candidateId" UUID NOT NULL,
    "applicationId" UUID,
    "status" "ExportStatus" NOT NULL,
    "employeeId" TEXT,
    "employeeUrl" TEXT,
    "fieldOutcomes" JSONB,
    "documentOutcomes" JSONB,
    "failure" JSONB,
    "exportedById" UUID,
    "leaseExpiresAt" TIMESTAMP(3),
    "payloadHash" TEXT,
    "firstExportedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HrisExport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HrisExportAttempt" (
    "id" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "exportId" UUID,
    "connectionId" UUID,
    "candidateId" UUID NOT NULL,
    "jobId" UUID,
    "batchId" UUID,
    "userId" UUID,
    "outcome" TEXT NOT NULL,
    "employeeId" TEXT,
    "summary" JSONB NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "durationMs" INTEGER NOT NULL,

    CONSTRAINT "HrisExportAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HrisExportBatch" (
    "id" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "connectionId" UUID NOT NULL,
    "requestedById" UUID NOT NULL,
    "jobId" UUID,
    "status" "BatchStatus" NOT NULL,
    "heartbeatAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "HrisExportBatch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HrisExportBatchItem" (
    "batchId" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "candidateId" UUID NOT NULL,
    "status" "BatchItemStatus" NOT NULL,
    "outcome" TEXT,
    "summary" JSONB,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HrisExportBatchItem_pkey" PRIMARY KEY ("batchId","position")
);

-- CreateIndex
CREATE INDEX "HrisConnection_organizationId_provider_idx" ON "HrisConnection"("organizationId", "provider");

-- CreateIndex
CREATE UNIQUE INDEX "HrisConnection_id_organizationId_key" ON "HrisConnection"("id", "organizationId");

-- CreateIndex
CREATE INDEX "HrisExport_organizationId_candidateId_idx" ON "HrisExport"("organizationId", "candidateId");

-- CreateIndex
CREATE UNIQUE INDEX "HrisExport_connectionId_candidateId_key" ON "HrisExport"("connectionId", "candidateId");

-- CreateIndex
CREATE UNIQUE INDEX "HrisExport_id_organizationId_key" ON "HrisExport"("id", "organizationId");

-- CreateIndex
CREATE INDEX "HrisExportAttempt_organizationId_startedAt_idx" ON "HrisExportAttempt"("organizationId", "startedAt");

-- CreateIndex
CREATE INDEX "HrisExportAttempt_organizationId_jobId_startedAt_idx" ON "HrisExportAttempt"("organizationId", "jobId", "startedAt");

-- CreateIndex
CREATE INDEX "HrisExportAttempt_organizationId_candidateId_startedAt_idx" ON "HrisExportAttempt"("organizationId", "candidateId", "startedAt");

-- CreateIndex
CREATE INDEX "HrisExportAttempt_exportId_idx" ON "HrisExportAttempt"("exportId");

-- CreateIndex
CREATE INDEX "HrisExportBatch_organizationId_createdAt_idx" ON "HrisExportBatch"("organizationId", "createdAt");

-- CreateIndex
CREATE INDEX "HrisExportBatch_status_heartbeatAt_idx" ON "HrisExportBatch"("status", "heartbeatAt");

-- CreateIndex
CREATE UNIQUE INDEX "HrisExportBatchItem_batchId_candidateId_key" ON "HrisExportBatchItem"("batchId", "candidateId");

-- AddForeignKey
ALTER TABLE "HrisConnection" ADD CONSTRAINT "HrisConnection_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HrisExport" ADD CONSTRAINT "HrisExport_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HrisExport" ADD CONSTRAINT "HrisExport_connectionId_organizationId_fkey" FOREIGN KEY ("connectionId", "organizationId") REFERENCES "HrisConnection"("id", "organizationId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HrisExportAttempt" ADD CONSTRAINT "HrisExportAttempt_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HrisExportAttempt" ADD CONSTRAINT "HrisExportAttempt_exportId_organizationId_fkey" FOREIGN KEY ("exportId", "organizationId") REFERENCES "HrisExport"("id", "organizationId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HrisExportBatch" ADD CONSTRAINT "HrisExportBatch_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HrisExportBatch" ADD CONSTRAINT "HrisExportBatch_connectionId_organizationId_fkey" FOREIGN KEY ("connectionId", "organizationId") REFERENCES "HrisConnection"("id", "organizationId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HrisExportBatchItem" ADD CONSTRAINT "HrisExportBatchItem_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "HrisExportBatch"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- At most one active connection per organization and provider.
CREATE UNIQUE INDEX "HrisConnection_organizationId_provider_active_key" ON "HrisConnection"("organizationId", "provider") WHERE "status" <> 'DISCONNECTED';
