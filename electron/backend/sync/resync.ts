// Resync (docs/SYNC.md, "Snapshot and resync"): a fresh server snapshot becomes the replica, and the desk's
// own state travels into it first — the whole outbox (every op, decided or not), the desk's counters and
// its clock offset — then the ops still live are re-applied over the snapshot. The old undo records are not
// copied: they describe the old file; re-applying captures fresh ones.
// The snapshot itself carries where the server saw this desk's numbering (desk_counters `op_seq`, `receipt`):
// a first install (or a lost replica) goes on after them, and a resync raises them to the local values.
import { rmSync } from 'node:fs';
import { DeskStore } from '../desk-store';
import type { LocalCommands } from './local-commands';
import { carryPendingBlobs } from './blob-upload';
import { replayLive } from './replica';

/** sync_state keys that belong to this desk rather than to the server's snapshot. */
const LOCAL_STATE_KEYS = ['clock_offset_ms', 'last_sync_at'];

export function removeSqliteFiles(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(path + suffix, { force: true });
}

/** Copies the desk's own state from `live` into the freshly downloaded `fresh`, in one transaction. */
export function carryLocalState(
  live: DeskStore,
  fresh: DeskStore,
  commands: LocalCommands,
  at: string,
): void {
  const ops = live.outbox.all();
  const deskId = fresh.deskId() ?? live.deskId();
  const counters = deskId ? live.state.counters(deskId) : [];
  const kept = LOCAL_STATE_KEYS.map((key) => [key, live.state.get(key)] as const);
  fresh.transaction(() => {
    fresh.sqlite.pragma('defer_foreign_keys = ON');
    fresh.outbox.clearAll();
    for (const op of ops) fresh.rows.upsert('outbox', op);
    carryPendingBlobs(live, fresh);
    // Raised, never lowered: the snapshot's counters (the server's view) or the local ones, whichever is ahead.
    for (const counter of counters) fresh.state.raiseCounter(counter.desk_id, counter.name, counter.value);
    for (const [key, value] of kept) if (value !== null) fresh.state.set(key, value);
    fresh.outbox.settle(fresh.state.cursor(), at);
    replayLive(fresh, commands);
  });
}

/** Opens a downloaded snapshot (migrating it if needed) for `carryLocalState`. */
export function openSnapshot(path: string): Promise<DeskStore> {
  return DeskStore.open(path);
}
