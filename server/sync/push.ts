/**
 * POST /sync/v1/push, the engine: a desk's batch in one IMMEDIATE transaction,
 * each op in its own savepoint, in order — idempotency by op id (same payload hash → the stored
 * result; other hash → stop, payload_conflict), the desk's gapless sequence, the
 * agent's rights, the command itself, the applied_ops row; listeners hear about the
 * op's change rows after its commit. See docs/SYNC.md.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { ChangeRow, OpResult, PushResponse, PushStop, SyncOp } from '../../core/sync/messages';
import { syncStatements } from '../../db/repositories/sync-server';
import { ChangeWriter, changeFeedOf } from './change-log';
import { findCommand } from './commands';
import type { CommandActor, CommandContext } from './commands';
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
  const result = !definition
    ? rejected(
        'UNKNOWN_COMMAND',
        `Commande inconnue du serveur : ${op.command} v${op.commandVersion}. Le poste ou le serveur doit être mis à jour.`,
      )
    : (authorise(sqlite, op, definition.roles, definition.requiresActiveAgent) ??
      runCommand(ctx, definition, op.payload, actor, logError));
  const stored = recordOpResult(
    ctx,
    { opId: op.opId, deskId, deskSeq: op.deskSeq, command: op.command, payloadHash: hash },
    result,
  );
  return { kind: 'result', result: stored, changes: result.changes };
}

/** A transient failure that rolled the whole batch back (SQLite ends the transaction on some I/O errors). */
class BatchLost extends Error {
  constructor(readonly stop: ServerPushStop) {
    super('batch rolled back');
  }
}

const BUSY_STOP: ServerPushStop = {
  reason: 'transient',
  message: 'Le serveur est momentanément occupé : la synchronisation reprendra dans un instant.',
};

/**
 * Applies a desk's batch, in order, in ONE immediate transaction committed before answering: each op runs
 * in its own savepoint (atomic on its own: a failing op rolls back alone), so the batch pays one commit
 * instead of one per op. Stops at a gap, a conflict or a transient failure; what ran before the stop is
 * committed and answered. Listeners hear about the changes after the commit.
 */
export function processPush(
  database: { sqlite: BetterSqlite3.Database },
  deskId: string,
  ops: readonly SyncOp[],
  options: PushOptions = {},
): PushResponse & { stopped?: ServerPushStop } {
  const { sqlite } = database;
  const now = options.now ?? (() => new Date());
  const logError = options.logError ?? defaultLogger;
  const results: OpResult[] = [];
  const changes: ChangeRow[] = [];
  let stopped: ServerPushStop | undefined;
  let failure: unknown = null;
  const runBatch = (): void => {
    for (const op of ops) {
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
        // SQLite rolls the whole transaction back on some errors (I/O, disk full): nothing of the batch stays.
        if (!sqlite.inTransaction) throw new BatchLost(stopped ?? BUSY_STOP);
        break;
      }
      if (step.kind === 'stop') {
        stopped = step.stop;
        break;
      }
      results.push(step.result);
      changes.push(...step.changes);
    }
  };
  try {
    sqlite.transaction(runBatch).immediate();
  } catch (error) {
    results.length = 0;
    changes.length = 0;
    if (error instanceof BatchLost) {
      if (failure !== null) throw failure;
      stopped = error.stop;
    } else if (isTransientDatabaseError(error)) {
      stopped = BUSY_STOP;
    } else {
      throw error;
    }
  }
  changeFeedOf(sqlite).publish(changes);
  if (failure !== null) throw failure;
  const q = syncStatements(sqlite);
  return {
    results,
    ...(stopped ? { stopped } : {}),
    lastAppliedSeq: q.lastDeskSeq(deskId),
    serverSeq: q.lastSeq(),
  };
}
