// Applying the server's truth to the desk's replica (docs/SYNC.md, "Apply on the desk"). One transaction
// per apply (a poke, or the pages a catch-up gathered): undo the optimistic effects of every live op, write
// the pulled rows, settle the ops whose truth has arrived, re-apply the others over the new state, store the
// cursor. A commit therefore always leaves server state at the cursor + the live ops re-applied.
import type { ChangeRow } from '../../../core/sync/messages';
import type { DeskStore } from '../desk-store';
import { notePulledBlob } from './blob-upload';
import { undoAllEffects } from './effects';
import type { LocalCommands } from './local-commands';

export interface ApplyOutcome {
  /** False when there was nothing to do (no row, no cursor move, no op to settle). */
  applied: boolean;
  cursor: number;
  /** Tables whose rows changed (pulled or re-applied), for the UI to refresh. */
  tables: string[];
  settled: number;
}

/** From this many pulled rows, an apply runs with a larger page cache (KiB) than the connection's default. */
const LARGE_APPLY_ROWS = 2_000;
const LARGE_APPLY_CACHE_KIB = 65_536;

const isForeignKeyError = (error: unknown): boolean =>
  (error as { code?: string }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY';

/**
 * Applies changes (one or several pulled pages, in seq order; rows at or below the cursor are skipped) in one
 * transaction and moves the cursor to `lastSeq` (or the last change's seq, whichever is higher).
 */
export function applyChanges(
  store: DeskStore,
  commands: LocalCommands,
  changes: readonly ChangeRow[],
  lastSeq: number,
  at: string,
): ApplyOutcome {
  const cursor = store.state.cursor();
  const fresh = changes.filter((c) => c.seq > cursor).sort((a, b) => a.seq - b.seq);
  const newCursor = Math.max(cursor, lastSeq, fresh.at(-1)?.seq ?? 0);
  if (fresh.length === 0 && newCursor === cursor && !hasOpsToSettle(store, cursor)) {
    return { applied: false, cursor, tables: [], settled: 0 };
  }
  const run = (): ApplyOutcome =>
    store.relaxedTransaction(() => {
      store.sqlite.pragma('defer_foreign_keys = ON');
      const tables = undoAllEffects(store);
      for (const change of latestPerRow(fresh)) if (writeChange(store, change)) tables.add(change.entity);
      store.state.setCursor(newCursor);
      const settled = store.outbox.settle(newCursor, at);
      replayLive(store, commands);
      for (const table of store.outbox.effectTables()) tables.add(table);
      return { applied: true, cursor: newCursor, tables: [...tables].sort(), settled };
    });
  const runChecked = (): ApplyOutcome => {
    try {
      return run();
    } catch (error) {
      if (!isForeignKeyError(error)) throw error;
      // The server's rows reference something this desk may not hold: keep the server's truth anyway.
      console.warn('[desk] pulled page breaks a foreign key; applying it without foreign-key checks');
      store.sqlite.pragma('foreign_keys = OFF');
      try {
        return run();
      } finally {
        store.sqlite.pragma('foreign_keys = ON');
      }
    }
  };
  return fresh.length >= LARGE_APPLY_ROWS ? withLargeCache(store, runChecked) : runChecked();
}

/**
 * Runs a large apply (a catch-up: tens of thousands of rows over a dozen indexes each) with a larger page
 * cache, so that the pages it dirties are not spilled to the WAL and read back mid-transaction; the
 * connection's own size comes back after (and the memory with it).
 */
function withLargeCache<T>(store: DeskStore, fn: () => T): T {
  const before = Number(store.sqlite.pragma('cache_size', { simple: true }));
  if (before < 0 && -before >= LARGE_APPLY_CACHE_KIB) return fn();
  store.sqlite.pragma(`cache_size = -${LARGE_APPLY_CACHE_KIB}`);
  try {
    return fn();
  } finally {
    store.sqlite.pragma(`cache_size = ${before}`);
  }
}

/** Re-applies the live ops over the current replica (after a resync, or when results arrived). */
export function replayLive(store: DeskStore, commands: LocalCommands): void {
  for (const op of store.outbox.live()) {
    try {
      store.transaction(() => commands.replay(op));
    } catch (error) {
      // The op stays in the outbox and is still pushed; only its local preview is missing.
      console.warn(`[desk] could not re-apply op ${op.seq} (${op.command})`, error);
    }
  }
}

/**
 * The last change of each row, in seq order: a change carries the whole row, so the earlier ones of the same
 * row would be overwritten within this transaction anyway. A catch-up after a partition touches the same
 * capacity cells thousands of times; foreign keys are checked at commit (deferred), so moving a row later does
 * not matter.
 */
export function latestPerRow(changes: readonly ChangeRow[]): ChangeRow[] {
  const last = new Map<string, number>();
  changes.forEach((change, i) => last.set(`${change.entity}\u0000${change.entityId}`, i));
  if (last.size === changes.length) return [...changes];
  return changes.filter((change, i) => last.get(`${change.entity}\u0000${change.entityId}`) === i);
}

function hasOpsToSettle(store: DeskStore, cursor: number): boolean {
  return store.outbox.settleableCount(cursor) > 0;
}

/** Writes one pulled change; false when the entity is not one a desk replicates. */
function writeChange(store: DeskStore, change: ChangeRow): boolean {
  const { rows } = store;
  if (!rows.isReplicated(change.entity)) return false;
  if (change.op === 'delete') {
    rows.delete(change.entity, rows.keyFromEntityId(change.entity, change.entityId));
    return true;
  }
  if (!change.row) return false;
  if (change.entity === 'desk_counters' && change.row.desk_id === store.deskId()) {
    // The desk numbers its own receipts: the server's mirror may lag, a counter never goes back.
    store.state.raiseCounter(String(change.row.desk_id), String(change.row.name), Number(change.row.value));
    return true;
  }
  if (change.entity === 'document_files') notePulledBlob(store, change.row);
  rows.upsert(change.entity, change.row);
  return true;
}
