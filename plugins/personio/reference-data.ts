import { failure, success, type HrisLogger, type HrisResult, type NamedValue, type ReferenceData } from '../../src/hris/index.ts';
import { toFailure } from './failures.ts';
import { readValue } from './employee-values.ts';
import type { PersonioHttpClient } from './http/client.ts';
import { PERMISSIONS } from './permissions.ts';
import { attributeListSchema, documentCategoryListSchema, employeeListSchema, type PersonioAttribute } from './schemas.ts';

/** Personio's maximum page size of `GET /v1/company/employees` since 31 Jan 2025. */
const PAGE_SIZE = 100;
/** Upper bound on pages read for org units: 50,000 employees. */
const MAX_PAGES = 500;

type OrgUnitKey = 'department' | 'office' | 'subcompany';
const ORG_UNIT_KEYS: readonly OrgUnitKey[] = ['department', 'office', 'subcompany'];

/**
 * Loads the company's reference data: readable attributes, custom attributes, document categories,
 * and the departments, offices and subcompanies in use.
 */
export async function loadReferenceData(client: PersonioHttpClient, logger: HrisLogger): Promise<HrisResult<ReferenceData>> {
  const attributes = await client.send({ method: 'GET', path: '/v1/company/employees/attributes', idempotent: true }, attributeListSchema);
  if (!attributes.ok) {
    return failure(toFailure(attributes.error, { action: 'list the readable employee attributes', permission: PERMISSIONS.employeesRead }));
  }

  const categories = await client.send({ method: 'GET', path: '/v1/company/document-categories', idempotent: true }, documentCategoryListSchema);
  let documentCategories: NamedValue[] = [];
  if (categories.ok) {
    documentCategories = categories.value.data.map((category) => ({ id: category.id, name: category.name ?? `Category ${category.id}` }));
  } else if (categories.error.kind === 'http' && categories.error.status === 403) {
    // Exports without documents still work, so a missing Documents: Read right is a warning here;
    // verify() reports it and uploadDocument() rejects with the remediation.
    logger.warn({ status: 403 }, 'Personio rejected listing document categories, so documents cannot be uploaded');
  } else {
    return failure(toFailure(categories.error, { action: 'list the document categories', permission: PERMISSIONS.documentsRead }));
  }

  const readable = attributes.value.data;
  const orgUnits = await collectOrgUnits(client, readable);
  if (!orgUnits.ok) {
    return orgUnits;
  }

  return success({
    ...orgUnits.value,
    customAttributes: readable
      .filter((attribute) => attribute.key.startsWith('dynamic_'))
      .map((attribute) => ({
        key: attribute.key,
        label: attribute.label ?? attribute.key,
        type: attribute.type ?? 'standard',
        options: attribute.options ?? [],
      })),
    documentCategories,
    readableAttributes: readable.map((attribute) => attribute.key),
  });
}

/**
 * NOTE: Personio v1 has no endpoint that lists departments, offices or subcompanies. They are
 * collected from the employees that use them (paging `GET /v1/company/employees` with an
 * `attributes[]` projection), plus any `options` that `/attributes` lists for those keys, whose
 * ids are then the names because v1 assigns them by name. A unit that no employee uses yet and that
 * `/attributes` does not list stays unknown, and a key the credential cannot read yields no units.
 */
async function collectOrgUnits(
  client: PersonioHttpClient,
  attributes: readonly PersonioAttribute[],
): Promise<HrisResult<Pick<ReferenceData, 'departments' | 'offices' | 'subcompanies'>>> {
  const units = new Map<OrgUnitKey, Map<string, NamedValue>>(ORG_UNIT_KEYS.map((key) => [key, new Map()]));
  const readableKeys = ORG_UNIT_KEYS.filter((key) => attributes.some((attribute) => attribute.key === key));

  for (let page = 0; readableKeys.length > 0 && page < MAX_PAGES; page += 1) {
    const query: Array<[string, string]> = [
      ['limit', String(PAGE_SIZE)],
      ['offset', String(page * PAGE_SIZE)],
      ...readableKeys.map((key): [string, string] => ['attributes[]', key]),
    ];
    const result = await client.send({ method: 'GET', path: '/v1/company/employees', query, idempotent: true }, employeeListSchema);
    if (!result.ok) {
      return failure(toFailure(result.error, { action: 'list employees for departments, offices and subcompanies', permission: PERMISSIONS.employeesRead }));
    }

    for (const employee of result.value.data) {
      for (const key of readableKeys) {
        addUnit(units.get(key), employee.attributes[key]);
      }
    }
    const total = result.value.metadata?.total_elements;
    const seen = (page + 1) * PAGE_SIZE;
    if (result.value.data.length < PAGE_SIZE || (total !== undefined && seen >= total)) {
      break;
    }
  }

  for (const key of readableKeys) {
    const options = attributes.find((attribute) => attribute.key === key)?.options ?? [];
    const known = units.get(key);
    for (const option of options) {
      addUnit(known, { value: { attributes: { id: option, name: option } } });
    }
  }

  const sorted = (key: OrgUnitKey): NamedValue[] => [...(units.get(key)?.values() ?? [])].sort((left, right) => left.name.localeCompare(right.name));
  return success({ departments: sorted('department'), offices: sorted('office'), subcompanies: sorted('subcompany') });
}

/** Adds the `{type, attributes: {id, name}}` value of an org-unit attribute, unless a unit of that name is known. */
function addUnit(known: Map<string, NamedValue> | undefined, entry: unknown): void {
  const name = readValue('named', entry);
  if (known === undefined || name === null || known.has(name.toLowerCase())) {
    return;
  }
  const value = entry !== null && typeof entry === 'object' && 'value' in entry ? entry.value : entry;
  const unit = value !== null && typeof value === 'object' && 'attributes' in value ? value.attributes : null;
  const id = unit !== null && typeof unit === 'object' && 'id' in unit ? readValue('text', unit.id) : null;
  known.set(name.toLowerCase(), { id: id ?? name, name });
}
