// Pushing the outbox (docs/SYNC.md, "Push"): unsent ops in seq order, in batches of at most 500, each result
// recorded as it comes; a gap resends from where the server expects, a payload conflict marks the op rejected
// OP_ID_REUSED, a transient stop is thrown for the caller to back off.
import type { OpResult, SyncOp } from '../../../core/sync/messages';
import type { OutboxRow } from '../../../db/repositories/desk-outbox';
import type { DeskStore } from '../desk-store';
import type { SyncApi } from './sync-api';

/** The server could not decide now (busy, a blob still uploading): nothing was decided, retry later. */
export class TransientStop extends Error {}

export const OP_ID_REUSED_MESSAGE =
  "Cette opération a déjà été transmise au serveur avec un contenu différent : elle n'a pas été appliquée. Vérifiez-la et saisissez-la à nouveau si besoin.";

export interface PushContext {
  api: SyncApi;
  /** The current store (the file may be swapped between calls). */
  store(): DeskStore;
  now(): Date;
  signal: AbortSignal;
  batchSize: number;
  /** Throws when the desk was closed meanwhile. */
  checkOpen(): void;
}

const MAX_ROUNDS = 10_000;

export async function pushOutbox(ctx: PushContext): Promise<void> {
  const batchSize = Math.min(500, Math.max(1, ctx.batchSize));
  let resendFrom: number | null = null;
  let gaps = 0;
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const store = ctx.store();
    const batch =
      resendFrom === null
        ? store.outbox.unsentFrom(1, batchSize)
        : store.outbox.rangeFrom(resendFrom, batchSize);
    resendFrom = null;
    if (batch.length === 0) return;
    const at = ctx.now().toISOString();
    store.relaxedTransaction(() => {
      for (const op of batch)
        if (op.status === 'pending' || op.status === 'sent') store.outbox.markSent(op.seq, at);
    });
    const response = await ctx.api.push({ ops: batch.map(toSyncOp) }, ctx.signal);
    ctx.checkOpen();
    recordResults(ctx.store(), response.results, ctx.now());
    const stop = response.stopped;
    if (!stop) {
      if (response.results.length === 0) return;
      continue;
    }
    if (stop.reason === 'transient') throw new TransientStop(stop.message);
    if (stop.reason === 'gap') {
      gaps += 1;
      if (gaps > 5) throw new Error(`Push keeps stopping on a gap at ${stop.expectedSeq}`);
      resendFrom = stop.expectedSeq;
      continue;
    }
    console.error(`[desk] op ${stop.opId} was already applied with another payload: ${stop.message}`);
    const op = ctx.store().outbox.byOpId(stop.opId);
    recordResults(
      ctx.store(),
      [
        {
          opId: stop.opId,
          deskSeq: op?.seq ?? null,
          outcome: 'rejected',
          code: 'OP_ID_REUSED',
          message: OP_ID_REUSED_MESSAGE,
          changeSeq: 0,
        },
      ],
      ctx.now(),
    );
  }
}

function recordResults(store: DeskStore, results: readonly OpResult[], now: Date): void {
  if (results.length === 0) return;
  const at = now.toISOString();
  store.relaxedTransaction(() => {
    for (const result of results)
      store.outbox.recordResult(result.opId, result.outcome, JSON.stringify(result), at);
  });
}

function toSyncOp(op: OutboxRow): SyncOp {
  return {
    opId: op.op_id,
    deskSeq: op.seq,
    command: op.command,
    commandVersion: op.command_version,
    payload: JSON.parse(op.payload_json) as unknown,
    agentId: op.agent_id,
    createdAt: op.created_at,
  };
}
