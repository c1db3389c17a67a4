import { failure, success, type HrisResult, type PermissionCheck, type PermissionStatus, type VerificationReport } from '../../src/hris/index.ts';
import { toFailure } from './failures.ts';
import type { ApiResult } from './http/api-error.ts';
import type { PersonioHttpClient } from './http/client.ts';
import { PERMISSIONS, REQUIRED_ATTRIBUTES, type PermissionDefinition } from './permissions.ts';
import { attributeListSchema, documentCategoryListSchema, employeeListSchema } from './schemas.ts';

/** Result of one read probe: granted, or refused with 401 or 403 although the credential has a valid token. */
type ProbeResult = 'granted' | 'forbidden';

export interface VerificationEvidence {
  /** Access rights from `POST /v1/auth`, or null when the response had no `scope`. */
  scopes: readonly string[] | null;
  /** Keys from `GET /v1/company/employees/attributes`, or `forbidden`. */
  readableAttributes: readonly string[] | 'forbidden';
  documentCategories: ProbeResult;
  employees: ProbeResult;
}

/**
 * Checks a credential with `POST /v1/auth` and three reads. Read rights are proven by the reads;
 * write rights only by the `scope` string of the auth response, because Personio offers no dry run.
 */
export async function verifyCredential(client: PersonioHttpClient): Promise<HrisResult<VerificationReport>> {
  const token = await client.token();
  if (!token.ok) {
    return failure(toFailure(token.error, { action: 'get an access token', permission: PERMISSIONS.employeesRead }));
  }

  const [attributes, categories, employees] = await Promise.all([
    client.send({ method: 'GET', path: '/v1/company/employees/attributes', idempotent: true }, attributeListSchema),
    client.send({ method: 'GET', path: '/v1/company/document-categories', idempotent: true }, documentCategoryListSchema),
    client.send({ method: 'GET', path: '/v1/company/employees', query: [['limit', '1']], idempotent: true }, employeeListSchema),
  ]);

  const probes = [
    { result: attributes, action: 'list the readable employee attributes', permission: PERMISSIONS.employeesRead },
    { result: categories, action: 'list the document categories', permission: PERMISSIONS.documentsRead },
    { result: employees, action: 'list employees', permission: PERMISSIONS.employeesRead },
  ];
  for (const probe of probes) {
    if (!probe.result.ok && !isForbidden(probe.result)) {
      return failure(toFailure(probe.result.error, probe));
    }
  }

  return success(
    buildVerificationReport({
      scopes: token.value.scopes,
      readableAttributes: attributes.ok ? attributes.value.data.map((attribute) => attribute.key) : 'forbidden',
      documentCategories: categories.ok ? 'granted' : 'forbidden',
      employees: employees.ok ? 'granted' : 'forbidden',
    }),
  );
}

function isForbidden(result: ApiResult<unknown>): boolean {
  return !result.ok && result.error.kind === 'http' && result.error.stage === 'request' && (result.error.status === 401 || result.error.status === 403);
}

/** Builds the permission checks from what the probes found. */
export function buildVerificationReport(evidence: VerificationEvidence): VerificationReport {
  const scopeStatus = (permission: PermissionDefinition): PermissionStatus => {
    if (evidence.scopes === null) {
      return 'UNVERIFIED';
    }
    return permission.scopes.some((scope) => evidence.scopes?.includes(scope)) ? 'GRANTED' : 'MISSING';
  };
  const probeStatus = (probe: ProbeResult): PermissionStatus => (probe === 'granted' ? 'GRANTED' : 'MISSING');

  const permissions: PermissionCheck[] = [
    check(PERMISSIONS.employeesRead, probeStatus(evidence.employees)),
    check(PERMISSIONS.employeesWrite, scopeStatus(PERMISSIONS.employeesWrite)),
    check(PERMISSIONS.documentsRead, probeStatus(evidence.documentCategories)),
    check(PERMISSIONS.documentsWrite, scopeStatus(PERMISSIONS.documentsWrite)),
  ];

  for (const attribute of REQUIRED_ATTRIBUTES) {
    const key = attribute.key.slice('attribute:'.length);
    const readable = evidence.readableAttributes !== 'forbidden' && evidence.readableAttributes.includes(key);
    permissions.push(check(attribute, readable ? 'GRANTED' : 'MISSING'));
  }

  const optional = [
    PERMISSIONS.attendancesRead,
    PERMISSIONS.attendancesWrite,
    PERMISSIONS.absencesRead,
    PERMISSIONS.absencesWrite,
    PERMISSIONS.customReportsRead,
  ];
  for (const permission of optional) {
    permissions.push(check(permission, scopeStatus(permission)));
  }
  return { permissions };
}

function check(permission: PermissionDefinition, status: PermissionStatus): PermissionCheck {
  let remediation: string | null = null;
  if (status === 'MISSING') {
    remediation = permission.remediation;
  } else if (status === 'UNVERIFIED' && !permission.required) {
    remediation = permission.remediation;
  } else if (status === 'UNVERIFIED') {
    remediation = `Personio did not report the credential's access rights, so this is proven only by the first export. ${permission.remediation}`;
  }
  return { key: permission.key, label: permission.label, status, required: permission.required, remediation };
}
