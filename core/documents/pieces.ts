/**
 * Pièces justificatives: their qualifications (as the seeds' portal lists them), the file rules every piece
 * follows (pdf, png, jpg, bmp, odt, docx, doc — checked by content, not by name; ≤ 3 200 Ko each; ≤ 4 files),
 * their validity (expiring within 30 days is flagged) and which required pieces a family is missing.
 * Pure rules: the caller detects a file's type from its bytes and passes the result.
 */
import { addDays } from '../calendar/paris';
import { DomainError } from '../errors';

/** `famille`: one piece for the whole household; `enfant`: one per child. */
export type PieceScope = 'famille' | 'enfant';

export interface PieceQualification {
  code: string;
  label: string;
  scope: PieceScope;
}

export const PIECE_QUALIFICATIONS: readonly PieceQualification[] = [
  { code: 'justificatif_domicile', label: 'Justificatif de domicile', scope: 'famille' },
  { code: 'attestation_caf', label: 'Attestation CAF / quotient familial', scope: 'famille' },
  { code: 'avis_imposition', label: 'Avis d’imposition', scope: 'famille' },
  { code: 'assurance', label: 'Attestation d’assurance (responsabilité civile)', scope: 'famille' },
  { code: 'jugement', label: 'Jugement (garde, autorité parentale)', scope: 'famille' },
  { code: 'certificat_medical', label: 'Certificat médical', scope: 'enfant' },
  { code: 'vaccinations', label: 'Vaccinations (carnet de santé)', scope: 'enfant' },
  { code: 'pai', label: 'Projet d’accueil individualisé (PAI)', scope: 'enfant' },
  { code: 'justificatif_absence', label: 'Justificatif d’absence', scope: 'enfant' },
  { code: 'scan', label: 'Autre document', scope: 'famille' },
];

const BY_CODE = new Map(PIECE_QUALIFICATIONS.map((q) => [q.code, q]));

export function qualificationOf(code: string): PieceQualification | undefined {
  return BY_CODE.get(code);
}

/** The French label of a qualification (the code itself for one this desk does not know). */
export function qualificationLabel(code: string): string {
  return BY_CODE.get(code)?.label ?? code;
}

export const PIECE_MAX_FILES = 4;
/** 3 200 Ko, as the portal says (1 Ko = 1 024 octets). */
export const PIECE_MAX_FILE_BYTES = 3200 * 1024;
export const PIECE_FORMATS_TEXT = 'pdf, png, jpg, bmp, odt, docx, doc';

/** Accepted formats: the type file-type detects from the bytes → the content type stored. */
const ACCEPTED: Readonly<Record<string, { contentType: string; label: string }>> = {
  'application/pdf': { contentType: 'application/pdf', label: 'PDF' },
  'image/png': { contentType: 'image/png', label: 'PNG' },
  'image/jpeg': { contentType: 'image/jpeg', label: 'JPG' },
  'image/bmp': { contentType: 'image/bmp', label: 'BMP' },
  'application/vnd.oasis.opendocument.text': {
    contentType: 'application/vnd.oasis.opendocument.text',
    label: 'ODT',
  },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': {
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    label: 'DOCX',
  },
};

/** Old Word files are OLE compound files: file-type says `cfb`; only a `.doc` name makes one a piece. */
const CFB_MIME = 'application/x-cfb';
const DOC_CONTENT_TYPE = 'application/msword';

export interface DetectedType {
  ext: string;
  mime: string;
}

export interface CandidateFile {
  name: string;
  size: number;
  /** What the bytes are (file-type), or null when no known format matched. */
  detected: DetectedType | null;
}

const formatKo = (bytes: number): string =>
  `${Math.ceil(bytes / 1024)
    .toLocaleString('fr-FR')
    .replace(/\u202f|\u00a0/g, ' ')} Ko`;

/** Checks one file; returns the content type to store it under, or throws a DomainError in French. */
export function checkPieceFile(file: CandidateFile): { contentType: string } {
  if (file.size === 0) throw new DomainError('FILE_EMPTY', `« ${file.name} » est vide.`, { name: file.name });
  if (file.size > PIECE_MAX_FILE_BYTES) {
    throw new DomainError(
      'FILE_TOO_LARGE',
      `« ${file.name} » pèse ${formatKo(file.size)} : un fichier ne peut pas dépasser 3 200 Ko.`,
      { name: file.name, size: file.size, max: PIECE_MAX_FILE_BYTES },
    );
  }
  const mime = file.detected?.mime ?? null;
  if (mime !== null && ACCEPTED[mime]) return { contentType: ACCEPTED[mime].contentType };
  if (mime === CFB_MIME && /\.doc$/i.test(file.name)) return { contentType: DOC_CONTENT_TYPE };
  throw new DomainError(
    'FILE_TYPE_REFUSED',
    `« ${file.name} » n’est pas un format accepté : son contenu ${
      mime === null ? 'n’est reconnu comme aucun format' : `est de type « ${file.detected?.ext ?? mime} »`
    }, quel que soit son nom. Formats acceptés : ${PIECE_FORMATS_TEXT}.`,
    { name: file.name, detected: mime },
  );
}

/** Checks the number of files of one piece (1 to 4). */
export function checkPieceFileCount(count: number): void {
  if (count < 1) throw new DomainError('FILES_REQUIRED', 'Ajoutez au moins un fichier à la pièce.');
  if (count > PIECE_MAX_FILES) {
    throw new DomainError(
      'TOO_MANY_FILES',
      `Une pièce compte au plus ${PIECE_MAX_FILES} fichiers : ${count} fichiers choisis.`,
      { count, max: PIECE_MAX_FILES },
    );
  }
}

/** Checks a whole piece's files; returns each file's stored content type, in order. */
export function checkPieceFiles(files: readonly CandidateFile[]): { contentType: string }[] {
  checkPieceFileCount(files.length);
  return files.map(checkPieceFile);
}

/** Days before its end of validity from which a piece is flagged. */
export const EXPIRY_WARNING_DAYS = 30;

export type PieceValidity = 'sans_limite' | 'valide' | 'expire_bientot' | 'expiree';

/** `validUntil` is the last valid day (YYYY-MM-DD); `today` is the Paris day. */
export function pieceValidity(validUntil: string | null, today: string): PieceValidity {
  if (validUntil === null) return 'sans_limite';
  if (validUntil < today) return 'expiree';
  if (validUntil <= addDays(today, EXPIRY_WARNING_DAYS)) return 'expire_bientot';
  return 'valide';
}

/** A piece an activity asks for, for the family (personId null) or for one child. */
export interface RequiredPiece {
  qualification: string;
  personId: string | null;
  /** The activities asking for it (names), for the agent. */
  activities: string[];
}

export interface HeldPiece {
  qualification: string;
  personId: string | null;
  validUntil: string | null;
}

/**
 * Merges what activities ask for: a `famille` piece once per household, an `enfant` piece once per child.
 * `asks`: one entry per (child, activity) with the qualifications the activity requires.
 */
export function requiredPieces(
  asks: readonly { personId: string; activity: string; qualifications: readonly string[] }[],
): RequiredPiece[] {
  const merged = new Map<string, RequiredPiece>();
  for (const ask of asks) {
    for (const code of ask.qualifications) {
      const personId = qualificationOf(code)?.scope === 'enfant' ? ask.personId : null;
      const key = `${code}|${personId ?? ''}`;
      const entry = merged.get(key) ?? { qualification: code, personId, activities: [] };
      if (!entry.activities.includes(ask.activity)) entry.activities.push(ask.activity);
      merged.set(key, entry);
    }
  }
  return [...merged.values()];
}

/**
 * The required pieces no valid held piece covers (an expired one does not count): a family piece is covered
 * by any piece of that qualification, a child's piece by one attached to that child.
 */
export function missingPieces(
  required: readonly RequiredPiece[],
  held: readonly HeldPiece[],
  today: string,
): RequiredPiece[] {
  return required.filter(
    (need) =>
      !held.some(
        (piece) =>
          piece.qualification === need.qualification &&
          (need.personId === null || piece.personId === need.personId) &&
          pieceValidity(piece.validUntil, today) !== 'expiree',
      ),
  );
}
