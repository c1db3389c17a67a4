import type { Logger } from 'pino';
import type { AccessScope } from '../../ats/access.ts';
import { canSeeJob } from '../../ats/access.ts';
import type { PrismaClient } from '../../db/client.ts';
import type { Loaders } from '../../db/loaders.ts';
import type { Application, HrisConnection, HrisExport } from '../../generated/prisma/client.ts';
import type { ConnectionService } from '../connections.ts';
import { fieldsWithoutAtsSource, newHireFields, planNewHire, summariseValue } from '../new-hire.ts';
import type { FieldOutcome, HrisSession, NewHire, ReferenceData } from '../plugin.ts';
import type { HrisRegistry } from '../registry.ts';
import { findSupervisor, type ExportContext } from './context.ts';
import { claimExport, completeExport, hashNewHire, recordAttempt, type AttemptRecord } from './ledger.ts';
import { ReferenceDataCache } from './reference-cache.ts';
import { transferDocuments } from './documents.ts';
import type { DocumentOutcome, ExportSummary } from './summary.ts';

export interface ExportActor extends AccessScope {
  loaders: Loaders;
}

export interface ExportOptions {
  provider?: string | null;
  batchId?: string | null;
  /**
   * The batch's connection, session and lookup caches. Without it, the export looks the active
   * connection up and opens a session of its own.
   */
  context?: ExportContext | null;
}

const waitForBusyMs = 20_000;

/**
 * Exports hired candidates to the connected HRIS. The order of work per candidate: load
 * through the caller's loaders, check the Hired stage, claim the ledger row, then call the
 * HRIS (outside any transaction): find by email, create or link, upload documents, record.
 */
export function createExportService(deps: {
  prisma: PrismaClient;
  registry: HrisRegistry;
  connections: ConnectionService;
  logger: Logger;
  /** How long a claimed ledger row stays reserved for one attempt. */
  leaseMs?: number;
}) {
  const { prisma, registry, connections } = deps;
  const logger = deps.logger.child({ component: 'hris-export' });
  const leaseMs = deps.leaseMs ?? 5 * 60_000;
  const references = new ReferenceDataCache(60_000);

  async function findHiredApplication(actor: ExportActor, candidateId: string) {
    const applications = await actor.loaders.applicationsByCandidate.load(candidateId);
    const stages = await actor.loaders.stage.loadMany(applications.map((application) => application.stageId));
    const withStage = applications.map((application, index) => {
      const stage = stages[index];
      return { application, stage: stage instanceof Error ? null : stage };
    });
    const hired = withStage
      .filter((entry) => entry.stage?.kind === 'HIRED')
      .sort((a, b) => (b.application.hiredAt?.getTime() ?? 0) - (a.application.hiredAt?.getTime() ?? 0));
    return { withStage, hired };
  }

  async function resolveSupervisor(context: ExportContext | null, session: HrisSession, managers: { email: string; name: string }[]) {
    for (const manager of managers) {
      const found = await findSupervisor(context, session, manager.email);
      if (found.ok && found.value) return { employeeId: found.value.employeeId, email: manager.email };
    }
    return null;
  }

  function pickConnection(all: HrisConnection[], provider: string | null | undefined): HrisConnection | null {
    if (provider) return all.find((connection) => connection.provider === provider) ?? null;
    return all[0] ?? null;
  }

  async function alreadyExported(
    actor: ExportActor,
    row: HrisExport,
    connection: HrisConnection,
    plan: { hire: NewHire | null },
    reference: ReferenceData | null,
    session: HrisSession | null,
  ): Promise<ExportSummary> {
    const plugin = registry.get(connection.provider);
    const updateSupported = Boolean(plugin?.manifest.capabilities.includes('updateEmployee') && session?.updateEmployee);
    const base = {
      kind: 'ALREADY_EXPORTED' as const,
      exportId: row.id,
      candidateId: row.candidateId,
      provider: connection.provider,
      employeeId: row.employeeId ?? '',
      employeeUrl: row.employeeUrl,
      exportedById: row.exportedById,
      exportedAt: (row.firstExportedAt ?? row.updatedAt).toISOString(),
      updateSupported,
    };
    if (!plan.hire || !session || !reference) {
      return { ...base, changes: [], message: 'Already exported; nothing was sent again.' };
    }
    const hash = hashNewHire(plan.hire);
    if (hash === row.payloadHash) {
      return { ...base, changes: [], message: 'Already exported, and nothing changed in the ATS since.' };
    }
    if (!updateSupported || !session.updateEmployee || !row.employeeId) {
      return {
        ...base,
        changes: [],
        message: `Already exported. The ATS data changed since, but ${plugin?.manifest.displayName ?? connection.provider} cannot update employees through this integration, so nothing was sent.`,
      };
    }
    const update = await session.updateEmployee(row.employeeId, plan.hire, reference);
    if (!update.ok) {
      return { kind: 'HRIS_FAILURE', candidateId: row.candidateId, provider: connection.provider, failure: update.failure };
    }
    await prisma.hrisExport.update({ where: { id: row.id }, data: { payloadHash: hash } });
    const changed = update.value.fields.filter((field) => field.status === 'UPDATED');
    void actor;
    return {
      ...base,
      changes: update.value.fields,
      message:
        changed.length > 0
          ? `Already exported; updated ${changed.map((field) => field.field).join(', ')} in the HRIS.`
          : 'Already exported; the HRIS already had the current values.',
    };
  }

  /** Exports one candidate; never throws for expected failures. */
  async function exportCandidate(actor: ExportActor, candidateId: string, options: ExportOptions = {}): Promise<ExportSummary> {
    const startedAt = new Date();
    const attempt = (summary: ExportSummary, extra: Partial<AttemptRecord> = {}): AttemptRecord => ({
      organizationId: actor.organizationId,
      connectionId: null,
      exportId: null,
      candidateId,
      jobId: null,
      batchId: options.batchId ?? null,
      userId: actor.userId,
      startedAt,
      summary,
      ...extra,
    });
    const finishEarly = async (summary: ExportSummary, extra: Partial<AttemptRecord> = {}) => {
      await recordAttempt(prisma, attempt(summary, extra));
      logger.info({ candidateId, organizationId: actor.organizationId, outcome: summary.kind, batchId: options.batchId }, 'Export attempt ended before the HRIS was called');
      return summary;
    };

    const candidate = await actor.loaders.candidate.load(candidateId);
    const { withStage, hired } = candidate ? await findHiredApplication(actor, candidateId) : { withStage: [], hired: [] };
    const visible = withStage.filter((entry) => canSeeJob(actor, entry.application.jobId));
    if (!candidate || (actor.jobIds !== null && visible.length === 0)) {
      // Nothing is stored: an id that names no visible candidate is bad input, not an attempt.
      logger.info({ candidateId, organizationId: actor.organizationId, batchId: options.batchId }, 'Export rejected: candidate not found');
      return { kind: 'CANDIDATE_NOT_FOUND', candidateId, message: `No candidate with id ${candidateId} is visible to you.` };
    }
    const hiredEntry = hired[0];
    if (!hiredEntry) {
      const jobs = await actor.loaders.job.loadMany(visible.map((entry) => entry.application.jobId));
      return finishEarly({
        kind: 'CANDIDATE_NOT_HIRED',
        candidateId,
        currentStages: visible.map((entry, index) => {
          const job = jobs[index];
          return {
            jobTitle: job && !(job instanceof Error) ? job.title : '',
            stageName: entry.stage?.name ?? '',
            stageKind: entry.stage?.kind ?? '',
          };
        }),
        message: 'Only candidates in the Hired stage can be exported; move the candidate to Hired first.',
      });
    }
    const application: Application = hiredEntry.application;
    if (!canSeeJob(actor, application.jobId)) {
      return finishEarly(
        { kind: 'EXPORT_NOT_ALLOWED', candidateId, message: 'Hiring managers can export only candidates hired into jobs they manage.' },
        { jobId: application.jobId },
      );
    }

    const context = options.context ?? null;
    const connection = context?.connection ?? pickConnection(await connections.findActive(actor.organizationId, options.provider), options.provider);
    if (!connection) {
      return finishEarly(
        {
          kind: 'HRIS_NOT_CONNECTED',
          candidateId,
          provider: options.provider ?? null,
          message: options.provider
            ? `No ${options.provider} connection exists; an admin connects one under Settings > Account > Integrations.`
            : 'No HRIS is connected; an admin connects one under Settings > Account > Integrations.',
        },
        { jobId: application.jobId },
      );
    }

    const key = {
      organizationId: actor.organizationId,
      connectionId: connection.id,
      candidateId,
      applicationId: application.id,
      userId: actor.userId,
    };
    // In a batch the ledger rows were loaded together with the candidates.
    const known = context ? ((await actor.loaders.exportsByCandidate.load(candidateId)).find((row) => row.connectionId === connection.id) ?? null) : null;
    let claim = await claimExport(prisma, key, leaseMs, known);
    const waitUntil = Date.now() + waitForBusyMs;
    while (claim.kind === 'BUSY' && Date.now() < waitUntil) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      claim = await claimExport(prisma, key, leaseMs);
    }
    if (claim.kind === 'BUSY') {
      return finishEarly(
        { kind: 'EXPORT_IN_PROGRESS', candidateId, message: 'Another export of this candidate is still running; try again in a minute.' },
        { jobId: application.jobId, connectionId: connection.id, exportId: claim.row.id },
      );
    }

    const attemptBase = { jobId: application.jobId, connectionId: connection.id, exportId: claim.row.id };
    const job = await actor.loaders.job.load(application.jobId);
    const managers = await actor.loaders.hiringManagersByJob.load(application.jobId);
    if (!job) throw new Error(`Application ${application.id} points to a missing job`);

    let session: HrisSession;
    try {
      if (context?.session instanceof Error) throw context.session;
      session = context?.session ?? connections.openSession(connection);
    } catch (error) {
      logger.error({ err: error, connectionId: connection.id }, 'Cannot open HRIS session with stored credentials');
      const summary: ExportSummary = {
        kind: 'HRIS_NOT_CONNECTED',
        candidateId,
        provider: connection.provider,
        message: 'The stored HRIS credentials cannot be used; an admin must reconnect the HRIS.',
      };
      if (claim.kind === 'CLAIMED') {
        await completeExport(prisma, claim.row, { status: 'FAILED', employeeId: null, employeeUrl: null, fieldOutcomes: null, documentOutcomes: null, failure: summary, payloadHash: null }, attempt(summary, attemptBase));
      }
      return summary;
    }

    const reference = await references.get(connection.id, () => session.referenceData());
    const fail = async (failureSummary: ExportSummary) => {
      if (claim.kind === 'CLAIMED') {
        await completeExport(prisma, claim.row, { status: 'FAILED', employeeId: null, employeeUrl: null, fieldOutcomes: null, documentOutcomes: null, failure: failureSummary, payloadHash: null }, attempt(failureSummary, attemptBase));
      } else {
        await recordAttempt(prisma, attempt(failureSummary, attemptBase));
      }
      logger.warn({ candidateId, connectionId: connection.id, outcome: failureSummary.kind, batchId: options.batchId }, 'Export failed');
      return failureSummary;
    };
    if (!reference.ok) return fail({ kind: 'HRIS_FAILURE', candidateId, provider: connection.provider, failure: reference.failure });

    const supervisorCandidates = managers.map((manager) => ({ email: manager.email, name: manager.name }));
    const supervisor = await resolveSupervisor(context, session, supervisorCandidates);
    const plan = planNewHire({ candidate, application, job, supervisor, supervisorCandidates }, reference.value);

    if (claim.kind === 'DONE') {
      const summary = await alreadyExported(actor, claim.row, connection, plan, reference.value, session);
      await recordAttempt(prisma, attempt(summary, attemptBase));
      return summary;
    }

    if (!plan.hire) {
      return fail({
        kind: 'CANDIDATE_DATA_INVALID',
        candidateId,
        problems: plan.blockingProblems,
        message: `The candidate cannot be exported: ${plan.blockingProblems.map((problem) => `${problem.field}: ${problem.message}`).join('; ')}`,
      });
    }
    const hire = plan.hire;

    // Look the email up first: an employee created by a lost response, or entered by hand,
    // is linked, never duplicated.
    const existing = await session.findEmployeeByEmail(hire.email);
    if (!existing.ok) return fail({ kind: 'HRIS_FAILURE', candidateId, provider: connection.provider, failure: existing.failure });

    let employeeId: string;
    let fields: FieldOutcome[];
    let linked = false;
    if (existing.value && !claim.takenOver) {
      employeeId = existing.value.employeeId;
      linked = true;
      fields = newHireFields
        .filter((field) => hire[field] !== undefined)
        .map((field) => ({
          field,
          status: 'NOT_SUPPORTED' as const,
          value: summariseValue(field, hire),
          reason: 'Not sent: an employee with this email already existed in the HRIS and was linked without changes.',
        }));
    } else if (existing.value) {
      // A previous attempt of ours created the employee and then stopped: finish it.
      employeeId = existing.value.employeeId;
      fields = newHireFields
        .filter((field) => hire[field] !== undefined)
        .map((field) => ({ field, status: 'UNVERIFIED' as const, value: summariseValue(field, hire), reason: 'Created by an earlier interrupted attempt; values were not read back.' }));
    } else {
      const created = await session.createEmployee(hire, reference.value);
      if (!created.ok) {
        if (created.failure.kind === 'CONFLICT' && created.failure.existingEmployeeId) {
          employeeId = created.failure.existingEmployeeId;
          linked = true;
          fields = [];
        } else {
          return fail({ kind: 'HRIS_FAILURE', candidateId, provider: connection.provider, failure: created.failure });
        }
      } else {
        employeeId = created.value.employeeId;
        fields = created.value.fields;
      }
    }

    const documents: DocumentOutcome[] = linked
      ? []
      : await transferDocuments({ prisma, actor, candidateId, employeeId, session, reference: reference.value, supportsDocuments: registry.supports(connection.provider, 'documents'), logger });

    const allFields = orderOutcomes([...fields, ...plan.outcomes]);
    const complete =
      allFields.every((field) => field.status === 'SENT' || fieldsWithoutAtsSource.has(field.field)) && documents.every((doc) => doc.status === 'UPLOADED');
    const employeeUrl = session.employeeUrl(employeeId);
    const common = { exportId: claim.row.id, candidateId, provider: connection.provider, employeeId, employeeUrl, fields: allFields, documents };
    let status: 'EXPORTED' | 'PARTIALLY_EXPORTED' | 'LINKED' = complete ? 'EXPORTED' : 'PARTIALLY_EXPORTED';
    if (linked) status = 'LINKED';
    const summary: ExportSummary =
      status === 'LINKED'
        ? { kind: 'LINKED_EXISTING_EMPLOYEE', matchedEmail: existing.ok && existing.value?.email ? existing.value.email : hire.email, ...common }
        : { kind: status, ...common };

    await completeExport(
      prisma,
      claim.row,
      {
        status,
        employeeId,
        employeeUrl,
        fieldOutcomes: allFields,
        documentOutcomes: documents,
        failure: null,
        payloadHash: hashNewHire(hire),
      },
      attempt(summary, attemptBase),
    );
    logger.info({ candidateId, connectionId: connection.id, employeeId, outcome: summary.kind, batchId: options.batchId, durationMs: Date.now() - startedAt.getTime() }, 'Candidate exported');
    return summary;
  }

  return { exportCandidate, references };
}

function orderOutcomes(outcomes: FieldOutcome[]): FieldOutcome[] {
  const order = new Map(newHireFields.map((field, index) => [field, index]));
  return [...outcomes].sort((a, b) => (order.get(a.field) ?? 99) - (order.get(b.field) ?? 99));
}

export type ExportService = ReturnType<typeof createExportService>;
