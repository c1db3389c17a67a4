import { failure, success, type DocumentUpload, type HrisDocument, type HrisResult, type ReferenceData } from '../../src/hris/index.ts';
import { chooseCategory, checkDocument } from './documents.ts';
import { toFailure } from './failures.ts';
import { describeApiError } from './http/api-error.ts';
import type { PersonioHttpClient } from './http/client.ts';
import { PERMISSIONS } from './permissions.ts';
import { documentUploadedSchema } from './schemas.ts';

/**
 * Uploads a file to an employee with multipart `POST /v1/company/documents`. Title, size and extension
 * are checked first. The upload is not repeated after a timeout or server error, because Personio may
 * have stored it and has no v1 endpoint to check.
 */
export async function uploadDocument(
  client: PersonioHttpClient,
  employeeId: string,
  document: HrisDocument,
  reference: ReferenceData,
): Promise<HrisResult<DocumentUpload>> {
  const problem = checkDocument(document);
  if (problem !== null) {
    return failure(problem);
  }
  if (!/^\d+$/.test(employeeId)) {
    return failure({ kind: 'REJECTED', field: null, message: `"${employeeId}" is not a Personio employee id; Personio ids are numbers.` });
  }

  const category = chooseCategory(document.kind, reference.documentCategories);
  if (category === null) {
    return failure({
      kind: 'REJECTED',
      field: 'category',
      message:
        'Personio lists no document category for this API credential. Create a document category in Personio and tick Documents: Read on the credential, then refresh the connection.',
    });
  }

  const form = new FormData();
  form.append('title', document.title);
  form.append('employee_id', employeeId);
  form.append('category_id', category.id);
  form.append('file', new Blob([new Uint8Array(document.content)], { type: document.mimeType }), document.fileName);

  const result = await client.send({ method: 'POST', path: '/v1/company/documents', form, idempotent: false }, documentUploadedSchema);
  if (result.ok) {
    const stored = result.value.data.attributes;
    const storedCategory = stored?.category ?? stored?.category_id;
    const categoryName = typeof storedCategory === 'object' && storedCategory !== null ? storedCategory.name : null;
    return success({ documentId: result.value.data.id, category: categoryName ?? category.name });
  }

  const { error } = result;
  if (error.kind === 'http' && error.stage === 'request' && error.status === 404) {
    return failure({
      kind: 'REJECTED',
      field: null,
      message: `Personio found no employee ${employeeId} or no document category "${category.name}" (id ${category.id}); refresh the connection's reference data and try again.`,
    });
  }
  if (error.stage === 'request' && (error.kind === 'timeout' || error.kind === 'network' || (error.kind === 'http' && error.status >= 500))) {
    return failure({
      kind: 'UNAVAILABLE',
      timedOut: error.kind === 'timeout',
      message: `Personio request to upload "${document.fileName}" failed: ${describeApiError(error)}. Personio may have stored it; check the employee's documents in Personio before uploading again.`,
    });
  }
  return failure(toFailure(error, { action: `upload "${document.fileName}"`, permission: PERMISSIONS.documentsWrite }));
}
