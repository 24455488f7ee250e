/**
 * The content-addressed blob store (scans, photos, PDFs): what the server holds,
 * and whether a desk may download a blob (not when only a parent's private
 * documents point at it). Prepared better-sqlite3 statements.
 */
import { preparedFor } from './sync-server';

export const blobStatements = preparedFor((sqlite) => {
  const info = sqlite.prepare(
    'SELECT hash, size, content_type, data IS NOT NULL AS complete FROM blobs WHERE hash = ?',
  );
  const data = sqlite.prepare('SELECT content_type, data FROM blobs WHERE hash = ? AND data IS NOT NULL');
  const store = sqlite.prepare(
    `INSERT INTO blobs (hash, size, content_type, data, created_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (hash) DO UPDATE SET size = excluded.size, content_type = excluded.content_type, data = excluded.data
     WHERE blobs.data IS NULL`,
  );
  const onlyPrivate = sqlite.prepare(
    `SELECT EXISTS (SELECT 1 FROM document_files f JOIN documents d ON d.id = f.document_id
                     WHERE f.blob_hash = @hash AND d.space = 'prive_citoyen')
        AND NOT EXISTS (SELECT 1 FROM document_files f JOIN documents d ON d.id = f.document_id
                         WHERE f.blob_hash = @hash AND d.space <> 'prive_citoyen')
        AND NOT EXISTS (SELECT 1 FROM town_documents WHERE blob_hash = @hash)
        AND NOT EXISTS (SELECT 1 FROM persons WHERE photo_blob_hash = @hash)
        AND NOT EXISTS (SELECT 1 FROM invoices WHERE pdf_blob_hash = @hash)
        AND NOT EXISTS (SELECT 1 FROM towns WHERE logo_blob_hash = @hash) AS private_only`,
  );
  return {
    info: (hash: string) =>
      info.get(hash) as { hash: string; size: number; content_type: string; complete: number } | undefined,
    /** True when the blob's bytes are on the server. */
    isComplete: (hash: string): boolean =>
      (info.get(hash) as { complete: number } | undefined)?.complete === 1,
    data: (hash: string) => data.get(hash) as { content_type: string; data: Buffer } | undefined,
    store: (hash: string, contentType: string, bytes: Buffer, at: string): void => {
      store.run(hash, bytes.length, contentType, bytes, at);
    },
    /** Only a parent's private store points at it: no desk may download it. */
    isPrivateOnly: (hash: string): boolean =>
      (onlyPrivate.get({ hash }) as { private_only: number }).private_only === 1,
  };
});
