import type {
  ExportDocumentOutcomeFieldsFragment,
  ExportFieldOutcomeFieldsFragment,
  ExportSummaryFieldsFragment,
  PermissionCheckFieldsFragment,
} from '../../src/client/index.ts';
import { print, printTable } from './output.ts';

/** Summary members for a candidate who has an employee in the HRIS after the export. */
export const EMPLOYEE_TYPENAMES = ['CandidateExported', 'CandidatePartiallyExported', 'CandidateLinkedToExistingEmployee'] as const;

export type EmployeeSummary = Extract<ExportSummaryFieldsFragment, { __typename: (typeof EMPLOYEE_TYPENAMES)[number] }>;
export type AlreadyExportedSummary = Extract<ExportSummaryFieldsFragment, { __typename: 'CandidateAlreadyExported' }>;

export function isEmployeeSummary(summary: ExportSummaryFieldsFragment | null | undefined): summary is EmployeeSummary {
  return (EMPLOYEE_TYPENAMES as readonly string[]).includes(summary?.__typename ?? '');
}

/** Field statuses under which the value reached the HRIS. */
const DELIVERED = new Set(['SENT', 'UPDATED', 'UNCHANGED']);

/** Returns the summary's type name with its message, for a line that explains an unexpected result. */
export function describeSummary(summary: ExportSummaryFieldsFragment): string {
  const message = 'message' in summary ? `: ${summary.message}` : '';
  return `${summary.__typename}${message}`;
}

function fieldReason(field: ExportFieldOutcomeFieldsFragment): string {
  const suggestion = field.suggestion ? ` Closest value in the HRIS: "${field.suggestion}".` : '';
  return `${field.reason ?? ''}${suggestion}`.trim();
}

/** Prints the fields sent, the fields not sent with the reason, and the documents. */
export function printOutcomes(fields: readonly ExportFieldOutcomeFieldsFragment[], documents: readonly ExportDocumentOutcomeFieldsFragment[]): void {
  const sent = fields.filter((field) => DELIVERED.has(field.status));
  const notSent = fields.filter((field) => !DELIVERED.has(field.status));

  print();
  print(`Fields sent (${sent.length}):`);
  printTable(
    ['Field', 'Status', 'Value'],
    sent.map((field) => [field.field, field.status, field.value ?? '']),
  );
  print();
  print(`Fields not sent or not confirmed (${notSent.length}):`);
  if (notSent.length === 0) print('  none');
  else printTable(['Field', 'Status', 'Why'], notSent.map((field) => [field.field, field.status, fieldReason(field)]));
  print();
  print(`Documents (${documents.length}):`);
  if (documents.length === 0) print('  none');
  else {
    printTable(
      ['File', 'Kind', 'Status', 'Category or reason'],
      documents.map((document) => [document.fileName, document.kind, document.status, document.category ?? document.reason ?? '']),
    );
  }
}

/** Prints the result of a single export that created or linked an employee. */
export function printEmployeeSummary(name: string, summary: EmployeeSummary, providerNames: ReadonlyMap<string, string>): void {
  const verb = summary.__typename === 'CandidateLinkedToExistingEmployee' ? 'Linked' : 'Exported';
  const partly = summary.__typename === 'CandidatePartiallyExported' ? ' (partially: see below)' : '';
  print(`${verb} ${name} to ${providerNames.get(summary.provider) ?? summary.provider} as employee ${summary.employeeId}${partly}.`);
  if (summary.employeeUrl) print(`Employee page: ${summary.employeeUrl}`);
  printOutcomes(summary.fields, summary.documents);
}

export function printAlreadyExported(name: string, summary: AlreadyExportedSummary, providerNames: ReadonlyMap<string, string>): void {
  const by = summary.exportedBy ? ` by ${summary.exportedBy.name}` : '';
  print(`${name} is already employee ${summary.employeeId} in ${providerNames.get(summary.provider) ?? summary.provider}, exported ${summary.exportedAt}${by}.`);
  print(`The service says: ${summary.message}`);
}

/** Prints the permission report of a connection: required rights first, then optional ones. */
export function printPermissions(permissions: readonly PermissionCheckFieldsFragment[], warnings: readonly PermissionCheckFieldsFragment[]): void {
  const checks = [...permissions, ...warnings.filter((warning) => !permissions.some((permission) => permission.key === warning.key))];
  const ordered = [...checks.filter((check) => check.required), ...checks.filter((check) => !check.required)];
  printTable(
    ['Permission', 'Required', 'Status', 'Remediation'],
    ordered.map((check) => [check.label, check.required ? 'yes' : 'no', check.status, check.remediation ?? '']),
  );
}
