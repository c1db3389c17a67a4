import { describe, expect, it } from 'vitest';
import type { HrisDocument } from '../../src/hris/index.ts';
import { checkDocument, chooseCategory, MAX_DOCUMENT_BYTES } from '../../plugins/personio/documents.ts';

const document = (overrides: Partial<HrisDocument> = {}): HrisDocument => ({
  fileName: 'cv.pdf',
  mimeType: 'application/pdf',
  content: new Uint8Array([37, 80, 68, 70]),
  title: 'CV – Zoë Müller',
  kind: 'CV',
  ...overrides,
});

describe('checkDocument', () => {
  it('accepts a small PDF', () => {
    expect(checkDocument(document())).toBeNull();
    expect(checkDocument(document({ fileName: 'Scan.JPEG' }))).toBeNull();
  });

  it('rejects a title over 255 characters', () => {
    expect(checkDocument(document({ title: 'x'.repeat(256) }))).toMatchObject({ kind: 'REJECTED', field: 'title' });
    expect(checkDocument(document({ title: 'x'.repeat(255) }))).toBeNull();
  });

  it('rejects files over 30 MB', () => {
    const failure = checkDocument(document({ content: new Uint8Array(MAX_DOCUMENT_BYTES + 1) }));
    expect(failure).toMatchObject({ kind: 'REJECTED', field: 'file' });
    expect(failure?.message).toContain('30 MB');
  });

  it.each(['cv.exe', 'cv', 'cv.', '.pdf', 'archive.tar.bz2'])('rejects the file name %j', (fileName) => {
    expect(checkDocument(document({ fileName }))).toMatchObject({ kind: 'REJECTED', field: 'file' });
  });
});

describe('chooseCategory', () => {
  const categories = [
    { id: '1', name: 'Certificates of employment' },
    { id: '2', name: 'Bewerbungsunterlagen' },
    { id: '3', name: 'CV & Application' },
  ];

  it('prefers a CV category for CVs', () => {
    expect(chooseCategory('CV', categories)?.id).toBe('2');
    expect(chooseCategory('CV', [categories[0]!, categories[2]!])?.id).toBe('3');
    expect(chooseCategory('CV', [{ id: '9', name: 'Resume' }])?.id).toBe('9');
  });

  it('falls back to the first category', () => {
    expect(chooseCategory('OTHER', categories)?.id).toBe('1');
    expect(chooseCategory('CV', [{ id: '5', name: 'Contracts' }])?.id).toBe('5');
    expect(chooseCategory('CV', [])).toBeNull();
  });

  it('does not match words that only contain a CV term', () => {
    expect(chooseCategory('CV', [{ id: '1', name: 'Other' }, { id: '2', name: 'Curvature' }])?.id).toBe('1');
  });
});
