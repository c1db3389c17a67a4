import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { HrisDocument } from '../../src/hris/index.ts';
import { ACME, type RunningSandbox } from '../../plugins/personio/sandbox/index.ts';
import { connect, expectOk, referenceOf, startSandbox } from './sandbox-harness.ts';

let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox();
});
afterEach(() => sandbox.control.reset());
afterAll(async () => {
  await sandbox.stop();
});

const PDF = new TextEncoder().encode('%PDF-1.4\n% sandbox test file\n');
const katrin = String(ACME.employees.katrinVogel);

function cv(overrides: Partial<HrisDocument> = {}): HrisDocument {
  return { fileName: 'cv-katrin.pdf', mimeType: 'application/pdf', content: PDF, title: 'CV – Katrin Vogel', kind: 'CV', ...overrides };
}

describe('uploadDocument', () => {
  it('uploads a CV into the CV category', async () => {
    const { session } = connect(sandbox);
    const reference = await referenceOf(session);
    const upload = expectOk(await session.uploadDocument(katrin, cv(), reference));
    expect(upload.category).toBe('CV');

    const stored = sandbox.control.documents();
    expect(stored).toHaveLength(1);
    expect(String(stored[0]?.id)).toBe(upload.documentId);
    const request = sandbox.control.requests({ route: 'documents.upload' })[0];
    expect(request?.body).toMatchObject({
      kind: 'multipart',
      fields: { title: 'CV – Katrin Vogel', employee_id: katrin, category_id: String(ACME.documentCategories.cv) },
      files: [{ field: 'file', fileName: 'cv-katrin.pdf', contentType: 'application/pdf', size: PDF.byteLength }],
    });
  });

  it('files other documents under the first category', async () => {
    const { session } = connect(sandbox);
    const reference = await referenceOf(session);
    const upload = expectOk(await session.uploadDocument(katrin, cv({ kind: 'OTHER', title: 'Offer letter' }), reference));
    expect(upload.category).toBe(reference.documentCategories[0]?.name);
  });

  it('reads the category from category_id responses', async () => {
    sandbox.control.setBehaviour({ documentCategoryKey: 'category_id' });
    const { session } = connect(sandbox);
    const reference = await referenceOf(session);
    expect(expectOk(await session.uploadDocument(katrin, cv(), reference)).category).toBe('CV');
  });

  it('rejects a file over 30 MB without sending it', async () => {
    const { session } = connect(sandbox);
    const reference = await referenceOf(session);
    const result = await session.uploadDocument(katrin, cv({ content: new Uint8Array(30 * 1024 * 1024 + 1) }), reference);
    expect(result).toMatchObject({ ok: false, failure: { kind: 'REJECTED', field: 'file' } });
    expect(sandbox.control.requests({ route: 'documents.upload' })).toHaveLength(0);
  });

  it('rejects a disallowed extension without sending it', async () => {
    const { session } = connect(sandbox);
    const reference = await referenceOf(session);
    const result = await session.uploadDocument(katrin, cv({ fileName: 'cv.exe', mimeType: 'application/octet-stream' }), reference);
    expect(result).toMatchObject({ ok: false, failure: { kind: 'REJECTED', field: 'file' } });
    expect(sandbox.control.requests({ route: 'documents.upload' })).toHaveLength(0);
  });

  it('rejects an upload when no category is known', async () => {
    const { session } = connect(sandbox);
    const reference = { ...(await referenceOf(session)), documentCategories: [] };
    const result = await session.uploadDocument(katrin, cv(), reference);
    expect(result).toMatchObject({ ok: false, failure: { kind: 'REJECTED', field: 'category' } });
  });

  it('rejects an unknown employee', async () => {
    const { session } = connect(sandbox);
    const reference = await referenceOf(session);
    const result = await session.uploadDocument('424242', cv(), reference);
    expect(result).toMatchObject({ ok: false, failure: { kind: 'REJECTED', field: null } });
  });

  it('returns MISSING_PERMISSION without Documents: Write', async () => {
    sandbox.control.addCredential({
      clientId: 'no-upload',
      clientSecret: 'no-upload-secret',
      companyId: ACME.companyId,
      rights: { employees: { read: true, write: true }, documents: { read: true } },
    });
    const { session } = connect(sandbox, { credentials: { clientId: 'no-upload', clientSecret: 'no-upload-secret', appId: 'acme-gmbh' } });
    const reference = await referenceOf(session);
    const result = await session.uploadDocument(katrin, cv(), reference);
    expect(result).toMatchObject({ ok: false, failure: { kind: 'MISSING_PERMISSION', permission: 'documents:write' } });
  });

  it('does not repeat an upload after a timeout', async () => {
    const { session } = connect(sandbox, { variables: { PERSONIO_TIMEOUT_MS: '200' } });
    const reference = await referenceOf(session);
    sandbox.control.respondLate('documents.upload', { delayMs: 800 });
    const result = await session.uploadDocument(katrin, cv(), reference);
    expect(result).toMatchObject({ ok: false, failure: { kind: 'UNAVAILABLE', timedOut: true } });
    expect(sandbox.control.requests({ route: 'documents.upload' })).toHaveLength(1);
  });
});
