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
