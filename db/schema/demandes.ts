import type { Day, Defaulted, Id, Instant, Json } from './common';
import type { ActorKind, DemandeStatus, DemandeType, DocumentSpace, MessageAuthorKind } from './enums';

/** `number` is NULL until the server numbers it (counter 'demande'). */
export interface DemandesTable {
  id: Id;
  number: number | null;
  household_id: Id;
  requester_person_id: Id | null;
  requester_account_id: Id | null;
  type: DemandeType;
  status: Defaulted<DemandeStatus>;
  subject: string;
  payload_json: Defaulted<Json>;
  assigned_agent_id: Id | null;
  decided_at: Instant | null;
  created_at: Instant;
  updated_at: Instant;
}

/** Unique (demande_id, seq); seq starts at 1. */
export interface DemandeEventsTable {
  id: Id;
  demande_id: Id;
  seq: number;
  status: DemandeStatus;
  comment: string | null;
  actor_kind: ActorKind;
  /** Citizen account id, agent id, or NULL for the system. */
  actor_id: Id | null;
  at: Instant;
  updated_at: Instant;
}

export interface MessageThreadsTable {
  id: Id;
  household_id: Id;
  demande_id: Id | null;
  service: string;
  subject: string;
  unread_household: Defaulted<number>;
  unread_agents: Defaulted<number>;
  last_message_at: Instant;
  created_at: Instant;
  updated_at: Instant;
}

export interface MessagesTable {
  id: Id;
  thread_id: Id;
  author_kind: MessageAuthorKind;
  author_id: Id | null;
  body: string;
  sent_at: Instant;
  read_at: Instant | null;
  updated_at: Instant;
}

/** A `prive_citoyen` document has an `owner_account_id` and is never shown to agents. */
export interface DocumentsTable {
  id: Id;
  household_id: Id | null;
  person_id: Id | null;
  demande_id: Id | null;
  owner_account_id: Id | null;
  space: DocumentSpace;
  qualification: string;
  title: string;
  number: string | null;
  issuing_authority: string | null;
  issued_on: Day | null;
  valid_until: Day | null;
  created_at: Instant;
  created_by_kind: ActorKind;
  created_by_id: Id | null;
  updated_at: Instant;
}

/** Unique (document_id, position), position 1..4. */
export interface DocumentFilesTable {
  id: Id;
  document_id: Id;
  blob_hash: string;
  filename: string;
  content_type: string;
  position: number;
  updated_at: Instant;
}
