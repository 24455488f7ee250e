import type { Bool, Day, Defaulted, Id, Instant } from './common';
import type {
  AgeGroup,
  AuthorisationKind,
  Civility,
  ContactMean,
  HealthNoteKind,
  MemberRole,
  QfSource,
  Residency,
  Sex,
} from './enums';

/**
 * A foyer. `search_text` and `sort_name` are derived: call
 * `refreshHouseholdSearchText(db, id)` (db/repositories/households.ts) after
 * writing the household, one of its members, or a membership.
 */
export interface HouseholdsTable {
  id: Id;
  /** 'F-000123' */
  code: string;
  numero: string | null;
  voie: string | null;
  batiment: string | null;
  appartement: string | null;
  complement: string | null;
  postcode: string | null;
  city: string | null;
  country: Defaulted<string>;
  residency: Defaulted<Residency>;
  paperless_invoices: Defaulted<Bool>;
  family_situation: string | null;
  caf_number: string | null;
  notes: string | null;
  search_text: Defaulted<string>;
  sort_name: Defaulted<string>;
  created_at: Instant;
  updated_at: Instant;
}

export interface PersonsTable {
  id: Id;
  civility: Civility | null;
  usage_last_name: string;
  birth_last_name: string | null;
  /** All given names, the usual one first. */
  first_names: string;
  birth_date: Day | null;
  birth_country: string | null;
  birth_department: string | null;
  birth_commune: string | null;
  sex: Sex | null;
  photo_blob_hash: string | null;
  phone: string | null;
  mobile: string | null;
  email: string | null;
  preferred_contact: ContactMean | null;
  employer_phone: string | null;
  numero: string | null;
  voie: string | null;
  batiment: string | null;
  appartement: string | null;
  complement: string | null;
  postcode: string | null;
  city: string | null;
  country: string | null;
  school_name: string | null;
  school_level: AgeGroup | null;
  /** 'PS', 'MS', 'GS', 'CP', 'CE1', … */
  class_level: string | null;
  doctor_name: string | null;
  doctor_phone: string | null;
  search_text: Defaulted<string>;
  created_at: Instant;
  updated_at: Instant;
}

/** Primary key (household_id, person_id); at most one titulaire and one co_titulaire. */
export interface HouseholdMembersTable {
  household_id: Id;
  person_id: Id;
  role: MemberRole;
  /** 'mère', 'père', 'grand-mère', 'voisine', … as said at the counter. */
  relationship: string | null;
  can_pick_up: Defaulted<Bool>;
  emergency_contact: Defaulted<Bool>;
  /** Display order within the role. */
  position: Defaulted<number>;
  created_at: Instant;
  updated_at: Instant;
}

/** `related_person_id` is `relation` of `person_id` (e.g. 'mere' of the child). */
export interface PersonRelationsTable {
  id: Id;
  person_id: Id;
  related_person_id: Id;
  relation: string;
  parental_authority: Defaulted<Bool>;
  updated_at: Instant;
}

export interface AuthorisationsTable {
  id: Id;
  person_id: Id;
  kind: AuthorisationKind;
  granted: Defaulted<Bool>;
  valid_from: Day | null;
  valid_to: Day | null;
  details: string | null;
  updated_at: Instant;
}

export interface HealthNotesTable {
  id: Id;
  person_id: Id;
  kind: HealthNoteKind;
  label: string;
  details: string | null;
  updated_at: Instant;
}

/** Quotient familial in whole euros. */
export interface QfRecordsTable {
  id: Id;
  household_id: Id;
  value: number;
  source: QfSource;
  valid_from: Day;
  valid_to: Day | null;
  document_id: Id | null;
  created_at: Instant;
  updated_at: Instant;
}
