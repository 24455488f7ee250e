// Documents as the desk shows them (documents tab, a demande's attachments): rows → DTOs, with validity and
// whether a piece is still waiting for the server.
import { pieceValidity, qualificationLabel } from '../../../core/documents/pieces';
import type { DocumentAttachV1 } from '../../../core/sync/commands-documents';
import { documentStatements } from '../../../db/repositories/document-records';
import { displayName } from '../../../db/repositories/households';
import type { Row } from '../../../db/schema';
import type { DocumentDto } from '../../contract/documents';
import type { DeskStore } from '../desk-store';

/** Ids of the pieces attached at this desk that the server has not accepted yet. */
export function pendingDocumentIds(store: DeskStore): Set<string> {
  const rows = store.sqlite
    .prepare(
      `SELECT payload_json FROM outbox WHERE settled_at IS NULL AND command = 'document.attach'
         AND status IN ('pending', 'sent') ORDER BY seq`,
    )
    .all() as { payload_json: string }[];
  return new Set(rows.map((row) => (JSON.parse(row.payload_json) as DocumentAttachV1).documentId));
}

export function toDocumentDto(
  store: DeskStore,
  row: Row<'documents'>,
  today: string,
  pending: ReadonlySet<string>,
): DocumentDto {
  const q = documentStatements(store.sqlite);
  const person = row.person_id
    ? (store.sqlite
        .prepare('SELECT usage_last_name, first_names FROM persons WHERE id = ?')
        .get(row.person_id) as { usage_last_name: string; first_names: string } | undefined)
    : undefined;
  const demandeNumber = row.demande_id
    ? ((
        store.sqlite.prepare('SELECT number FROM demandes WHERE id = ?').get(row.demande_id) as
          { number: number | null } | undefined
      )?.number ?? null)
    : null;
  return {
    id: row.id,
    qualification: row.qualification,
    qualificationLabel: qualificationLabel(row.qualification),
    title: row.title,
    personId: row.person_id,
    personName: person ? displayName(person) : null,
    demandeId: row.demande_id,
    demandeNumber,
    number: row.number,
    issuingAuthority: row.issuing_authority,
    issuedOn: row.issued_on,
    validUntil: row.valid_until,
    validity: pieceValidity(row.valid_until, today),
    createdAt: row.created_at,
    createdBy: row.created_by_kind,
    pending: pending.has(row.id),
    files: q.filesOf(row.id).map((file) => {
      const blob = q.blobInfo(file.blob_hash);
      return {
        id: file.id,
        filename: file.filename,
        contentType: file.content_type,
        size: blob?.complete === 1 ? blob.size : null,
        local: blob?.complete === 1,
      };
    }),
  };
}
