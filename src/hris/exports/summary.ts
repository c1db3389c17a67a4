import type { FieldOutcome, HrisFailure } from '../plugin.ts';

/** Outcome of one candidate document during an export. */
export interface DocumentOutcome {
  documentId: string;
  fileName: string;
  kind: string;
  status: 'UPLOADED' | 'FAILED' | 'NOT_SUPPORTED' | 'SKIPPED';
  hrisDocumentId: string | null;
  category: string | null;
  reason: string | null;
}

interface EmployeeResult {
  exportId: string;
  candidateId: string;
  provider: string;
  employeeId: string;
  employeeUrl: string | null;
  fields: FieldOutcome[];
  documents: DocumentOutcome[];
}

/**
 * The result of exporting one candidate. Plain JSON, so the same value is returned by the
 * single export, stored with bulk-export items and read back by progress queries.
 */
export type ExportSummary =
  | ({ kind: 'EXPORTED' } & EmployeeResult)
  | ({ kind: 'PARTIALLY_EXPORTED' } & EmployeeResult)
  | ({ kind: 'LINKED_EXISTING_EMPLOYEE'; matchedEmail: string } & EmployeeResult)
  | {
      kind: 'ALREADY_EXPORTED';
      exportId: string;
      candidateId: string;
      provider: string;
      employeeId: string;
      employeeUrl: string | null;
      exportedById: string | null;
      exportedAt: string;
      updateSupported: boolean;
      /** Fields compared with the HRIS on this repeat: UPDATED or UNCHANGED. Empty when nothing was sent. */
      changes: FieldOutcome[];
      message: string;
    }
  | { kind: 'CANDIDATE_NOT_FOUND'; candidateId: string; message: string }
  | { kind: 'CANDIDATE_NOT_HIRED'; candidateId: string; currentStages: { jobTitle: string; stageName: string; stageKind: string }[]; message: string }
  | { kind: 'EXPORT_NOT_ALLOWED'; candidateId: string; message: string }
  | { kind: 'HRIS_NOT_CONNECTED'; candidateId: string; provider: string | null; message: string }
  | { kind: 'CANDIDATE_DATA_INVALID'; candidateId: string; problems: { field: string; message: string }[]; message: string }
  | { kind: 'EXPORT_IN_PROGRESS'; candidateId: string; message: string }
  | { kind: 'HRIS_FAILURE'; candidateId: string; provider: string; failure: HrisFailure };

export type ExportOutcome = ExportSummary['kind'];

/** Outcomes that leave the candidate with an employee in the HRIS. */
export const successfulOutcomes: readonly ExportOutcome[] = ['EXPORTED', 'PARTIALLY_EXPORTED', 'LINKED_EXISTING_EMPLOYEE', 'ALREADY_EXPORTED'];

/** Returns the outcome label stored and counted for a summary. HRIS failures count by their kind. */
export function outcomeLabel(summary: ExportSummary): string {
  return summary.kind === 'HRIS_FAILURE' ? `HRIS_${summary.failure.kind}` : summary.kind;
}
