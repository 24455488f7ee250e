// For commands carrying document metadata: the files' bytes must be on the server before the rows that point at them.
import { blobStatements } from '../../../db/repositories/blob-store';
import type { CommandContext } from './context';
import { NotReadyYetError } from './context';

/**
 * Throws NotReadyYetError('BLOB_MISSING') when a blob's bytes have not arrived yet:
 * the op is NOT decided — the push stops with `{ reason: 'transient', code: 'BLOB_MISSING' }`
 * and the desk resends it after finishing the upload (PATCH /sync/v1/blobs/:sha256).
 */
export function requireBlobs(ctx: CommandContext, hashes: readonly string[]): void {
  const blobs = blobStatements(ctx.sqlite);
  const missing = hashes.filter((hash) => !blobs.isComplete(hash));
  if (missing.length > 0) {
    throw new NotReadyYetError(
      'BLOB_MISSING',
      `${missing.length > 1 ? `${missing.length} fichiers ne sont` : "Un fichier n'est"} pas encore arrivé${missing.length > 1 ? 's' : ''} sur le serveur : l'opération sera renvoyée après l'envoi.`,
    );
  }
}
