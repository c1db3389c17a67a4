import type { Logger } from 'pino';
import type { PrismaClient } from '../../db/client.ts';
import type { HrisSession, ReferenceData } from '../plugin.ts';
import type { ExportActor } from './service.ts';
import type { DocumentOutcome } from './summary.ts';

/** Uploads the candidate's documents to the new employee; one failed file never stops the others. */
export async function transferDocuments(args: {
  prisma: PrismaClient;
  actor: ExportActor;
  candidateId: string;
  employeeId: string;
  session: HrisSession;
  reference: ReferenceData;
  supportsDocuments: boolean;
  logger: Logger;
}): Promise<DocumentOutcome[]> {
  const summaries = await args.actor.loaders.documentsByCandidate.load(args.candidateId);
  if (summaries.length === 0) return [];
  const upload = args.session.uploadDocument;
  if (!args.supportsDocuments || !upload) {
    return summaries.map((doc) => ({
      documentId: doc.id,
      fileName: doc.fileName,
      kind: doc.kind,
      status: 'NOT_SUPPORTED',
      hrisDocumentId: null,
      category: null,
      reason: 'The HRIS integration does not support documents.',
    }));
  }

  // The bytes are read only now, one query for all of the candidate's files.
  const contents = await args.prisma.candidateDocument.findMany({
    where: { organizationId: args.actor.organizationId, candidateId: args.candidateId },
    select: { id: true, content: true },
  });
  const bytes = new Map(contents.map((row) => [row.id, row.content]));
  const candidate = await args.actor.loaders.candidate.load(args.candidateId);
  const name = candidate ? `${candidate.firstName} ${candidate.lastName}` : '';

  const outcomes: DocumentOutcome[] = [];
  for (const doc of summaries) {
    const content = bytes.get(doc.id);
    if (!content) continue;
    const title = `${doc.kind === 'CV' ? 'CV' : doc.kind === 'COVER_LETTER' ? 'Cover letter' : 'Document'} – ${name}`.trim();
    const result = await upload.call(
      args.session,
      args.employeeId,
      { fileName: doc.fileName, mimeType: doc.mimeType, content: new Uint8Array(content), title, kind: doc.kind === 'CV' ? 'CV' : 'OTHER' },
      args.reference,
    );
    if (result.ok) {
      outcomes.push({ documentId: doc.id, fileName: doc.fileName, kind: doc.kind, status: 'UPLOADED', hrisDocumentId: result.value.documentId, category: result.value.category, reason: null });
    } else {
      args.logger.warn({ candidateId: args.candidateId, documentId: doc.id, failure: result.failure.kind }, 'Document upload failed');
      outcomes.push({ documentId: doc.id, fileName: doc.fileName, kind: doc.kind, status: 'FAILED', hrisDocumentId: null, category: null, reason: result.failure.message });
    }
  }
  return outcomes;
}
