import type { Day, Defaulted, Id, Instant, Json } from './common';
import type { PublicationKind, TownDocumentCategory } from './enums';

export interface PublicationsTable {
  id: Id;
  kind: PublicationKind;
  title: string;
  body: string;
  published_on: Day;
  expires_on: Day | null;
  created_at: Instant;
  updated_at: Instant;
}

/** NULL site = the town-wide menu. Unique (site_id, day). */
export interface MenusTable {
  id: Id;
  site_id: Id | null;
  day: Day;
  starter: string | null;
  main: string | null;
  dessert: string | null;
  dairy: string | null;
  notes: string | null;
  updated_at: Instant;
}

export interface TownDocumentsTable {
  id: Id;
  title: string;
  category: TownDocumentCategory;
  blob_hash: string;
  filename: string;
  published_on: Day;
  updated_at: Instant;
}

/** Append-only. account_id, household_id and entity_id are soft references. */
export interface AuditLogTable {
  id: Id;
  at: Instant;
  agent_id: Id | null;
  desk_id: Id | null;
  account_id: Id | null;
  household_id: Id | null;
  action: string;
  entity: string;
  entity_id: string | null;
  reason: string | null;
  details_json: Defaulted<Json>;
  updated_at: Instant;
}
