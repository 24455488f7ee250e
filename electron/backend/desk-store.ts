// The desk's local SQLite store: one connection (WAL, synchronous = FULL: a write is durable when the call
// returns) and the synchronous repositories local commands and the replica use.
//
// Checkpoints (copying the WAL back into the database file, with its own fsync) are taken off the write path:
// SQLite's automatic checkpoint would land on one write in ~40 and cost it several milliseconds; here it runs
// once the desk has been idle for a moment (or, at the latest, every CHECKPOINT_EVERY commits).
import { openDatabase } from '../../db/open';
import type { OpenedDatabase, OpenOptions } from '../../db/open';
import { migrateToLatest } from '../../db/migrate';
import { DeskBookings } from '../../db/repositories/desk-bookings';
import { DeskOutbox } from '../../db/repositories/desk-outbox';
import { DeskPayments } from '../../db/repositories/desk-payments';
import { DeskRows } from '../../db/repositories/desk-rows';
import { DeskState } from '../../db/repositories/desk-state';

const CHECKPOINT_IDLE_MS = 200;
const CHECKPOINT_EVERY = 500;

function tuneConnection(database: OpenedDatabase): void {
  database.sqlite.pragma('synchronous = FULL');
  database.sqlite.pragma('wal_autocheckpoint = 0');
}

export class DeskStore {
  private commitsSinceCheckpoint = 0;
  private checkpointTimer: NodeJS.Timeout | null = null;

  readonly rows: DeskRows;
  readonly outbox: DeskOutbox;
  readonly state: DeskState;
  readonly bookings: DeskBookings;
  readonly payments: DeskPayments;

  private constructor(readonly database: OpenedDatabase) {
    const { sqlite } = database;
    this.rows = new DeskRows(sqlite);
    this.outbox = new DeskOutbox(sqlite);
    this.state = new DeskState(sqlite);
    this.bookings = new DeskBookings(sqlite);
    this.payments = new DeskPayments(sqlite);
  }

  /** Opens (and migrates) the store at `path`. */
  static async open(path: string, options: OpenOptions = {}): Promise<DeskStore> {
    const database = openDatabase(path, options);
    try {
      tuneConnection(database);
      await migrateToLatest(database.db);
      return new DeskStore(database);
    } catch (error) {
      database.close();
      throw error;
    }
  }

  /** Opens a store already at the latest schema, synchronously (used when swapping in a resynced file). */
  static openMigrated(path: string, options: OpenOptions = {}): DeskStore {
    const database = openDatabase(path, options);
    tuneConnection(database);
    return new DeskStore(database);
  }

  get sqlite(): OpenedDatabase['sqlite'] {
    return this.database.sqlite;
  }

  /** Runs `fn` in one transaction (nested calls become savepoints), then plans a checkpoint. */
  transaction<T>(fn: () => T): T {
    const { sqlite } = this.database;
    const outermost = !sqlite.inTransaction;
    const result = sqlite.transaction(fn)();
    if (outermost) this.afterCommit();
    return result;
  }

  /** Copies the WAL into the database file now (when idle, and before closing). */
  checkpoint(): void {
    if (this.checkpointTimer) clearTimeout(this.checkpointTimer);
    this.checkpointTimer = null;
    this.commitsSinceCheckpoint = 0;
    if (this.database.sqlite.open) this.database.sqlite.pragma('wal_checkpoint(PASSIVE)');
  }

  private afterCommit(): void {
    this.commitsSinceCheckpoint += 1;
    if (this.commitsSinceCheckpoint >= CHECKPOINT_EVERY) return this.checkpoint();
    if (this.checkpointTimer) clearTimeout(this.checkpointTimer);
    this.checkpointTimer = setTimeout(() => this.checkpoint(), CHECKPOINT_IDLE_MS);
    this.checkpointTimer.unref();
  }

  /** The desk this replica belongs to (stamped by the server's snapshot), or null before the first one. */
  deskId(): string | null {
    return this.state.get('desk_id');
  }

  close(): void {
    if (this.checkpointTimer) clearTimeout(this.checkpointTimer);
    this.checkpointTimer = null;
    this.database.close();
  }
}
