import type { HrisDocument, HrisFailure, NamedValue } from '../../src/hris/index.ts';

/** Limits of `POST /v1/company/documents` as Personio's v1 spec documents them. */
export const MAX_DOCUMENT_BYTES = 30 * 1024 * 1024;
export const MAX_TITLE_LENGTH = 255;

/** File extensions Personio accepts, from the 422 example of its v1 spec. */
export const ALLOWED_EXTENSIONS: ReadonlySet<string> = new Set(
  (
    'pdf docx doc jpg zip png txt jpeg odt xlsx rtf htm xls p7s pptx pages rar ppt gif tif html msg asc tiff wps ' +
    'bmp 7z csv ics vcf dotx numbers eps gz ods otf odp odg rtfd txz webarchive xml xps md fax'
  ).split(' '),
);

/** Category names, matched case-insensitively as whole name or word, that suit a CV. */
const CV_CATEGORY_WORDS = ['cv', 'resume', 'résumé', 'curriculum vitae', 'lebenslauf', 'application', 'applications', 'bewerbung', 'bewerbungsunterlagen'];

/** Checks the title, size and extension before uploading; returns a REJECTED failure naming the rule. */
export function checkDocument(document: HrisDocument): HrisFailure | null {
  if (document.title.trim() === '') {
    return { kind: 'REJECTED', field: 'title', message: 'The document title is empty; Personio requires a title.' };
  }
  if (document.title.length > MAX_TITLE_LENGTH) {
    return {
      kind: 'REJECTED',
      field: 'title',
      message: `The document title has ${document.title.length} characters; Personio accepts at most ${MAX_TITLE_LENGTH}. Shorten the title.`,
    };
  }
  if (document.content.byteLength > MAX_DOCUMENT_BYTES) {
    const megabytes = (document.content.byteLength / (1024 * 1024)).toFixed(1);
    return { kind: 'REJECTED', field: 'file', message: `The file "${document.fileName}" has ${megabytes} MB; Personio accepts at most 30 MB.` };
  }
  const extension = extensionOf(document.fileName);
  if (extension === null || !ALLOWED_EXTENSIONS.has(extension)) {
    const found = extension === null ? 'no extension' : `the extension .${extension}`;
    return {
      kind: 'REJECTED',
      field: 'file',
      message: `The file "${document.fileName}" has ${found}, which Personio does not accept. Convert it to PDF or another accepted type such as DOCX.`,
    };
  }
  return null;
}

function extensionOf(fileName: string): string | null {
  const dot = fileName.lastIndexOf('.');
  return dot <= 0 || dot === fileName.length - 1 ? null : fileName.slice(dot + 1).toLowerCase();
}

/**
 * Picks the category of an upload. A CV goes to the first category whose name, or one of its words,
 * is a CV or application term such as "CV", "Application", "Bewerbung" or "Resume". Other documents,
 * and CVs without such a category, go to the first category.
 */
export function chooseCategory(kind: HrisDocument['kind'], categories: readonly NamedValue[]): NamedValue | null {
  if (kind === 'CV') {
    const match = categories.find((category) => isCvCategory(category.name));
    if (match !== undefined) {
      return match;
    }
  }
  return categories[0] ?? null;
}

function isCvCategory(name: string): boolean {
  const lower = name.trim().toLowerCase();
  const words = lower.split(/[^\p{L}\p{N}]+/u);
  return CV_CATEGORY_WORDS.some((term) => lower === term || (term.includes(' ') ? lower.includes(term) : words.includes(term)));
}
