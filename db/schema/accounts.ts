import type { Bool, Defaulted, Id, Instant } from './common';
import type { AgentRole, CitizenAccountStatus } from './enums';

/** A parent's web account. `household_id` is NULL until linked to a family record. */
export interface CitizenAccountsTable {
  id: Id;
  household_id: Id | null;
  person_id: Id | null;
  login: string;
  email: string;
  password_hash: string;
  status: Defaulted<CitizenAccountStatus>;
  activation_token_hash: string | null;
  activation_expires_at: Instant | null;
  password_reset_token_hash: string | null;
  password_reset_expires_at: Instant | null;
  failed_login_count: Defaulted<number>;
  locked_until: Instant | null;
  last_login_at: Instant | null;
  created_at: Instant;
  updated_at: Instant;
}

export interface HouseholdAccessKeysTable {
  id: Id;
  household_id: Id;
  key_hash: string;
  /** A few characters shown to agents to tell keys apart ('…OBOES'). */
  key_hint: string;
  issued_at: Instant;
  expires_at: Instant | null;
  used_at: Instant | null;
  used_by_account_id: Id | null;
  updated_at: Instant;
}

/** Server only. */
export interface CitizenSessionsTable {
  id: Id;
  account_id: Id;
  token_hash: string;
  created_at: Instant;
  expires_at: Instant;
  last_seen_at: Instant | null;
}

export interface AgentsTable {
  id: Id;
  login: string;
  display_name: string;
  email: string | null;
  password_hash: string;
  active: Defaulted<Bool>;
  failed_login_count: Defaulted<number>;
  locked_until: Instant | null;
  last_login_at: Instant | null;
  created_at: Instant;
  updated_at: Instant;
}

/** Primary key (agent_id, role). */
export interface AgentRolesTable {
  agent_id: Id;
  role: AgentRole;
  updated_at: Instant;
}

export interface DesksTable {
  id: Id;
  name: string;
  receipt_prefix: string;
  token_hash: string | null;
  enrolled_at: Instant | null;
  revoked_at: Instant | null;
  last_seen_at: Instant | null;
  created_at: Instant;
  updated_at: Instant;
}
