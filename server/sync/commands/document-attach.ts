/**
 * document.attach v1 — a piece scanned at a desk: the documents row and its 1–4 document_files rows. The bytes
 * travel apart (resumable, content-addressed blob upload); the metadata is accepted only once every blob is
 * complete on the server — otherwise the op is not decided (BLOB_MISSING stops the push, the desk uploads and
 * resends). The server checks each blob's size and stored type against the metadata.
 */
import { qualificationLabel, qualificationOf } from '../../../core/documents/pieces';
import type { DocumentAttachV1 } from '../../../core/sync/commands-documents';
import { documentStatements } from '../../../db/repositories/document-records';
import { auditCommand } from './audit';
import { accepted, rejected } from './context';
import type { CommandHandler } from './context';
import { requireBlobs } from './require-blobs';

export const attachDocument: CommandHandler<DocumentAttachV1> = (ctx, payload, actor) => {
  const q = documentStatements(ctx.sqlite);
  if (q.document(payload.documentId)) {
    return accepted(ctx, {
      code: 'DOCUMENT_ALREADY_ATTACHED',
      message: 'Cette pièce était déjà enregistrée.',
    });
  }
  if (!q.householdExists(payload.householdId)) {
    return rejected('HOUSEHOLD_NOT_FOUND', "Pièce non enregistrée : la famille n'existe pas sur le serveur.");
  }
  if (payload.personId && !q.personInHousehold(payload.householdId, payload.personId)) {
    return rejected(
      'PERSON_NOT_IN_HOUSEHOLD',
      "Pièce non enregistrée : cette personne n'est pas de la famille.",
    );
  }
  if (payload.demandeId && q.demandeHousehold(payload.demandeId) !== payload.householdId) {
    return rejected(
      'DEMANDE_NOT_FOUND',
      "Pièce non enregistrée : la demande n'est pas celle de cette famille.",
    );
  }
  if (!qualificationOf(payload.qualification)) {
    return rejected('QUALIFICATION_UNKNOWN', `Qualification de pièce inconnue : ${payload.qualification}.`);
  }
  if (payload.issuedOn && payload.validUntil && payload.validUntil < payload.issuedOn) {
    return rejected('VALIDITY_BEFORE_ISSUE', 'La date de fin de validité précède la date de délivrance.');
  }
  requireBlobs(
    ctx,
    payload.files.map((f) => f.blobHash),
  );
  for (const file of payload.files) {
    const blob = q.blobInfo(file.blobHash);
    if (!blob || blob.size !== file.size) {
      return rejected(
        'BLOB_SIZE_MISMATCH',
        `Le fichier « ${file.filename} » reçu par le serveur n'a pas la taille annoncée : ajoutez-le à nouveau.`,
      );
    }
  }
  const at = ctx.changes.at;
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
    createdByKind: actor.kind === 'agent' ? 'agent' : 'citoyen',
    createdById: actor.kind === 'agent' ? actor.agentId : actor.accountId,
    at,
  });
  ctx.changes.upsert('documents', payload.documentId);
  for (const [index, file] of payload.files.entries()) {
    q.insertFile({
      id: file.fileId,
      documentId: payload.documentId,
      blobHash: file.blobHash,
      filename: file.filename,
      contentType: file.contentType,
      position: index + 1,
      at,
    });
    ctx.changes.upsert('document_files', file.fileId, payload.householdId);
  }
  auditCommand(ctx, actor, {
    action: 'document.attach',
    householdId: payload.householdId,
    entity: 'documents',
    entityId: payload.documentId,
    reason: null,
    details: {
      qualification: payload.qualification,
      files: payload.files.length,
      validUntil: payload.validUntil ?? null,
    },
  });
  return accepted(ctx, {
    message: `${qualificationLabel(payload.qualification)} enregistré(e) (${payload.files.length} fichier${
      payload.files.length > 1 ? 's' : ''
    }).`,
  });
};
