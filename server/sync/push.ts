/**
 * POST /sync/v1/push, the engine: a desk's batch in order, each op in its own
 * savepoint, committed in IMMEDIATE transactions of a few ops — idempotency by op
 * id (same payload hash → the stored result; other hash → stop, payload_conflict),
 * the desk's gapless sequence, the agent's rights, the command itself, the
 * applied_ops row; listeners hear about the op's change rows after its commit.
 * See docs/SYNC.md.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { ChangeRow, OpResult, PushResponse, PushStop, SyncOp } from '../../core/sync/messages';
import { syncStatements } from '../../db/repositories/sync-server';
import { ChangeWriter, changeFeedOf } from './change-log';
import { findCommand } from './commands';
import type { CommandActor, CommandContext, CommandDefinition, CommandResult } from './commands';
import { keepVoidReceipt } from './commands/payment-shared';
import { NotReadyYetError, rejected } from './commands/context';
import { isTransientDatabaseError, payloadHash, recordOpResult, runCommand } from './op-runner';
import type { ErrorLogger } from './op-runner';

/** A stop may carry a code (e.g. BLOB_MISSING for a transient stop) besides the protocol's fields. */
export type ServerPushStop = PushStop & { code?: string };

export interface PushOptions {
  now?: () => Date;
  logError?: ErrorLogger;
}

type Step =
  { kind: 'result'; result: OpResult; changes: ChangeRow[] } | { kind: 'stop'; stop: ServerPushStop };

const defaultLogger: ErrorLogger = (message, details) => console.error(`[sync] ${message}`, details);

function authorise(
  sqlite: BetterSqlite3.Database,
  op: SyncOp,
  roles: readonly string[],
  activeOnly: boolean,
) {
  const agent = syncStatements(sqlite).agent(op.agentId);
  if (!agent) return rejected('AGENT_UNKNOWN', "L'agent qui a saisi cette opération est inconnu du serveur.");
  if (activeOnly && agent.active !== 1) {
    return rejected('AGENT_INACTIVE', "Le compte de l'agent qui a saisi cette opération est désactivé.");
  }
  if (!agent.roles.some((role) => roles.includes(role))) {
    return rejected('ROLE_NOT_ALLOWED', "L'agent qui a saisi cette opération n'a pas le rôle nécessaire.");
  }
  return null;
}

function applyDeskOp(
  sqlite: BetterSqlite3.Database,
  deskId: string,
  op: SyncOp,
  now: Date,
  logError: ErrorLogger,
): Step {
  const q = syncStatements(sqlite);
  const hash = payloadHash(op.command, op.commandVersion, op.payload);
  const known = q.appliedOp(op.opId);
  if (known) {
    if (known.payload_hash === hash && known.desk_id === deskId) {
      return { kind: 'result', result: JSON.parse(known.result_json) as OpResult, changes: [] };
    }
    logError('payload_conflict : identifiant d’opération réutilisé', {
      deskId,
      opId: op.opId,
      deskSeq: op.deskSeq,
    });
    return {
      kind: 'stop',
      stop: {
        reason: 'payload_conflict',
        opId: op.opId,
        message:
          "Cet identifiant d'opération a déjà servi pour un autre contenu : l'opération est refusée (OP_ID_REUSED).",
      },
    };
  }
  const lastApplied = q.lastDeskSeq(deskId);
  if (op.deskSeq > lastApplied + 1)
    return { kind: 'stop', stop: { reason: 'gap', expectedSeq: lastApplied + 1 } };
  if (op.deskSeq <= lastApplied) {
    logError('payload_conflict : numéro de séquence déjà appliqué sous un autre identifiant', {
      deskId,
      opId: op.opId,
      deskSeq: op.deskSeq,
      appliedOpId: q.opAtDeskSeq(deskId, op.deskSeq),
    });
    return {
      kind: 'stop',
      stop: {
        reason: 'payload_conflict',
        opId: op.opId,
        message: `L'opération n° ${op.deskSeq} de ce poste a déjà été appliquée sous un autre identifiant.`,
      },
    };
  }

  const ctx: CommandContext = {
    sqlite,
    now,
    opId: op.opId,
    changes: new ChangeWriter(sqlite, now.toISOString()),
  };
  const actor: CommandActor = { kind: 'agent', agentId: op.agentId, deskId };
  const definition = findCommand(op.command, op.commandVersion);
  const decided = !definition
    ? rejected(
        'UNKNOWN_COMMAND',
        `Commande inconnue du serveur : ${op.command} v${op.commandVersion}. Le poste ou le serveur doit être mis à jour.`,
      )
    : (authorise(sqlite, op, definition.roles, definition.requiresActiveAgent) ??
      runCommand(ctx, definition, op.payload, actor, logError));
  const result = definition ? keepReceiptOfRefused(ctx, definition, op.payload, actor, decided) : decided;
  const stored = recordOpResult(
    ctx,
    { opId: op.opId, deskId, deskSeq: op.deskSeq, command: op.command, payloadHash: hash },
    result,
  );
  return { kind: 'result', result: stored, changes: result.changes };
}

/** A refused payment command keeps the number of the receipt the desk printed (a void receipt). */
function keepReceiptOfRefused(
  ctx: CommandContext,
  definition: CommandDefinition,
  payload: unknown,
  actor: CommandActor,
  result: CommandResult,
): CommandResult {
  if (result.outcome !== 'rejected' || !definition.printedReceipt) return result;
  const parsed = definition.schema.safeParse(payload);
  if (!parsed.success) return result;
  return keepVoidReceipt(ctx, actor, definition.printedReceipt(parsed.data), result);
}

/** A transient failure that rolled the whole group back (SQLite ends the transaction on some I/O errors). */
class GroupLost extends Error {
  constructor(readonly stop: ServerPushStop) {
    super('group rolled back');
  }
}

const BUSY_STOP: ServerPushStop = {
  reason: 'transient',
  message: 'Le serveur est momentanément occupé : la synchronisation reprendra dans un instant.',
};

/**
 * Ops committed together: each op runs in its own savepoint (atomic on its own: a failing op rolls back
 * alone) inside one IMMEDIATE transaction per group of this many, so a batch pays one commit per group
 * instead of one per op (pages every op touches — the change log's tail, applied_ops, audit — are written
 * once per group), and a transaction stays small enough for its dirty pages to fit the page cache.
 */
export const OPS_PER_COMMIT = 64;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Applies a desk's batch, in order, committed in groups of OPS_PER_COMMIT ops before answering. Stops at a
 * gap, a conflict or a transient failure; what was committed before the stop is answered. Listeners hear
 * about each group's changes after its commit. Between two groups (outside any transaction) the event loop
 * serves other requests — parents' bookings, pulls, other desks — instead of waiting for the whole batch;
 * a concurrent push of the same desk is safe: every op re-checks its id and the desk's sequence inside its
 * own transaction.
 */
export async function processPush(
  database: { sqlite: BetterSqlite3.Database },
  deskId: string,
  ops: readonly SyncOp[],
  options: PushOptions = {},
): Promise<PushResponse & { stopped?: ServerPushStop }> {
  const { sqlite } = database;
  const now = options.now ?? (() => new Date());
  const logError = options.logError ?? defaultLogger;
  const feed = changeFeedOf(sqlite);
  const results: OpResult[] = [];
  let stopped: ServerPushStop | undefined;
  let failure: unknown = null;
  for (let from = 0; from < ops.length && stopped === undefined && failure === null; from += OPS_PER_COMMIT) {
    if (from > 0) await nextTurn();
    const group = ops.slice(from, from + OPS_PER_COMMIT);
    const groupResults: OpResult[] = [];
    const groupChanges: ChangeRow[] = [];
    const runGroup = (): void => {
      for (const op of group) {
        let step: Step;
        try {
          step = sqlite.transaction(() => applyDeskOp(sqlite, deskId, op, now(), logError))();
        } catch (error) {
          if (error instanceof NotReadyYetError) {
            stopped = { reason: 'transient', code: error.code, message: error.message };
          } else if (isTransientDatabaseError(error)) {
            stopped = BUSY_STOP;
          } else {
            // Committed up to the op before, then thrown (as when each op had its own transaction).
            failure = error;
          }
          // SQLite rolls the whole transaction back on some errors (I/O, disk full): nothing of the group stays.
          if (!sqlite.inTransaction) throw new GroupLost(stopped ?? BUSY_STOP);
          return;
        }
        if (step.kind === 'stop') {
          stopped = step.stop;
          return;
        }
        groupResults.push(step.result);
        for (const change of step.changes) groupChanges.push(change);
      }
    };
    try {
      sqlite.transaction(runGroup).immediate();
    } catch (error) {
      // Nothing of this group was committed (those before it were, and are answered).
      if (error instanceof GroupLost) {
        if (failure !== null) throw failure;
        stopped = error.stop;
      } else if (isTransientDatabaseError(error)) {
        stopped = BUSY_STOP;
      } else {
        throw error;
      }
      break;
    }
    for (const result of groupResults) results.push(result);
    feed.publish(groupChanges);
  }
  if (failure !== null) throw failure;
  const q = syncStatements(sqlite);
  return {
    results,
    ...(stopped ? { stopped } : {}),
    lastAppliedSeq: q.lastDeskSeq(deskId),
    serverSeq: q.lastSeq(),
  };
}
