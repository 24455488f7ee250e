/**
 * Running one command under an op id, inside the caller's transaction: payload
 * validation, the handler in a savepoint (a rejected or crashing command leaves
 * nothing but its result), and the applied_ops row that makes a replay return the
 * same result. Shared by desk pushes and the parents' portal.
 */
import { createHash } from 'node:crypto';
import type { ZodError } from 'zod';
import type { OpResult } from '../../core/sync/messages';
import { syncStatements } from '../../db/repositories/sync-server';
import type { CommandActor, CommandContext, CommandDefinition, CommandResult } from './commands';
import { NotReadyYetError, rejected } from './commands/context';

/** JSON with object keys sorted at every level: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** sha256 (hex) of the canonical JSON of command + version + payload, as sent. */
export function payloadHash(command: string, commandVersion: number, payload: unknown): string {
  return createHash('sha256')
    .update(canonicalJson({ command, commandVersion, payload }), 'utf8')
    .digest('hex');
}

/** Database busy or failing I/O: nothing was decided, the caller retries later. */
export function isTransientDatabaseError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED|IOERR|FULL|NOMEM|PROTOCOL|CANTOPEN)/.test(code);
}

/** Problems that stop a batch without deciding the op (the desk resends it later). */
export function isNotDecidedError(error: unknown): boolean {
  return error instanceof NotReadyYetError || isTransientDatabaseError(error);
}

function invalidPayloadMessage(command: string, error: ZodError): string {
  const fields = [...new Set(error.issues.map((issue) => issue.path.join('.') || 'données'))].slice(0, 3);
  return `Données invalides pour la commande ${command} (champ${fields.length > 1 ? 's' : ''} ${fields.map((field) => `« ${field} »`).join(', ')}) : mettez le poste à jour ou signalez-le au support.`;
}

class RollBackTo extends Error {
  constructor(readonly result: CommandResult) {
    super('rolled back');
  }
}

export type ErrorLogger = (message: string, details: Record<string, unknown>) => void;

/**
 * Validates the payload and runs the handler in a savepoint of the caller's transaction.
 * Rejected → rolled back, nothing written; unexpected exception (a "poison" op) → rolled
 * back and rejected INTERNAL_ERROR; NotReadyYetError and transient database errors are
 * rethrown (nothing decided).
 */
export function runCommand(
  ctx: CommandContext,
  definition: CommandDefinition,
  rawPayload: unknown,
  actor: CommandActor,
  logError: ErrorLogger,
): CommandResult {
  const parsed = definition.schema.safeParse(rawPayload);
  if (!parsed.success) {
    return rejected('INVALID_PAYLOAD', invalidPayloadMessage(definition.name, parsed.error));
  }
  const before = ctx.changes.rows.length;
  try {
    return ctx.sqlite.transaction(() => {
      const result = definition.handler(ctx, parsed.data, actor);
      if (result.outcome === 'rejected') throw new RollBackTo(result);
      return { ...result, changes: ctx.changes.rows.slice(before) };
    })();
  } catch (error) {
    ctx.changes.truncate(before);
    if (error instanceof RollBackTo) return { ...error.result, changes: [] };
    if (isNotDecidedError(error)) throw error;
    logError('Commande en échec (op mise de côté, INTERNAL_ERROR)', {
      opId: ctx.opId,
      command: definition.name,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
    return rejected(
      'INTERNAL_ERROR',
      "Le serveur n'a pas pu traiter cette opération (erreur interne) : elle est mise de côté, à traiter avec le support.",
    );
  }
}

/** Stores the op's result in applied_ops (inside the caller's transaction) and returns it as sent to the desk. */
export function recordOpResult(
  ctx: CommandContext,
  op: { opId: string; deskId: string | null; deskSeq: number | null; command: string; payloadHash: string },
  result: Omit<CommandResult, 'changes'>,
): OpResult {
  const changeSeq = ctx.changes.lastSeq();
  const stored: OpResult = {
    opId: op.opId,
    deskSeq: op.deskSeq,
    outcome: result.outcome,
    ...(result.code !== undefined ? { code: result.code } : {}),
    ...(result.message !== undefined ? { message: result.message } : {}),
    changeSeq,
  };
  syncStatements(ctx.sqlite).insertAppliedOp({
    op_id: op.opId,
    desk_id: op.deskId,
    desk_seq: op.deskSeq,
    command: op.command,
    payload_hash: op.payloadHash,
    result_json: JSON.stringify(stored),
    change_seq: changeSeq,
    applied_at: ctx.changes.at,
  });
  return stored;
}
