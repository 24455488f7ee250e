// document.attach v1 — a piece (1 to 4 scanned files) attached to a family, a child or a demande at the desk.
import { z } from 'zod';
import { PIECE_MAX_FILES, PIECE_MAX_FILE_BYTES } from '../documents/pieces';

const id = z.string().uuid();
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Jour attendu au format AAAA-MM-JJ.');
const optionalText = (max: number) => z.string().trim().min(1).max(max).optional();

/**
 * Metadata only: each file's bytes travel apart, content-addressed (SHA-256), by the resumable blob upload.
 * The server accepts the metadata only once every blob is complete (BLOB_MISSING stops the push until then).
 */
export const documentAttachV1 = z.object({
  documentId: id,
  householdId: id,
  personId: id.optional(),
  demandeId: id.optional(),
  qualification: z.string().regex(/^[a-z_]{2,40}$/),
  title: z.string().trim().min(1).max(200),
  number: optionalText(80),
  issuingAuthority: optionalText(120),
  issuedOn: day.optional(),
  validUntil: day.optional(),
  files: z
    .array(
      z.object({
        fileId: id,
        blobHash: z.string().regex(/^[0-9a-f]{64}$/),
        filename: z.string().trim().min(1).max(255),
        contentType: z.string().min(3).max(120),
        size: z.number().int().positive().max(PIECE_MAX_FILE_BYTES),
      }),
    )
    .min(1)
    .max(PIECE_MAX_FILES),
});
export type DocumentAttachV1 = z.infer<typeof documentAttachV1>;

export const DOCUMENT_COMMAND_SCHEMAS = {
  'document.attach': { version: 1, schema: documentAttachV1 },
} as const;
