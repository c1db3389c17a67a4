import { resolveOffsetConnection } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import type { HrisExport, HrisExportAttempt, HrisExportBatch, HrisExportBatchItem } from '../generated/prisma/client.ts';
import type { FieldOutcome } from '../hris/plugin.ts';
import { successfulOutcomes, type DocumentOutcome, type ExportSummary } from '../hris/exports/summary.ts';
import type { ExportActor } from '../hris/exports/service.ts';
import { builder } from './builder.ts';
import { CandidateRef, staffScopes } from './candidates.ts';
import { requireViewer, type GraphQLContext } from './context.ts';
import { decodeId, requireId, requireUuid } from './ids.ts';
import { checkConnectionArguments, pageSize } from './pagination.ts';
import { loadVisibleJob } from './jobs.ts';
import {
  HrisConflictRef,
  HrisUnavailableRef,
  InvalidCredentialsRef,
  InvalidInputRef,
  MissingPermissionRef,
  RateLimitedRef,
  RejectedByHrisRef,
  failureTypeNames,
} from './results.ts';
import { UserRef } from './users.ts';

// ---------------------------------------------------------------------------
// Outcome types

const FieldStatusEnum = builder.enumType('ExportFieldStatus', {
  values: {
    SENT: { description: 'Sent, accepted, and read back with the same value.' },
    UNVERIFIED: { description: 'Sent and accepted, but the credential cannot read it back.' },
    IGNORED_BY_HRIS: { description: 'Sent, but the HRIS ignored it (see reason).' },
    MISSING_IN_ATS: { description: 'Not sent: the ATS has no value.' },
    INVALID: { description: 'Not sent: the ATS value breaks a rule (see reason).' },
    NO_MATCHING_VALUE: { description: 'Not sent: the HRIS has no matching value (see suggestion).' },
    NOT_SUPPORTED: { description: 'Not sent: the HRIS has no field for it, or the employee was linked unchanged.' },
    UPDATED: { description: 'Repeated export: the HRIS value differed and was updated.' },
    UNCHANGED: { description: 'Repeated export: the HRIS value already matched.' },
  } as const,
});

const FieldOutcomeRef = builder.objectRef<FieldOutcome>('ExportFieldOutcome').implement({
  description: 'What happened to one field of the new employee.',
  fields: (t) => ({
    field: t.exposeString('field', { description: 'Field of the provider-neutral new hire, for example department.' }),
    status: t.expose('status', { type: FieldStatusEnum }),
    value: t.exposeString('value', { nullable: true, description: 'The value sent, or that would have been sent.' }),
    previousValue: t.string({ nullable: true, resolve: (outcome) => outcome.previousValue ?? null }),
    reason: t.exposeString('reason', { nullable: true }),
    suggestion: t.string({ nullable: true, description: 'Closest existing HRIS value, for NO_MATCHING_VALUE.', resolve: (outcome) => outcome.suggestion ?? null }),
  }),
});

const DocumentStatusEnum = builder.enumType('ExportDocumentStatus', { values: ['UPLOADED', 'FAILED', 'NOT_SUPPORTED', 'SKIPPED'] as const });

const DocumentOutcomeRef = builder.objectRef<DocumentOutcome>('ExportDocumentOutcome').implement({
  fields: (t) => ({
    documentId: t.exposeID('documentId'),
    fileName: t.exposeString('fileName'),
    kind: t.exposeString('kind'),
    status: t.expose('status', { type: DocumentStatusEnum }),
    hrisDocumentId: t.exposeString('hrisDocumentId', { nullable: true }),
    category: t.exposeString('category', { nullable: true, description: 'HRIS document category the file was filed under.' }),
    reason: t.exposeString('reason', { nullable: true }),
  }),
});

type Of<K extends ExportSummary['kind']> = Extract<ExportSummary, { kind: K }>;
type EmployeeSummary = Of<'EXPORTED'> | Of<'PARTIALLY_EXPORTED'> | Of<'LINKED_EXISTING_EMPLOYEE'>;

function employeeFields<T extends EmployeeSummary>(name: string, description: string, extra?: (t: any) => object) {
  return builder.objectRef<T>(name).implement({
    description,
    fields: (t) => ({
      candidate: t.field({ type: CandidateRef, nullable: true, resolve: (summary, _args, context) => requireViewer(context).loaders.candidate.load(summary.candidateId) }),
      provider: t.string({ resolve: (summary) => summary.provider }),
      employeeId: t.string({ description: 'Id of the employee in the HRIS.', resolve: (summary) => summary.employeeId }),
      employeeUrl: t.string({ nullable: true, description: 'Link to the employee in the HRIS web app.', resolve: (summary) => summary.employeeUrl }),
      fields: t.field({ type: [FieldOutcomeRef], resolve: (summary) => summary.fields }),
      documents: t.field({ type: [DocumentOutcomeRef], resolve: (summary) => summary.documents }),
      notSent: t.field({
        type: [FieldOutcomeRef],
        description: 'The fields that did not reach the HRIS as sent, with the reason.',
        resolve: (summary) => summary.fields.filter((field) => field.status !== 'SENT'),
      }),
      ...(extra ? extra(t) : {}),
    }),
  });
}

const ExportedRef = employeeFields<Of<'EXPORTED'>>('CandidateExported', 'Every field the ATS has a value for and every document reached the HRIS. notSent lists only fields the ATS has no column for, such as subcompany.');
const PartiallyExportedRef = employeeFields<Of<'PARTIALLY_EXPORTED'>>(
  'CandidatePartiallyExported',
  'The employee was created, but some fields or documents did not make it; notSent says which and why.',
);
const LinkedRef = employeeFields<Of<'LINKED_EXISTING_EMPLOYEE'>>(
  'CandidateLinkedToExistingEmployee',
  'An employee with the candidate\'s email already existed in the HRIS; it was linked, not duplicated, and left unchanged.',
  (t) => ({ matchedEmail: t.string({ resolve: (summary: Of<'LINKED_EXISTING_EMPLOYEE'>) => summary.matchedEmail }) }),
);

const AlreadyExportedRef = builder.objectRef<Of<'ALREADY_EXPORTED'>>('CandidateAlreadyExported').implement({
  description: 'The candidate was exported before; no second employee was created.',
  fields: (t) => ({
    candidate: t.field({ type: CandidateRef, nullable: true, resolve: (summary, _args, context) => requireViewer(context).loaders.candidate.load(summary.candidateId) }),
    provider: t.exposeString('provider'),
    employeeId: t.exposeString('employeeId'),
    employeeUrl: t.exposeString('employeeUrl', { nullable: true }),
    exportedBy: t.field({
      type: UserRef,
      nullable: true,
      resolve: (summary, _args, context) => (summary.exportedById ? requireViewer(context).loaders.user.load(summary.exportedById) : null),
    }),
    exportedAt: t.field({ type: 'DateTime', resolve: (summary) => new Date(summary.exportedAt) }),
    updateSupported: t.exposeBoolean('updateSupported', { description: 'Whether the provider can update the employee on a repeated export.' }),
    changes: t.field({ type: [FieldOutcomeRef], description: 'Fields compared on this repeat: UPDATED or UNCHANGED.', resolve: (summary) => summary.changes }),
    message: t.exposeString('message'),
  }),
});

const simpleFailure = (name: string, description: string) =>
  builder.objectRef<{ candidateId: string; message: string }>(name).implement({
    description,
    fields: (t) => ({
      candidateId: t.id({ resolve: (summary) => summary.candidateId }),
      message: t.string({ resolve: (summary) => summary.message }),
    }),
  });

const NotFoundRef = simpleFailure('CandidateNotFound', 'No candidate with this id is visible to the caller.');
const NotAllowedRef = simpleFailure('ExportNotAllowed', 'The caller may not export this candidate.');
const InProgressRef = simpleFailure('ExportInProgress', 'Another export of this candidate is still running.');

const StageInfoRef = builder.objectRef<Of<'CANDIDATE_NOT_HIRED'>['currentStages'][number]>('CandidateStageInfo').implement({
  fields: (t) => ({ jobTitle: t.exposeString('jobTitle'), stageName: t.exposeString('stageName'), stageKind: t.exposeString('stageKind') }),
});

const NotHiredRef = builder.objectRef<Of<'CANDIDATE_NOT_HIRED'>>('CandidateNotHired').implement({
  description: 'The candidate is not in a Hired stage.',
  fields: (t) => ({
    candidateId: t.exposeID('candidateId'),
    message: t.exposeString('message'),
    currentStages: t.field({ type: [StageInfoRef], resolve: (summary) => summary.currentStages }),
  }),
});

const NotConnectedRef = builder.objectRef<Of<'HRIS_NOT_CONNECTED'>>('HrisNotConnected').implement({
  description: 'No usable HRIS connection exists; an admin must connect one.',
  fields: (t) => ({ provider: t.exposeString('provider', { nullable: true }), message: t.exposeString('message') }),
});

const DataInvalidRef = builder.objectRef<Of<'CANDIDATE_DATA_INVALID'>>('CandidateDataInvalid').implement({
  description: 'A required field of the candidate is missing or invalid, so no employee was created.',
  fields: (t) => ({
    candidateId: t.exposeID('candidateId'),
    message: t.exposeString('message'),
    problems: t.field({
      type: [builder.objectRef<{ field: string; message: string }>('CandidateDataProblem').implement({
        fields: (p) => ({ field: p.exposeString('field'), message: p.exposeString('message') }),
      })],
      resolve: (summary) => summary.problems,
    }),
  }),
});

export const summaryTypeNames: Record<Exclude<ExportSummary['kind'], 'HRIS_FAILURE'>, string> = {
  EXPORTED: 'CandidateExported',
  PARTIALLY_EXPORTED: 'CandidatePartiallyExported',
  LINKED_EXISTING_EMPLOYEE: 'CandidateLinkedToExistingEmployee',
  ALREADY_EXPORTED: 'CandidateAlreadyExported',
  CANDIDATE_NOT_FOUND: 'CandidateNotFound',
  CANDIDATE_NOT_HIRED: 'CandidateNotHired',
  EXPORT_NOT_ALLOWED: 'ExportNotAllowed',
  HRIS_NOT_CONNECTED: 'HrisNotConnected',
  CANDIDATE_DATA_INVALID: 'CandidateDataInvalid',
  EXPORT_IN_PROGRESS: 'ExportInProgress',
};

/** Turns a stored summary into the value of its union member. */
function toUnionValue(summary: ExportSummary): object {
  if (summary.kind === 'HRIS_FAILURE') return { ...summary.failure, __typename: failureTypeNames[summary.failure.kind] };
  return { ...summary, __typename: summaryTypeNames[summary.kind] };
}

const ExportSummaryUnion = builder.unionType('ExportSummary', {
  description: 'The result of exporting one candidate.',
  types: [
    ExportedRef, PartiallyExportedRef, LinkedRef, AlreadyExportedRef, NotFoundRef, NotHiredRef, NotAllowedRef, NotConnectedRef,
    DataInvalidRef, InProgressRef, MissingPermissionRef, RejectedByHrisRef, RateLimitedRef, HrisUnavailableRef, InvalidCredentialsRef, HrisConflictRef,
  ],
  resolveType: (value) => (value as unknown as { __typename: string }).__typename,
});

// ---------------------------------------------------------------------------
// Ledger, history and batches

const LedgerStatusEnum = builder.enumType('HrisExportStatus', { values: ['PENDING', 'EXPORTED', 'PARTIALLY_EXPORTED', 'LINKED', 'FAILED'] as const });

const HrisExportRef = builder.objectRef<HrisExport>('HrisExport').implement({
  description: 'The export state of one candidate for one HRIS connection.',
  fields: (t) => ({
    id: t.exposeID('id'),
    status: t.expose('status', { type: LedgerStatusEnum }),
    employeeId: t.exposeString('employeeId', { nullable: true }),
    employeeUrl: t.exposeString('employeeUrl', { nullable: true }),
    exportedBy: t.field({ type: UserRef, nullable: true, resolve: (row, _args, context) => (row.exportedById ? requireViewer(context).loaders.user.load(row.exportedById) : null) }),
    firstExportedAt: t.expose('firstExportedAt', { type: 'DateTime', nullable: true }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    fields: t.field({ type: [FieldOutcomeRef], resolve: (row) => (row.fieldOutcomes as FieldOutcome[] | null) ?? [] }),
    documents: t.field({ type: [DocumentOutcomeRef], resolve: (row) => (row.documentOutcomes as DocumentOutcome[] | null) ?? [] }),
  }),
});

const AttemptRef = builder.objectRef<HrisExportAttempt>('HrisExportAttempt').implement({
  description: 'One export attempt, successful or not.',
  fields: (t) => ({
    id: t.exposeID('id'),
    outcome: t.exposeString('outcome'),
    candidate: t.field({ type: CandidateRef, nullable: true, resolve: (row, _args, context) => requireViewer(context).loaders.candidate.load(row.candidateId) }),
    user: t.field({ type: UserRef, nullable: true, resolve: (row, _args, context) => (row.userId ? requireViewer(context).loaders.user.load(row.userId) : null) }),
    employeeId: t.exposeString('employeeId', { nullable: true }),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    durationMs: t.exposeInt('durationMs'),
    batchId: t.exposeID('batchId', { nullable: true }),
    summary: t.field({ type: ExportSummaryUnion, resolve: (row) => toUnionValue(row.summary as unknown as ExportSummary) as never }),
  }),
});

type BatchWithItems = HrisExportBatch & { items: HrisExportBatchItem[] };

const BatchStatusEnum = builder.enumType('HrisExportBatchStatus', { values: ['RUNNING', 'COMPLETED', 'INTERRUPTED'] as const });
const OutcomeCountRef = builder.objectRef<{ outcome: string; count: number }>('ExportOutcomeCount').implement({
  fields: (t) => ({ outcome: t.exposeString('outcome'), count: t.exposeInt('count') }),
});

const BatchItemRef = builder.objectRef<HrisExportBatchItem>('HrisExportBatchItem').implement({
  fields: (t) => ({
    position: t.exposeInt('position'),
    candidateId: t.exposeID('candidateId'),
    candidate: t.field({ type: CandidateRef, nullable: true, resolve: (item, _args, context) => requireViewer(context).loaders.candidate.load(item.candidateId) }),
    status: t.exposeString('status', { description: 'QUEUED, RUNNING or DONE.' }),
    outcome: t.exposeString('outcome', { nullable: true }),
    summary: t.field({ type: ExportSummaryUnion, nullable: true, resolve: (item) => (item.summary ? (toUnionValue(item.summary as unknown as ExportSummary) as never) : null) }),
  }),
});

const BatchRef = builder.objectRef<BatchWithItems>('HrisExportBatch').implement({
  description: 'A bulk export with one result per candidate.',
  fields: (t) => ({
    id: t.exposeID('id'),
    status: t.expose('status', { type: BatchStatusEnum }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
    total: t.int({ resolve: (batch) => batch.items.length }),
    done: t.int({ description: 'Items finished so far; follow it for progress.', resolve: (batch) => batch.items.filter((item) => item.status === 'DONE').length }),
    succeeded: t.int({
      description: 'Candidates that have an employee in the HRIS after this batch.',
      resolve: (batch) => batch.items.filter((item) => item.outcome && (successfulOutcomes as readonly string[]).includes(item.outcome)).length,
    }),
    failed: t.int({
      resolve: (batch) => batch.items.filter((item) => item.outcome && !(successfulOutcomes as readonly string[]).includes(item.outcome)).length,
    }),
    totals: t.field({
      type: [OutcomeCountRef],
      description: 'Number of candidates per outcome.',
      resolve: (batch) => {
        const counts = new Map<string, number>();
        for (const item of batch.items) if (item.outcome) counts.set(item.outcome, (counts.get(item.outcome) ?? 0) + 1);
        return [...counts].map(([outcome, count]) => ({ outcome, count })).sort((a, b) => a.outcome.localeCompare(b.outcome));
      },
    }),
    items: t.field({ type: [BatchItemRef], resolve: (batch) => batch.items }),
  }),
});

// ---------------------------------------------------------------------------
// Fields

async function exportActor(context: GraphQLContext): Promise<ExportActor> {
  const { loaders } = requireViewer(context);
  return { ...(await context.accessScope()), loaders };
}

async function loadBatch(context: GraphQLContext, batchId: string): Promise<BatchWithItems | null> {
  const organizationId = requireViewer(context).viewer.organization.id;
  return context.prisma.hrisExportBatch.findFirst({
    where: { id: batchId, organizationId, ...(context.viewer?.role === 'HIRING_MANAGER' ? { requestedById: context.viewer.user.id } : {}) },
    include: { items: { orderBy: { position: 'asc' } } },
  });
}

/** The format of a plugin's manifest key, as the registry (src/hris/registry.ts) enforces it. */
const providerKeyPattern = /^[a-z][a-z0-9-]{1,39}$/;

/**
 * Returns why `provider` cannot be a provider key, or null when it is left out or well-formed.
 * A well-formed key of a provider that is not connected ends in HrisNotConnected.
 */
function checkProvider(provider: string | null | undefined): string | null {
  if (provider == null || providerKeyPattern.test(provider)) return null;
  const shown = JSON.stringify(provider.length > 40 ? `${provider.slice(0, 40)}…` : provider);
  return `${shown} is not a provider key: give 2 to 40 lower-case letters, digits or hyphens, such as personio (see hrisProviders), or leave provider out to use the connected HRIS.`;
}

builder.objectField(CandidateRef, 'hrisExports', (t) =>
  t.field({
    type: [HrisExportRef],
    description: 'Export state of this candidate per HRIS connection.',
    resolve: (candidate, _args, context) => requireViewer(context).loaders.exportsByCandidate.load(candidate.id),
  }),
);

const ExportCandidateInput = builder.inputType('ExportCandidateToHrisInput', {
  fields: (t) => ({
    candidateId: t.id({ required: true }),
    provider: t.string({ required: false, description: 'Provider key, such as personio; defaults to the connected HRIS.' }),
  }),
});

const ExportCandidatesInput = builder.inputType('ExportCandidatesToHrisInput', {
  description: 'Give candidateIds (a selection) or jobId (every hire of the job), not both.',
  fields: (t) => ({
    candidateIds: t.idList({ required: false }),
    jobId: t.id({ required: false, description: 'Exports every candidate in the job\'s Hired stage.' }),
    provider: t.string({ required: false }),
    waitSeconds: t.int({
      required: false,
      defaultValue: 60,
      description: 'How long the mutation waits for the batch to finish before returning it still RUNNING (0 to 300); follow progress with hrisExportBatch.',
    }),
  }),
});

const BatchResult = builder.unionType('ExportCandidatesResult', {
  types: [BatchRef, InvalidInputRef, NotConnectedRef],
  resolveType: (value) => (value as unknown as { __typename?: string }).__typename ?? 'HrisExportBatch',
});

builder.mutationFields((t) => ({
  exportCandidateToHris: t.field({
    type: ExportSummaryUnion,
    authScopes: staffScopes,
    description: 'Exports one hired candidate to the connected HRIS as a new employee. Safe to repeat.',
    args: { input: t.arg({ type: ExportCandidateInput, required: true }) },
    resolve: async (_root, args, context) => {
      const providerProblem = checkProvider(args.input.provider);
      if (providerProblem) throw new GraphQLError(`input.provider ${providerProblem}`, { extensions: { code: 'BAD_USER_INPUT' } });
      const id = decodeId(String(args.input.candidateId), 'Candidate');
      if (!id) return toUnionValue({ kind: 'CANDIDATE_NOT_FOUND', candidateId: String(args.input.candidateId), message: 'input.candidateId is not a Candidate ID.' }) as never;
      const summary = await context.services.exports.exportCandidate(await exportActor(context), id, { provider: args.input.provider ?? null });
      return toUnionValue(summary) as never;
    },
  }),
  exportCandidatesToHris: t.field({
    type: BatchResult,
    authScopes: staffScopes,
    description: 'Exports a selection of candidates, or every hire of a job, with one result per candidate. Candidates already exported are not exported again.',
    args: { input: t.arg({ type: ExportCandidatesInput, required: true }) },
    resolve: async (_root, args, context) => {
      const providerProblem = checkProvider(args.input.provider);
      if (providerProblem) return { __typename: 'InvalidInput', problems: [{ field: 'input.provider', message: providerProblem }] } as never;
      const result = await context.services.startBulkExport(await exportActor(context), {
        candidateIds: args.input.candidateIds?.map(String) ?? null,
        jobId: args.input.jobId == null ? null : String(args.input.jobId),
        provider: args.input.provider ?? null,
        waitSeconds: args.input.waitSeconds ?? 60,
      });
      if (result.kind === 'INVALID_INPUT') return { __typename: 'InvalidInput', problems: result.problems } as never;
      if (result.kind === 'NOT_CONNECTED') return toUnionValue(result.summary) as never;
      return (await loadBatch(context, result.batchId)) as never;
    },
  }),
  resumeHrisExportBatch: t.field({
    type: BatchRef,
    nullable: true,
    authScopes: staffScopes,
    description: 'Resumes an interrupted bulk export; candidates already exported are skipped. Null when the id is unknown or the batch is complete.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, context) => {
      const batch = await loadBatch(context, requireUuid(args.id, 'HrisExportBatch', 'id'));
      if (!batch || batch.status === 'COMPLETED') return null;
      await context.services.batches.resume(batch.organizationId, batch.id);
      return loadBatch(context, batch.id);
    },
  }),
}));

builder.queryFields((t) => ({
  hrisExportBatch: t.field({
    type: BatchRef,
    nullable: true,
    authScopes: staffScopes,
    description: 'A bulk export and its progress. Null when the id is unknown.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, context) => {
      return loadBatch(context, requireUuid(args.id, 'HrisExportBatch', 'id'));
    },
  }),
  hrisExportHistory: t.connection({
    type: AttemptRef,
    authScopes: staffScopes,
    description: 'Export attempts of the organization, newest first; with jobId, only that job\'s. Hiring managers see their jobs\' attempts.',
    args: { jobId: t.arg.id({ required: false }) },
    resolve: async (_root, args, context) => {
      checkConnectionArguments(args);
      const scope = await context.accessScope();
      const jobId = args.jobId == null ? null : requireId(args.jobId, 'Job', 'jobId');
      if (jobId && !(await loadVisibleJob(context, jobId))) return resolveOffsetConnection({ args, ...pageSize }, () => []);
      return resolveOffsetConnection({ args, ...pageSize }, ({ offset, limit }) =>
        context.prisma.hrisExportAttempt.findMany({
          where: {
            organizationId: scope.organizationId,
            ...(jobId ? { jobId } : scope.jobIds === null ? {} : { jobId: { in: [...scope.jobIds] } }),
          },
          orderBy: [{ startedAt: 'desc' }, { id: 'asc' }],
          skip: offset,
          take: limit,
        }),
      );
    },
  }),
}));

