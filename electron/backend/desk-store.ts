// The desk's local SQLite store: one connection (WAL, synchronous = FULL: a write is durable when the call
// returns) and the synchronous repositories local commands and the replica use.
//
// Checkpoints (copying the WAL back into the database file, with its own fsync) are taken off the write path:
// SQLite's automatic checkpoint would land on one write in ~40 and cost it several milliseconds. Here a
// checkpoint runs on the next turn of the event loop after every CHECKPOINT_EVERY commits (and once the desk
// has been idle for a moment). Because nothing writes during it, it copies the whole WAL, so the next commit
// starts the WAL over from its beginning: commits then overwrite blocks the file already has (an fsync of an
// overwrite costs ~0.3 ms on this disk, of an append that grows the file ~0.9 ms).
import { openDatabase } from '../../db/open';
import type { OpenedDatabase, OpenOptions } from '../../db/open';
import { migrateToLatest } from '../../db/migrate';
import { DeskBookings } from '../../db/repositories/desk-bookings';
import { DeskOutbox } from '../../db/repositories/desk-outbox';
import { DeskPayments } from '../../db/repositories/desk-payments';
import { DeskRows } from '../../db/repositories/desk-rows';
import { DeskState } from '../../db/repositories/desk-state';

const CHECKPOINT_IDLE_MS = 200;
const CHECKPOINT_EVERY = 16;

function tuneConnection(database: OpenedDatabase): void {
  database.sqlite.pragma('synchronous = FULL');
  database.sqlite.pragma('wal_autocheckpoint = 0');
}

export class DeskStore {
  private commitsSinceCheckpoint = 0;
  private checkpointTimer: NodeJS.Timeout | null = null;
  private checkpointSoon: NodeJS.Immediate | null = null;

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

  /**
   * A transaction whose loss in a power cut costs nothing, because the server gives it back: pulled changes
   * and the cursor, push results, sync timestamps. It commits without its own fsync (synchronous = NORMAL);
   * the WAL is a log, so a crash can only lose a suffix of it, and the next durable commit or checkpoint
   * syncs it along. Each fsync on this disk also made the agent's next durable write wait behind it.
   */
  relaxedTransaction<T>(fn: () => T): T {
    const { sqlite } = this.database;
    if (sqlite.inTransaction) return sqlite.transaction(fn)();
    sqlite.pragma('synchronous = NORMAL');
    try {
      return this.transaction(fn);
    } finally {
      sqlite.pragma('synchronous = FULL');
    }
  }

  /** Copies the WAL into the database file now (when idle, and before closing). */
  checkpoint(): void {
    this.cancelCheckpoints();
    const { sqlite } = this.database;
    if (!sqlite.open) return;
    if (sqlite.inTransaction) {
      // An asynchronous (Kysely) transaction spans this turn: after it.
      this.checkpointTimer = setTimeout(() => this.checkpoint(), CHECKPOINT_IDLE_MS);
      this.checkpointTimer.unref();
      return;
    }
    this.commitsSinceCheckpoint = 0;
    sqlite.pragma('wal_checkpoint(PASSIVE)');
  }

  private afterCommit(): void {
    this.commitsSinceCheckpoint += 1;
    if (this.commitsSinceCheckpoint >= CHECKPOINT_EVERY) {
      // After the caller has its answer, never inside its write.
      this.checkpointSoon ??= setImmediate(() => this.checkpoint());
      return;
    }
    if (this.checkpointTimer) clearTimeout(this.checkpointTimer);
    this.checkpointTimer = setTimeout(() => this.checkpoint(), CHECKPOINT_IDLE_MS);
    this.checkpointTimer.unref();
  }

  private cancelCheckpoints(): void {
    if (this.checkpointTimer) clearTimeout(this.checkpointTimer);
    if (this.checkpointSoon) clearImmediate(this.checkpointSoon);
    this.checkpointTimer = null;
    this.checkpointSoon = null;
  }

  /** The desk this replica belongs to (stamped by the server's snapshot), or null before the first one. */
  deskId(): string | null {
    return this.state.get('desk_id');
  }

  close(): void {
    this.cancelCheckpoints();
    this.database.close();
  }
}
