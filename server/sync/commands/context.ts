// What every server command receives and returns: `(ctx, payload, actor) → { outcome, code?, message?, changes }`.
import type BetterSqlite3 from 'better-sqlite3';
import type { ChangeRow, OpOutcome } from '../../../core/sync/messages';
import type { ChangeWriter } from '../change-log';

/** Who asked: an agent at an enrolled desk, or a signed-in parent on the portal. */
export type CommandActor =
  | { kind: 'agent'; agentId: string; deskId: string }
  | { kind: 'parent'; accountId: string; householdId: string };

export interface CommandContext {
  sqlite: BetterSqlite3.Database;
  /** Server clock: the only clock that decides (deadlines, timestamps). */
  now: Date;
  /** The op id this command runs under (stored as origin_op_id on the rows it writes). */
  opId: string;
  changes: ChangeWriter;
}

export interface CommandResult {
  outcome: OpOutcome;
  code?: string;
  message?: string;
  /** Change rows appended (empty when rejected: a rejected command writes nothing but its result). */
  changes: ChangeRow[];
}

export type CommandHandler<P> = (ctx: CommandContext, payload: P, actor: CommandActor) => CommandResult;

export function accepted(ctx: CommandContext, why: { code?: string; message?: string } = {}): CommandResult {
  return { outcome: 'accepted', ...why, changes: ctx.changes.rows };
}

export function waitlisted(ctx: CommandContext, code: string, message: string): CommandResult {
  return { outcome: 'waitlisted', code, message, changes: ctx.changes.rows };
}

export function rejected(code: string, message: string): CommandResult {
  return { outcome: 'rejected', code, message, changes: [] };
}

/** The desk id and agent id to stamp on rows and audit entries (NULL for a parent). */
export function actorColumns(actor: CommandActor): {
  agentId: string | null;
  deskId: string | null;
  accountId: string | null;
} {
  return actor.kind === 'agent'
    ? { agentId: actor.agentId, deskId: actor.deskId, accountId: null }
    : { agentId: null, deskId: null, accountId: actor.accountId };
}

/**
 * Thrown by a command whose data is not on the server yet (a scan's blob still uploading):
 * the op is not decided; the push stops with `transient` and the desk retries later.
 */
export class NotReadyYetError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'NotReadyYetError';
  }
}
