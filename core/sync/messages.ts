// Wire messages of /sync/v1: push, pull, events. See docs/SYNC.md for the guarantees behind them.

/** One outbox entry as a desk sends it. */
export interface SyncOp {
  /** UUIDv7 idempotency key. */
  opId: string;
  /** Per-desk gapless sequence, from 1. */
  deskSeq: number;
  command: string;
  commandVersion: number;
  payload: unknown;
  agentId: string;
  /** Desk clock, informative only: never used for ordering. */
  createdAt: string;
}

export type OpOutcome = 'accepted' | 'rejected' | 'waitlisted';

export interface OpResult {
  opId: string;
  deskSeq: number | null;
  outcome: OpOutcome;
  /** Why, for rejected and waitlisted (and notable accepted ones): a code for code, a French message for people. */
  code?: string;
  message?: string;
  /** Last change-log sequence this command produced (the desk is up to date once its cursor reaches it). */
  changeSeq: number;
}

export interface PushRequest {
  ops: SyncOp[];
}

export type PushStop =
  | { reason: 'gap'; expectedSeq: number }
  | { reason: 'transient'; message: string }
  | { reason: 'payload_conflict'; opId: string; message: string };

export interface PushResponse {
  results: OpResult[];
  /** Present when the server stopped before the end of the batch; the desk resends from there. */
  stopped?: PushStop;
  /** Last desk sequence the server has applied for this desk. */
  lastAppliedSeq: number;
  serverSeq: number;
}

export interface ChangeRow {
  seq: number;
  entity: string;
  entityId: string;
  op: 'upsert' | 'delete';
  row: Record<string, unknown> | null;
}

export type PullResponse =
  | { status: 'ok'; changes: ChangeRow[]; lastSeq: number; hasMore: boolean }
  | { status: 'resync_required'; message: string; oldestSeq: number };
