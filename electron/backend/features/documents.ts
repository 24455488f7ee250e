// Desk backend handlers for the documents commands of the contract: a family's pieces (expiring and missing
// ones flagged), attaching scans (checked by content, stored content-addressed, synced as document.attach v1),
// reading a piece's files, and the scanner folder ("À classer").
import { createHash } from 'node:crypto';
import { parisDay } from '../../../core/calendar/paris';
import { DomainError } from '../../../core/errors';
import { newId } from '../../../core/ids';
import { checkPieceBytes, detectFileType } from '../../../core/documents/detect';
import {
  PIECE_QUALIFICATIONS,
  checkPieceFileCount,
  missingPieces,
  qualificationLabel,
  requiredPieces,
} from '../../../core/documents/pieces';
import type { DocumentAttachV1 } from '../../../core/sync/commands-documents';
import { documentStatements } from '../../../db/repositories/document-records';
import { displayName } from '../../../db/repositories/households';
import type {
  CheckedFileDto,
  DocumentsApi,
  FamilyDocumentsDto,
  PieceFileSourceDto,
} from '../../contract/documents';
import type { DeskStore } from '../desk-store';
import type { FeatureHandlers, HandlerDeps } from '../handler-deps';
import { pendingDocumentIds, toDocumentDto } from './document-dto';
import type { ScanInbox } from './scan-inbox';

interface ResolvedFile extends CheckedFileDto {
  bytes: Buffer;
  /** The scan it came from, to remove from the inbox once recorded. */
  scan: string | null;
}

const ROLE_LABELS: Record<string, string> = {
  titulaire: 'Titulaire',
  co_titulaire: 'Co-titulaire',
  enfant: 'Enfant',
  entourage: 'Entourage',
};

/** Reads and checks every file of a piece (count, then each file's size and type by content). */
async function resolveFiles(scans: ScanInbox, files: readonly PieceFileSourceDto[]): Promise<ResolvedFile[]> {
  checkPieceFileCount(files.length);
  const resolved: ResolvedFile[] = [];
  for (const source of files) {
    const name = 'upload' in source ? source.upload.name : source.scan;
    const bytes =
      'upload' in source ? Buffer.from(source.upload.base64, 'base64') : await scans.read(source.scan);
    const { contentType } = await checkPieceBytes(name, bytes);
    resolved.push({
      name,
      size: bytes.length,
      contentType,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      bytes,
      scan: 'scan' in source ? source.scan : null,
    });
  }
  return resolved;
}

const optional = (value: string | undefined): string | undefined => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
};

/** The pieces activities ask of this family's children (inscriptions asked or validated, periods not over). */
function requiredAsks(store: DeskStore, householdId: string, today: string) {
  const rows = store.sqlite
    .prepare(
      `SELECT DISTINCT i.person_id AS personId, a.name AS activity, a.required_documents_json AS required
       FROM inscriptions i
       JOIN activities a ON a.id = i.activity_id
       JOIN periods p ON p.id = i.period_id
       WHERE i.household_id = ? AND i.status IN ('demandee', 'validee') AND p.end_day >= ?`,
    )
    .all(householdId, today) as { personId: string; activity: string; required: string }[];
  return rows.map((row) => {
    let qualifications: string[] = [];
    try {
      const parsed: unknown = JSON.parse(row.required);
      if (Array.isArray(parsed)) qualifications = parsed.filter((q): q is string => typeof q === 'string');
    } catch {
      qualifications = [];
    }
    return { personId: row.personId, activity: row.activity, qualifications };
  });
}

function members(store: DeskStore, householdId: string): FamilyDocumentsDto['members'] {
  const rows = store.sqlite
    .prepare(
      `SELECT m.person_id AS personId, m.role, p.usage_last_name, p.first_names
       FROM household_members m JOIN persons p ON p.id = m.person_id
       WHERE m.household_id = ?
       ORDER BY CASE m.role WHEN 'enfant' THEN 0 WHEN 'titulaire' THEN 1 WHEN 'co_titulaire' THEN 2 ELSE 3 END,
                m.position, p.birth_date`,
    )
    .all(householdId) as { personId: string; role: string; usage_last_name: string; first_names: string }[];
  return rows.map((row) => ({
    personId: row.personId,
    name: displayName(row),
    role: ROLE_LABELS[row.role] ?? row.role,
  }));
}

export function createDocumentsHandlers(deps: HandlerDeps): FeatureHandlers<DocumentsApi> {
  const { session, changed, now, files } = deps;
  const today = (): string => parisDay(now());

  return {
    'documents/qualifications': async () => PIECE_QUALIFICATIONS.map((q) => ({ ...q })),

    'documents/list': async ({ householdId }) => {
      const { store } = session();
      const q = documentStatements(store.sqlite);
      if (!q.householdExists(householdId))
        throw new DomainError('HOUSEHOLD_NOT_FOUND', 'Famille introuvable sur ce poste.');
      const day = today();
      const pending = pendingDocumentIds(store);
      const rows = q.ofHousehold(householdId);
      const documents = rows.map((row) => toDocumentDto(store, row, day, pending));
      const people = members(store, householdId);
      const nameOf = new Map(people.map((m) => [m.personId, m.name]));
      const missing = missingPieces(
        requiredPieces(requiredAsks(store, householdId, day)),
        rows.map((row) => ({
          qualification: row.qualification,
          personId: row.person_id,
          validUntil: row.valid_until,
        })),
        day,
      ).map((need) => ({
        qualification: need.qualification,
        qualificationLabel: qualificationLabel(need.qualification),
        personId: need.personId,
        personName: need.personId ? (nameOf.get(need.personId) ?? null) : null,
        activities: need.activities,
      }));
      return {
        documents,
        missing,
        expiringCount: documents.filter((d) => d.validity === 'expire_bientot').length,
        expiredCount: documents.filter((d) => d.validity === 'expiree').length,
        members: people,
        today: day,
      };
    },

    'documents/check-files': async ({ files: sources }) =>
      (await resolveFiles(files.scans, sources)).map(({ name, size, contentType, sha256 }) => ({
        name,
        size,
        contentType,
        sha256,
      })),

    'documents/attach': async (args) => {
      const resolved = await resolveFiles(files.scans, args.files);
      const payload: DocumentAttachV1 = {
        documentId: newId(),
        householdId: args.householdId,
        ...(args.personId ? { personId: args.personId } : {}),
        ...(args.demandeId ? { demandeId: args.demandeId } : {}),
        qualification: args.qualification,
        title: optional(args.title) ?? qualificationLabel(args.qualification),
        ...(optional(args.number) ? { number: optional(args.number) } : {}),
        ...(optional(args.issuingAuthority) ? { issuingAuthority: optional(args.issuingAuthority) } : {}),
        ...(optional(args.issuedOn) ? { issuedOn: optional(args.issuedOn) } : {}),
        ...(optional(args.validUntil) ? { validUntil: optional(args.validUntil) } : {}),
        files: resolved.map((file) => ({
          fileId: newId(),
          blobHash: file.sha256,
          filename: file.name,
          contentType: file.contentType,
          size: file.size,
        })),
      };
      const { commands } = session();
      const write = commands.attachDocument(
        payload,
        resolved.map((file) => ({ hash: file.sha256, contentType: file.contentType, bytes: file.bytes })),
      );
      changed(true);
      // Recorded (bytes in the blob store): the scans leave the inbox.
      const scansFiled: string[] = [];
      for (const file of resolved) {
        if (file.scan !== null && (await files.scans.remove(file.scan))) scansFiled.push(file.scan);
      }
      return {
        opId: write.opId,
        seq: write.seq,
        documentId: payload.documentId,
        files: resolved.map(({ name, size, contentType, sha256 }) => ({ name, size, contentType, sha256 })),
        scansFiled,
      };
    },

    'documents/file': async ({ fileId }) => {
      const { store } = session();
      const q = documentStatements(store.sqlite);
      const file = q.file(fileId);
      if (!file) throw new DomainError('FILE_NOT_FOUND', 'Fichier introuvable sur ce poste.');
      let blob = q.blobData(file.blob_hash);
      if (!blob) {
        try {
          blob = (await files.blobs.download(store, file.blob_hash)) ?? undefined;
        } catch {
          throw new DomainError(
            'FILE_NOT_ON_DESK',
            "Ce fichier n'est pas encore sur ce poste et le serveur ne répond pas : réessayez une fois en ligne.",
          );
        }
      }
      if (!blob) throw new DomainError('FILE_NOT_FOUND', "Ce fichier n'est pas (encore) sur le serveur.");
      return {
        filename: file.filename,
        contentType: file.content_type,
        base64: blob.data.toString('base64'),
      };
    },

    'scans/list': async () => ({ folder: files.scans.dir, scans: await files.scans.list() }),

    'scans/read': async ({ name }) => {
      const bytes = await files.scans.read(name);
      const detected = bytes.length > 0 ? await detectFileType(bytes) : null;
      return {
        filename: name,
        contentType:
          detected?.mime === 'application/x-cfb'
            ? 'application/msword'
            : (detected?.mime ?? 'application/octet-stream'),
        base64: bytes.toString('base64'),
      };
    },

    'scans/discard': async ({ name }) => {
      const removed = await files.scans.remove(name);
      return { removed };
    },
  };
}
