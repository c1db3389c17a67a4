/** Access rights and readable attributes of a Personio API credential, keyed as in `PermissionCheck.key`. */

const CREDENTIAL_STEPS = 'In Personio, open Marketplace > Connected integrations > your custom integration, edit the API credential and';

export interface PermissionDefinition {
  key: string;
  label: string;
  required: boolean;
  /** Change to make in Personio when the permission is not granted. */
  remediation: string;
  /** Scope names in the `scope` string of `POST /v1/auth` that grant it; v2 names are accepted too. */
  scopes: readonly string[];
}

function accessRight(key: string, area: string, access: 'Read' | 'Write', required: boolean, extraScopes: readonly string[] = []): PermissionDefinition {
  const remediation = required
    ? `${CREDENTIAL_STEPS} tick ${area}: ${access}.`
    : `Exports do not need this right. To grant it anyway: ${CREDENTIAL_STEPS.charAt(0).toLowerCase()}${CREDENTIAL_STEPS.slice(1)} tick ${area}: ${access}.`;
  return { key, label: `${area}: ${access}`, required, remediation, scopes: [key, ...extraScopes] };
}

function readableAttribute(key: string, label: string): PermissionDefinition {
  return {
    key: `attribute:${key}`,
    label: `Readable attribute: ${label}`,
    required: true,
    remediation: `${CREDENTIAL_STEPS} add "${label}" to the readable employee attributes (they appear once Employees: Read is ticked).`,
    scopes: [],
  };
}

export const PERMISSIONS = {
  employeesRead: accessRight('employees:read', 'Employees', 'Read', true, ['personio:persons:read']),
  employeesWrite: accessRight('employees:write', 'Employees', 'Write', true, ['personio:persons:write']),
  documentsRead: accessRight('documents:read', 'Documents', 'Read', true),
  documentsWrite: accessRight('documents:write', 'Documents', 'Write', true),
  attendancesRead: accessRight('attendances:read', 'Attendances', 'Read', false, ['personio:attendances:read']),
  attendancesWrite: accessRight('attendances:write', 'Attendances', 'Write', false, ['personio:attendances:write']),
  absencesRead: accessRight('absences:read', 'Absences', 'Read', false, ['personio:absences:read']),
  absencesWrite: accessRight('absences:write', 'Absences', 'Write', false, ['personio:absences:write']),
  customReportsRead: accessRight('reports.custom:read', 'Custom Reports', 'Read', false),
  email: readableAttribute('email', 'Email'),
  firstName: readableAttribute('first_name', 'First name'),
  lastName: readableAttribute('last_name', 'Last name'),
} as const satisfies Record<string, PermissionDefinition>;

/** Attribute keys that every export reads: the email finds duplicates, the names confirm a match. */
export const REQUIRED_ATTRIBUTES = [PERMISSIONS.email, PERMISSIONS.firstName, PERMISSIONS.lastName] as const;
