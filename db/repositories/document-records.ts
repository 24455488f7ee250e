/**
 * SQL behind pièces justificatives (documents, document_files) and the content-addressed blob store, shared by
 * the server (document.attach) and the desk (its optimistic preview, the documents tab, scans).
 * Prepared better-sqlite3 statements, run inside the caller's transaction.
 */
import type { ActorKind, DocumentSpace, Row } from '../schema';
import { preparedFor } from './sync-server';

export interface NewDocumentRow {
  id: string;
  householdId: string | null;
  personId: string | null;
  demandeId: string | null;
  space: DocumentSpace;
  qualification: string;
  title: string;
  number: string | null;
  issuingAuthority: string | null;
  issuedOn: string | null;
  validUntil: string | null;
  createdByKind: ActorKind;
  createdById: string | null;
  at: string;
}

export interface NewDocumentFileRow {
  id: string;
  documentId: string;
  blobHash: string;
  filename: string;
  contentType: string;
  position: number;
  at: string;
}

export interface BlobInfo {
  hash: string;
  size: number;
  content_type: string;
  complete: number;
}

export const documentStatements = preparedFor((sqlite) => {
  const document = sqlite.prepare('SELECT * FROM documents WHERE id = ?');
  const insertDocument = sqlite.prepare(
    `INSERT INTO documents (id, household_id, person_id, demande_id, owner_account_id, space, qualification, title,
       number, issuing_authority, issued_on, valid_until, created_at, created_by_kind, created_by_id, updated_at)
     VALUES (@id, @householdId, @personId, @demandeId, NULL, @space, @qualification, @title, @number,
       @issuingAuthority, @issuedOn, @validUntil, @at, @createdByKind, @createdById, @at)`,
  );
  const insertFile = sqlite.prepare(
    `INSERT INTO document_files (id, document_id, blob_hash, filename, content_type, position, updated_at)
     VALUES (@id, @documentId, @blobHash, @filename, @contentType, @position, @at)`,
  );
  const filesOf = sqlite.prepare('SELECT * FROM document_files WHERE document_id = ? ORDER BY position');
  const file = sqlite.prepare('SELECT * FROM document_files WHERE id = ?');
  const blobInfo = sqlite.prepare(
    'SELECT hash, size, content_type, data IS NOT NULL AS complete FROM blobs WHERE hash = ?',
  );
  const blobData = sqlite.prepare('SELECT content_type, data FROM blobs WHERE hash = ? AND data IS NOT NULL');
  const putBlob = sqlite.prepare(
    `INSERT INTO blobs (hash, size, content_type, data, created_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (hash) DO UPDATE SET size = excluded.size, content_type = excluded.content_type,
       data = excluded.data WHERE blobs.data IS NULL`,
  );
  const blobPlaceholder = sqlite.prepare(
    `INSERT INTO blobs (hash, size, content_type, data, created_at) VALUES (?, 0, ?, NULL, ?)
     ON CONFLICT (hash) DO NOTHING`,
  );
  const personInHousehold = sqlite.prepare(
    'SELECT 1 FROM household_members WHERE household_id = ? AND person_id = ?',
  );
  const household = sqlite.prepare('SELECT 1 FROM households WHERE id = ?');
  const demandeHousehold = sqlite.prepare('SELECT household_id FROM demandes WHERE id = ?');
  const ofHousehold = sqlite.prepare(
    `SELECT * FROM documents WHERE household_id = ? AND space <> 'prive_citoyen'
     ORDER BY created_at DESC, id DESC`,
  );
  const ofDemande = sqlite.prepare(
    `SELECT * FROM documents WHERE demande_id = ? AND space <> 'prive_citoyen' ORDER BY created_at, id`,
  );
  return {
    document: (id: string) => document.get(id) as Row<'documents'> | undefined,
    insertDocument: (row: NewDocumentRow): void => void insertDocument.run(row),
    insertFile: (row: NewDocumentFileRow): void => void insertFile.run(row),
    filesOf: (documentId: string) => filesOf.all(documentId) as Row<'document_files'>[],
    file: (id: string) => file.get(id) as Row<'document_files'> | undefined,
    blobInfo: (hash: string) => blobInfo.get(hash) as BlobInfo | undefined,
    blobData: (hash: string) => blobData.get(hash) as { content_type: string; data: Buffer } | undefined,
    /** Stores a blob's bytes (content-addressed: storing the same bytes twice changes nothing). */
    putBlob: (hash: string, contentType: string, bytes: Buffer, at: string): void =>
      void putBlob.run(hash, bytes.length, contentType, bytes, at),
    /** Records that a blob exists (bytes not here yet: `data` NULL) so rows may point at it. */
    blobPlaceholder: (hash: string, contentType: string, at: string): void =>
      void blobPlaceholder.run(hash, contentType, at),
    householdExists: (id: string): boolean => household.get(id) !== undefined,
    personInHousehold: (householdId: string, personId: string): boolean =>
      personInHousehold.get(householdId, personId) !== undefined,
    demandeHousehold: (demandeId: string): string | null =>
      (demandeHousehold.get(demandeId) as { household_id: string } | undefined)?.household_id ?? null,
    /** A family's pieces agents may see (never the parent's private store), newest first. */
    ofHousehold: (householdId: string) => ofHousehold.all(householdId) as Row<'documents'>[],
    ofDemande: (demandeId: string) => ofDemande.all(demandeId) as Row<'documents'>[],
  };
});
