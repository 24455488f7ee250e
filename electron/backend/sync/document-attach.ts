// document.attach at the desk: the same checks as the server (family, person, demande, qualification, dates),
// then the preview — the documents row and its files — captured for undo. The files' bytes are already in the
// desk's content-addressed blob store (written in the same transaction, never undone: a blob is just bytes);
// the sync client uploads them before pushing the op (electron/backend/sync/blob-upload.ts).
import { DomainError } from '../../../core/errors';
import { PIECE_MAX_FILES, qualificationLabel, qualificationOf } from '../../../core/documents/pieces';
import type { DocumentAttachV1 } from '../../../core/sync/commands-documents';
import { documentStatements } from '../../../db/repositories/document-records';
import type { DeskStore } from '../desk-store';
import type { ApplyContext, AuditFacts } from './command-context';

export function checkAttachDocument(store: DeskStore, payload: DocumentAttachV1): void {
  const q = documentStatements(store.sqlite);
  if (!q.householdExists(payload.householdId))
    throw new DomainError('HOUSEHOLD_NOT_FOUND', 'Famille introuvable sur ce poste.');
  if (payload.personId && !q.personInHousehold(payload.householdId, payload.personId))
    throw new DomainError('PERSON_NOT_IN_HOUSEHOLD', "Cette personne n'est pas de la famille.");
  if (payload.demandeId && q.demandeHousehold(payload.demandeId) !== payload.householdId)
    throw new DomainError('DEMANDE_NOT_FOUND', "Cette demande n'est pas celle de la famille.");
  if (!qualificationOf(payload.qualification))
    throw new DomainError('QUALIFICATION_UNKNOWN', 'Choisissez la qualification de la pièce.');
  if (payload.issuedOn && payload.validUntil && payload.validUntil < payload.issuedOn)
    throw new DomainError(
      'VALIDITY_BEFORE_ISSUE',
      'La date de fin de validité précède la date de délivrance.',
    );
  if (payload.files.length > PIECE_MAX_FILES)
    throw new DomainError('TOO_MANY_FILES', `Une pièce compte au plus ${PIECE_MAX_FILES} fichiers.`);
  for (const file of payload.files) {
    const blob = q.blobInfo(file.blobHash);
    if (!blob || blob.complete !== 1)
      throw new DomainError('BLOB_MISSING', `Le fichier « ${file.filename} » n'est pas sur ce poste.`);
  }
}

export function applyAttachDocument(ctx: ApplyContext, payload: DocumentAttachV1): void {
  const q = documentStatements(ctx.store.sqlite);
  if (q.document(payload.documentId) || !q.householdExists(payload.householdId)) return;
  ctx.effects.capture('documents', [payload.documentId]);
  q.insertDocument({
    id: payload.documentId,
    householdId: payload.householdId,
    personId: payload.personId ?? null,
    demandeId: payload.demandeId ?? null,
    space: 'famille',
    qualification: payload.qualification,
    title: payload.title,
    number: payload.number ?? null,
    issuingAuthority: payload.issuingAuthority ?? null,
    issuedOn: payload.issuedOn ?? null,
    validUntil: payload.validUntil ?? null,
    createdByKind: 'agent',
    createdById: ctx.agentId,
    at: ctx.at,
  });
  for (const [index, file] of payload.files.entries()) {
    ctx.effects.capture('document_files', [file.fileId]);
    q.insertFile({
      id: file.fileId,
      documentId: payload.documentId,
      blobHash: file.blobHash,
      filename: file.filename,
      contentType: file.contentType,
      position: index + 1,
      at: ctx.at,
    });
  }
}

export function describeAttachDocument(payload: DocumentAttachV1): string {
  return `Pièce « ${payload.title} » (${qualificationLabel(payload.qualification)}, ${payload.files.length} fichier${
    payload.files.length > 1 ? 's' : ''
  })`;
}

export function attachDocumentAudit(payload: DocumentAttachV1): AuditFacts {
  return {
    householdId: payload.householdId,
    entity: 'documents',
    entityId: payload.documentId,
    reason: null,
    details: { qualification: payload.qualification, files: payload.files.length },
  };
}
