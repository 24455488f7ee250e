// Desk contract, demandes commands: argument and result types shared by the backend and renderer/desk.
// The queue of what parents send, one-screen processing (accept / refuse with a message), the home counters.
import type { DocumentDto } from './documents';

export type DemandeTypeDto =
  | 'inscription'
  | 'reservation'
  | 'absence'
  | 'coordonnees'
  | 'qf'
  | 'prelevement'
  | 'facture_en_ligne'
  | 'document'
  | 'autre';

export type DemandeStatusDto = 'en_attente' | 'en_cours' | 'traitee_positivement' | 'refusee';

/** `open`: en attente or en cours (the queue); `closed`: decided; `all`. */
export type DemandeStateFilter = 'open' | 'closed' | 'all';

export interface DemandesListArgs {
  state?: DemandeStateFilter;
  types?: DemandeTypeDto[];
  /** Only demandes made at least this many hours ago ("plus de 48 h"). */
  olderThanHours?: number;
  householdId?: string;
  /** Default 200, at most 1000. */
  limit?: number;
}

export interface DemandeListItem {
  id: string;
  number: number | null;
  type: DemandeTypeDto;
  typeLabel: string;
  status: DemandeStatusDto;
  statusLabel: string;
  subject: string;
  createdAt: string;
  /** Whole hours since it was made (desk's estimate of server time). */
  ageHours: number;
  decidedAt: string | null;
  household: { id: string; code: string; titulaire: string };
  requester: string | null;
  attachments: number;
  /** A decision taken at this desk, not yet confirmed by the server. */
  pending: boolean;
}

export interface DemandesListResult {
  items: DemandeListItem[];
  /** Matching demandes, before the limit. */
  total: number;
}

export interface DemandeEventDto {
  seq: number;
  status: DemandeStatusDto;
  statusLabel: string;
  comment: string | null;
  actorKind: 'citoyen' | 'agent' | 'systeme';
  actorName: string | null;
  at: string;
}

export interface DemandeMessageDto {
  id: string;
  authorKind: 'citoyen' | 'agent';
  authorName: string | null;
  body: string;
  sentAt: string;
}

export interface DemandeDetail extends DemandeListItem {
  /** The demande's details as the parent filled them, as French label → value lines. */
  details: { label: string; value: string }[];
  history: DemandeEventDto[];
  messages: DemandeMessageDto[];
  /** Pieces the parent attached (and any attached to the demande at a desk). */
  pieces: DocumentDto[];
  household: DemandeListItem['household'] & { phone: string | null; email: string | null };
  /** Where the e-mail will go (requester's account, else the titulaire's address); null: no address. */
  mailTo: string | null;
  assignedAgent: string | null;
}

export interface DemandeDecideArgs {
  demandeId: string;
  decision: 'accepter' | 'refuser';
  /** Sent to the family: in its thread and by e-mail. */
  message: string;
}

export interface DemandeDecideResult {
  opId: string;
  seq: number;
  status: DemandeStatusDto;
}

export interface DemandesCounts {
  open: number;
  /** Open for more than 48 hours. */
  olderThan48h: number;
  byType: { type: DemandeTypeDto; label: string; open: number }[];
}

export interface DemandesApi {
  'demandes/list': { args: DemandesListArgs; result: DemandesListResult };
  'demandes/get': { args: { demandeId: string }; result: DemandeDetail };
  /** Accept or refuse with a message (synced command demande.decide v1: the server e-mails the family). */
  'demandes/decide': { args: DemandeDecideArgs; result: DemandeDecideResult };
  'demandes/counts': { args: void; result: DemandesCounts };
}

export const DEMANDES_COMMANDS = [
  'demandes/list',
  'demandes/get',
  'demandes/decide',
  'demandes/counts',
] as const satisfies readonly (keyof DemandesApi)[];
