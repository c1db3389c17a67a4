import { createHash } from 'node:crypto';

/** File bytes with the metadata that CandidateDocument stores next to them. */
export interface SeedFile {
  fileName: string;
  mimeType: string;
  content: Uint8Array<ArrayBuffer>;
  sizeBytes: number;
  /** Lower-case hex SHA-256 of `content`. */
  sha256: string;
}

export const PDF_MIME_TYPE = 'application/pdf';
export const TEXT_MIME_TYPE = 'text/plain';
export const DOCX_MIME_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

// Letters that Unicode NFD does not split into a base letter plus a combining mark.
const LETTERS_WITHOUT_DECOMPOSITION: Record<string, string> = {
  ß: 'ss',
  ø: 'o',
  Ø: 'O',
  æ: 'ae',
  Æ: 'Ae',
  ł: 'l',
  Ł: 'L',
  ı: 'i',
  đ: 'd',
  Đ: 'D',
  œ: 'oe',
  Œ: 'Oe',
};

/**
 * Transliterates Latin-script text to ASCII by mapping a few special letters and removing
 * combining marks ("Łukasz Wiśniewski" becomes "Lukasz Wisniewski").
 * Throws on characters that remain outside ASCII, such as Cyrillic or CJK, because those
 * need a hand-written transliteration.
 */
export function toAscii(text: string): string {
  const mapped = [...text].map((character) => LETTERS_WITHOUT_DECOMPOSITION[character] ?? character).join('');
  const ascii = mapped.normalize('NFD').replace(/\p{Mn}/gu, '');
  if (!/^[\x20-\x7e]*$/.test(ascii)) {
    throw new Error(`Cannot transliterate "${text}" to ASCII: pass an explicit ASCII spelling for it.`);
  }
  return ascii;
}

/** Turns an ASCII name into a file-name stem: "D'Arcy N'Diaye" becomes "DArcy_NDiaye". */
export function fileNameStem(asciiName: string): string {
  return asciiName
    .replace(/['.]/g, '')
    .replace(/[^A-Za-z0-9-]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

function toSeedFile(fileName: string, mimeType: string, bytes: Uint8Array): SeedFile {
  const content = new Uint8Array(bytes);
  return {
    fileName,
    mimeType,
    content,
    sizeBytes: content.byteLength,
    sha256: createHash('sha256').update(content).digest('hex'),
  };
}

function escapePdfString(text: string): string {
  if (!/^[\x20-\x7e]*$/.test(text)) {
    throw new Error(`PDF text must be printable ASCII because the seed PDF uses a standard Type 1 font: "${text}"`);
  }
  return text.replace(/[\\()]/g, (character) => `\\${character}`);
}

/** One line of PDF text: its font size in points and the gap in points above it. */
export interface PdfLine {
  text: string;
  fontSize: number;
  spaceBefore: number;
}

/**
 * Builds a one-page A4 PDF 1.4 file that shows `lines` in Helvetica.
 * The cross-reference table lists the exact byte offset of every object, so readers
 * need not rebuild it. Text must be printable ASCII.
 */
export function buildPdf(title: string, lines: readonly PdfLine[]): Uint8Array {
  const textOperators: string[] = ['BT', '72 790 Td'];
  for (const [index, line] of lines.entries()) {
    const moveDown = index === 0 ? 0 : line.spaceBefore + line.fontSize;
    textOperators.push(`/F1 ${line.fontSize} Tf`, `0 ${-moveDown} Td`, `(${escapePdfString(line.text)}) Tj`);
  }
  textOperators.push('ET');
  const contentStream = `${textOperators.join('\n')}\n`;

  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    `<< /Length ${contentStream.length} >>\nstream\n${contentStream}endstream`,
    `<< /Title (${escapePdfString(title)}) /Producer (hris-export demo seed) /CreationDate (D:20261201000000Z) >>`,
  ];

  // Every string here is ASCII except the binary marker comment, and latin1 writes each
  // character as one byte, so string lengths equal byte offsets.
  let body = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  for (const [index, object] of objects.entries()) {
    offsets.push(body.length);
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  }

  const xrefOffset = body.length;
  // Each cross-reference entry is exactly 20 bytes, including its two-byte end of line.
  const entries = ['0000000000 65535 f \n', ...offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`)];
  const trailer =
    `xref\n0 ${objects.length + 1}\n${entries.join('')}` +
    `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info ${objects.length} 0 R >>\n` +
    `startxref\n${xrefOffset}\n%%EOF\n`;
  return Buffer.from(body + trailer, 'latin1');
}

/** Facts printed on a seed CV. Every field must already be ASCII. */
export interface CvFacts {
  asciiName: string;
  email: string;
  phone: string | null;
  location: string | null;
  appliedFor: string;
  experience: readonly string[];
}

/** Builds the CV file `<Name>_CV.pdf` of one candidate. */
export function buildCvFile(facts: CvFacts): SeedFile {
  const contact = [facts.email, facts.phone].filter((part): part is string => part !== null).join('  |  ');
  const lines: PdfLine[] = [
    { text: facts.asciiName, fontSize: 22, spaceBefore: 0 },
    { text: 'Curriculum Vitae', fontSize: 12, spaceBefore: 6 },
    { text: contact, fontSize: 10, spaceBefore: 10 },
  ];
  if (facts.location !== null) {
    lines.push({ text: facts.location, fontSize: 10, spaceBefore: 4 });
  }
  lines.push({ text: `Application: ${facts.appliedFor}`, fontSize: 12, spaceBefore: 18 });
  lines.push({ text: 'Experience', fontSize: 14, spaceBefore: 18 });
  for (const entry of facts.experience) {
    lines.push({ text: `- ${entry}`, fontSize: 10, spaceBefore: 6 });
  }
  lines.push({
    text: 'Demo data for the HRIS export service. This person is fictitious.',
    fontSize: 8,
    spaceBefore: 30,
  });
  const bytes = buildPdf(`CV ${facts.asciiName}`, lines);
  return toSeedFile(`${fileNameStem(facts.asciiName)}_CV.pdf`, PDF_MIME_TYPE, bytes);
}

/** Builds a UTF-8 plain-text file. */
export function buildTextFile(fileName: string, text: string): SeedFile {
  return toSeedFile(fileName, TEXT_MIME_TYPE, Buffer.from(text, 'utf8'));
}

const CRC32_TABLE = Array.from({ length: 256 }, (_, index) => {
  let value = index;
  for (let bit = 0; bit < 8; bit++) {
    value = value & 1 ? 0xedb88320 ^ (value >>> 1) : value >>> 1;
  }
  return value >>> 0;
});

/** CRC-32 as ZIP uses it (IEEE 802.3 polynomial, reflected). */
function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc = (CRC32_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

// 2026-12-01 00:00 in MS-DOS date and time format, so every build yields the same bytes.
const ZIP_DOS_DATE = ((2026 - 1980) << 9) | (12 << 5) | 1;
const ZIP_DOS_TIME = 0;

/**
 * Builds a ZIP archive whose entries are stored without compression, in the given order.
 * Entry names must be ASCII.
 */
export function buildStoredZip(entries: readonly { name: string; data: Uint8Array }[]): Uint8Array {
  const localParts: Buffer[] = [];
  const centralParts: Buffer[] = [];
  let offset = 0;

  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'ascii');
    const checksum = crc32(entry.data);

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0, 6);
    local.writeUInt16LE(0, 8);
    local.writeUInt16LE(ZIP_DOS_TIME, 10);
    local.writeUInt16LE(ZIP_DOS_DATE, 12);
    local.writeUInt32LE(checksum, 14);
    local.writeUInt32LE(entry.data.byteLength, 18);
    local.writeUInt32LE(entry.data.byteLength, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt16LE(ZIP_DOS_TIME, 12);
    central.writeUInt16LE(ZIP_DOS_DATE, 14);
    central.writeUInt32LE(checksum, 16);
    central.writeUInt32LE(entry.data.byteLength, 20);
    central.writeUInt32LE(entry.data.byteLength, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);

    localParts.push(local, name, Buffer.from(entry.data));
    centralParts.push(central, name);
    offset += local.length + name.length + entry.data.byteLength;
  }

  const centralDirectory = Buffer.concat(centralParts);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralDirectory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...localParts, centralDirectory, end]);
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/**
 * Builds a minimal Office Open XML word-processing document (.docx) with one paragraph
 * per entry of `paragraphs`. It contains only the three parts a reader requires:
 * content types, package relationships and the main document.
 * NOTE: the archive passes `unzip -t`, but no word processor has opened it in a test.
 */
export function buildDocxFile(fileName: string, paragraphs: readonly string[]): SeedFile {
  const contentTypes =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
    '</Types>';
  const relationships =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
    '</Relationships>';
  const body = paragraphs.map((paragraph) => `<w:p><w:r><w:t xml:space="preserve">${escapeXml(paragraph)}</w:t></w:r></w:p>`).join('');
  const document =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
    `<w:body>${body}</w:body></w:document>`;

  const bytes = buildStoredZip([
    { name: '[Content_Types].xml', data: Buffer.from(contentTypes, 'utf8') },
    { name: '_rels/.rels', data: Buffer.from(relationships, 'utf8') },
    { name: 'word/document.xml', data: Buffer.from(document, 'utf8') },
  ]);
  return toSeedFile(fileName, DOCX_MIME_TYPE, bytes);
}
