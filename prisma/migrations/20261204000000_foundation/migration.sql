-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('ADMIN', 'HIRING_MANAGER', 'RECRUITER', 'INTERVIEWER');

-- CreateEnum
CREATE TYPE "JobStatus" AS ENUM ('DRAFT', 'OPEN', 'CLOSED');

-- CreateEnum
CREATE TYPE "EmploymentType" AS ENUM ('FULL_TIME', 'PART_TIME', 'CONTRACT', 'INTERNSHIP', 'TEMPORARY');

-- CreateEnum
CREATE TYPE "StageKind" AS ENUM ('APPLIED', 'SCREENING', 'INTERVIEW', 'OFFER', 'HIRED', 'REJECTED');

-- CreateEnum
CREATE TYPE "DocumentKind" AS ENUM ('CV', 'COVER_LETTER', 'OTHER');

-- CreateTable
CREATE TABLE "Organization" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Organization_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "User" (
    "id" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Job" (
    "id" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "department" TEXT,
    "office" TEXT,
    "employmentType" "EmploymentType",
    "weeklyHours" DECIMAL(5,2),
    "status" "JobStatus" NOT NULL DEFAULT 'OPEN',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Job_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JobHiringManager" (
    "organizationId" UUID NOT NULL,
    "jobId" UUID NOT NULL,
    "userId" UUID NOT NULL,

    CONSTRAINT "JobHiringManager_pkey" PRIMARY KEY ("jobId","userId")
);

-- CreateTable
CREATE TABLE "PipelineStage" (
    "id" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "jobId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "kind" "StageKind" NOT NULL,

    CONSTRAINT "PipelineStage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Candidate" (
    "id" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "firstName" TEXT NOT NULL,
    "lastName" TEXT NOT NULL,
    "preferredName" TEXT,
    "email" TEXT NOT NULL,
    "phone" TEXT,
    "gender" TEXT,
    "dateOfBirth" DATE,
    "street" TEXT,
    "postalCode" TEXT,
    "city" TEXT,
    "country" TEXT,
    "nationality" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Candidate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Application" (
    "id" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "candidateId" UUID NOT NULL,
    "jobId" UUID NOT NULL,
    "stageId" UUID NOT NULL,
    "stageEnteredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "hiredAt" TIMESTAMP(3),
    "startDate" DATE,
    "offeredPositionTitle" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Application_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CandidateDocument" (
    "id" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "candidateId" UUID NOT NULL,
    "kind" "DocumentKind" NOT NULL,
    "fileName" TEXT NOT NULL,
    "mimeType" TEXT NOT NULL,
    "sizeBytes" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "content" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CandidateDocument_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Organization_slug_key" ON "Organization"("slug");

-- CreateIndex
CREATE INDEX "User_organizationId_role_idx" ON "User"("organizationId", "role");

-- CreateIndex
CREATE UNIQUE INDEX "User_id_organizationId_key" ON "User"("id", "organizationId");

-- CreateIndex
CREATE INDEX "Job_organizationId_createdAt_idx" ON "Job"("organizationId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Job_id_organizationId_key" ON "Job"("id", "organizationId");

-- CreateIndex
CREATE INDEX "JobHiringManager_userId_idx" ON "JobHiringManager"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "PipelineStage_jobId_position_key" ON "PipelineStage"("jobId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "PipelineStage_id_jobId_key" ON "PipelineStage"("id", "jobId");

-- CreateIndex
CREATE INDEX "Candidate_organizationId_lastName_firstName_idx" ON "Candidate"("organizationId", "lastName", "firstName");

-- CreateIndex
CREATE UNIQUE INDEX "Candidate_id_organizationId_key" ON "Candidate"("id", "organizationId");

-- CreateIndex
CREATE INDEX "Application_jobId_stageId_idx" ON "Application"("jobId", "stageId");

-- CreateIndex
CREATE INDEX "Application_organizationId_stageId_idx" ON "Application"("organizationId", "stageId");

-- CreateIndex
CREATE UNIQUE INDEX "Application_candidateId_jobId_key" ON "Application"("candidateId", "jobId");

-- CreateIndex
CREATE INDEX "CandidateDocument_candidateId_idx" ON "CandidateDocument"("candidateId");

-- AddForeignKey
ALTER TABLE "User" ADD CONSTRAINT "User_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Job" ADD CONSTRAINT "Job_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "JobHiringManager" ADD CONSTRAINT "JobHiringManager_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "JobHiringManager" ADD CONSTRAINT "JobHiringManager_jobId_organizationId_fkey" FOREIGN KEY ("jobId", "organizationId") REFERENCES "Job"("id", "organizationId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "JobHiringManager" ADD CONSTRAINT "JobHiringManager_userId_organizationId_fkey" FOREIGN KEY ("userId", "organizationId") REFERENCES "User"("id", "organizationId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PipelineStage" ADD CONSTRAINT "PipelineStage_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PipelineStage" ADD CONSTRAINT "PipelineStage_jobId_organizationId_fkey" FOREIGN KEY ("jobId", "organizationId") REFERENCES "Job"("id", "organizationId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Candidate" ADD CONSTRAINT "Candidate_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Application" ADD CONSTRAINT "Application_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Application" ADD CONSTRAINT "Application_candidateId_organizationId_fkey" FOREIGN KEY ("candidateId", "organizationId") REFERENCES "Candidate"("id", "organizationId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Application" ADD CONSTRAINT "Application_jobId_organizationId_fkey" FOREIGN KEY ("jobId", "organizationId") REFERENCES "Job"("id", "organizationId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Application" ADD CONSTRAINT "Application_stageId_jobId_fkey" FOREIGN KEY ("stageId", "jobId") REFERENCES "PipelineStage"("id", "jobId") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CandidateDocument" ADD CONSTRAINT "CandidateDocument_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CandidateDocument" ADD CONSTRAINT "CandidateDocument_candidateId_organizationId_fkey" FOREIGN KEY ("candidateId", "organizationId") REFERENCES "Candidate"("id", "organizationId") ON DELETE CASCADE ON UPDATE CASCADE;


-- Invariants that the Prisma schema cannot express.

-- Emails are unique per organization regardless of case.
CREATE UNIQUE INDEX "User_organizationId_email_ci_key" ON "User"("organizationId", lower("email"));
CREATE UNIQUE INDEX "Candidate_organizationId_email_ci_key" ON "Candidate"("organizationId", lower("email"));

-- At most one HIRED stage per job.
CREATE UNIQUE INDEX "PipelineStage_jobId_hired_key" ON "PipelineStage"("jobId") WHERE "kind" = 'HIRED';

-- At least one HIRED stage per job, checked at commit so a job and its stages can be
-- inserted in one transaction in any order.
-- The body is an E-string that writes each semicolon as \073, because Prisma's driver-adapter
-- migration runner splits scripts at every semicolon and would cut a dollar-quoted body apart.
CREATE FUNCTION "assert_job_has_hired_stage"() RETURNS trigger LANGUAGE plpgsql AS E'
DECLARE
  checked_job uuid\073
BEGIN
  IF TG_TABLE_NAME = ''Job'' THEN
    checked_job := NEW."id"\073
  ELSE
    checked_job := OLD."jobId"\073
  END IF\073
  IF EXISTS (SELECT 1 FROM "Job" WHERE "id" = checked_job)
     AND NOT EXISTS (SELECT 1 FROM "PipelineStage" WHERE "jobId" = checked_job AND "kind" = ''HIRED'') THEN
    RAISE EXCEPTION ''job % must have exactly one HIRED pipeline stage'', checked_job
      USING ERRCODE = ''check_violation'', CONSTRAINT = ''Job_one_hired_stage''\073
  END IF\073
  RETURN NULL\073
END\073
';

CREATE CONSTRAINT TRIGGER "Job_one_hired_stage_on_job"
  AFTER INSERT ON "Job"
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION "assert_job_has_hired_stage"();

CREATE CONSTRAINT TRIGGER "Job_one_hired_stage_on_stage"
  AFTER UPDATE OF "kind", "jobId" OR DELETE ON "PipelineStage"
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION "assert_job_has_hired_stage"();

-- Stage positions are 0-based and ordered.
ALTER TABLE "PipelineStage" ADD CONSTRAINT "PipelineStage_position_check" CHECK ("position" >= 0);
ALTER TABLE "CandidateDocument" ADD CONSTRAINT "CandidateDocument_sizeBytes_check" CHECK ("sizeBytes" >= 0 AND "sizeBytes" = octet_length("content"));
