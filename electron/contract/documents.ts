// Desk contract, documents commands: argument and result types shared by the backend and renderer/desk.
// Pièces justificatives of a family (scans attached at the desk, parents' attachments) and the scanner inbox.

/** Validity of a piece: no end date, valid, ends within 30 days, ended. */
export type PieceValidityDto = 'sans_limite' | 'valide' | 'expire_bientot' | 'expiree';

export interface QualificationDto {
  code: string;
  label: string;
  /** `enfant`: attached to one child; `famille`: to the whole household. */
  scope: 'famille' | 'enfant';
}

export interface DocumentFileDto {
  id: string;
  filename: string;
  contentType: string;
  size: number | null;
  /** The bytes are on this desk (else `documents/file` fetches them from the server). */
  local: boolean;
}

export interface DocumentDto {
  id: string;
  qualification: string;
  qualificationLabel: string;
  title: string;
  personId: string | null;
  /** "DUPONT Léa" when the piece is a child's (or a member's). */
  personName: string | null;
  demandeId: string | null;
  demandeNumber: number | null;
  number: string | null;
  issuingAuthority: string | null;
  issuedOn: string | null;
  validUntil: string | null;
  validity: PieceValidityDto;
  createdAt: string;
  createdBy: 'citoyen' | 'agent' | 'systeme';
  /** Attached at this desk and not yet accepted by the server (shown « en attente d'envoi »). */
  pending: boolean;
  files: DocumentFileDto[];
}

/** A piece an activity asks for that the family has not given (or that has expired). */
export interface MissingPieceDto {
  qualification: string;
  qualificationLabel: string;
  personId: string | null;
  personName: string | null;
  /** The activities asking for it. */
  activities: string[];
}

export interface FamilyDocumentsDto {
  documents: DocumentDto[];
  missing: MissingPieceDto[];
  /** Pieces ending within 30 days. */
  expiringCount: number;
  expiredCount: number;
  /** Members a piece may be attached to (children first). */
  members: { personId: string; name: string; role: string }[];
  today: string;
}

/** A file as the renderer sends it: name and bytes in base64 (files are ≤ 3 200 Ko). */
export interface UploadedFileDto {
  name: string;
  base64: string;
}

/** A file of the piece being attached: sent by the renderer, or taken from the scanner inbox. */
export type PieceFileSourceDto = { upload: UploadedFileDto } | { scan: string };

export interface CheckedFileDto {
  name: string;
  size: number;
  contentType: string;
  sha256: string;
}

export interface DocumentAttachArgs {
  householdId: string;
  personId?: string;
  demandeId?: string;
  qualification: string;
  /** Default: the qualification's label. */
  title?: string;
  number?: string;
  issuingAuthority?: string;
  /** YYYY-MM-DD. */
  issuedOn?: string;
  validUntil?: string;
  files: PieceFileSourceDto[];
}

export interface DocumentAttachResult {
  opId: string;
  seq: number;
  documentId: string;
  files: CheckedFileDto[];
  /** Scans taken from the inbox (removed from it once the piece was recorded). */
  scansFiled: string[];
}

/** A file waiting in the scanner folder ("À classer"). */
export interface ScanDto {
  name: string;
  size: number;
  modifiedAt: string;
  /** Stored type when acceptable; null when not (see `problem`). */
  contentType: string | null;
  /** Why it cannot be attached as is, in French (format, size); null when fine. */
  problem: string | null;
}

export interface FileContentDto {
  filename: string;
  contentType: string;
  base64: string;
}

export interface DocumentsApi {
  'documents/qualifications': { args: void; result: QualificationDto[] };
  /** A family's pieces, with expiring and missing ones flagged. */
  'documents/list': { args: { householdId: string }; result: FamilyDocumentsDto };
  /** Checks files by content before saving (format, size, count): the same checks as `documents/attach`. */
  'documents/check-files': { args: { files: PieceFileSourceDto[] }; result: CheckedFileDto[] };
  /** Records a piece (synced command document.attach v1); its files are uploaded before the metadata. */
  'documents/attach': { args: DocumentAttachArgs; result: DocumentAttachResult };
  /** The bytes of one file of a piece (downloaded from the server when this desk does not hold them). */
  'documents/file': { args: { fileId: string }; result: FileContentDto };
  /** The scanner folder's files, newest first. */
  'scans/list': { args: void; result: { folder: string; scans: ScanDto[] } };
  'scans/read': { args: { name: string }; result: FileContentDto };
  /** Removes a scan from the inbox without attaching it (a blank page, a duplicate). */
  'scans/discard': { args: { name: string }; result: { removed: boolean } };
}

export const DOCUMENTS_COMMANDS = [
  'documents/qualifications',
  'documents/list',
  'documents/check-files',
  'documents/attach',
  'documents/file',
  'scans/list',
  'scans/read',
  'scans/discard',
] as const satisfies readonly (keyof DocumentsApi)[];
