import type { Defaulted, Id, Instant, Json } from './common';
import type { ChangeOp, OutboxStatus } from './enums';

/** Desk side. `seq` is gapless per desk (max + 1 in the writing transaction). */
export interface OutboxTable {
  seq: number;
  op_id: Id;
  command: string;
  command_version: number;
  payload_json: Json;
  agent_id: Id;
  created_at: Instant;
  status: Defaulted<OutboxStatus>;
  attempts: Defaulted<number>;
  result_json: Json | null;
  sent_at: Instant | null;
  decided_at: Instant | null;
  /** The family concerned (soft reference): whom to call when the op ends rejected or waitlisted. */
  household_id: Id | null;
  /** When an agent marked a rejected / waitlisted op handled (À traiter). */
  acknowledged_at: Instant | null;
  /** When the server's truth for this op reached the replica; NULL while it is re-applied over pulls. */
  settled_at: Instant | null;
}

/**
 * Desk side: the undo record of an op's optimistic local write, one row per row it
 * touched, captured before the change. Primary key (op_seq, position). Only ops still
 * waiting for the server's truth have effects.
 */
export interface OutboxEffectsTable {
  op_seq: number;
  position: number;
  table_name: string;
  /** JSON array of the primary-key values, in key order. */
  pk_json: Json;
  /** The full row before the op touched it; NULL when the op created it. */
  prior_row_json: Json | null;
}

/** Server side: one row per command run; NULL desk for portal commands. */
export interface AppliedOpsTable {
  op_id: Id;
  desk_id: Id | null;
  desk_seq: number | null;
  command: string;
  payload_hash: string;
  result_json: Json;
  change_seq: number | null;
  applied_at: Instant;
}

/**
 * Server side, hole-free `seq`. `household_id` scopes visibility (NULL = seen by
 * every desk). Composite keys are written as their values joined by '|'.
 */
export interface ChangeLogTable {
  seq: number;
  entity: string;
  entity_id: string;
  op: ChangeOp;
  household_id: Id | null;
  row_json: Json | null;
  at: Instant;
}

export interface SyncStateTable {
  key: string;
  value: string;
}
