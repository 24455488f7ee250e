/**
 * The change log desks pull: every row the server writes gets a change row, appended
 * hole-free (seq = MAX + 1) inside the writing transaction, with the full row read
 * back after the write. Listeners (the SSE route) hear about rows only after commit.
 *
 * Conventions: `entity` = table name; `entityId` = primary key, composite keys
 * joined by '|' in key order; `household_id` = the row's own household_id unless
 * given (NULL = reference data every desk sees).
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { ChangeRow } from '../../core/sync/messages';
import { primaryKeyColumns, readRowByKey, syncStatements } from '../../db/repositories/sync-server';

/** Appends one change row for `table`/`key` and returns it (row read back after the write). */
export function appendChange(
  sqlite: BetterSqlite3.Database,
  change: {
    table: string;
    key: string | readonly string[];
    op?: 'upsert' | 'delete';
    householdId?: string | null;
    at: string;
  },
): ChangeRow {
  const key = typeof change.key === 'string' ? [change.key] : [...change.key];
  const columns = primaryKeyColumns(sqlite, change.table);
  if (columns.length !== key.length) throw new Error(`Clé incomplète pour ${change.table}.`);
  const op = change.op ?? 'upsert';
  const row = op === 'upsert' ? readRowByKey(sqlite, change.table, key) : undefined;
  if (op === 'upsert' && row === undefined)
    throw new Error(`Ligne introuvable : ${change.table} ${key.join('|')}.`);
  const rowHousehold = typeof row?.household_id === 'string' ? row.household_id : null;
  const entityId = key.join('|');
  const seq = syncStatements(sqlite).insertChange({
    entity: change.table,
    entityId,
    op,
    householdId: change.householdId === undefined ? rowHousehold : change.householdId,
    rowJson: row === undefined ? null : JSON.stringify(row),
    at: change.at,
  });
  return { seq, entity: change.table, entityId, op, row: row ?? null };
}

/** Collects the change rows one transaction appends, for its result and for the listeners. */
export class ChangeWriter {
  readonly rows: ChangeRow[] = [];

  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    readonly at: string,
  ) {}

  upsert(table: string, key: string | readonly string[], householdId?: string | null): ChangeRow {
    const row = appendChange(this.sqlite, { table, key, householdId, at: this.at });
    this.rows.push(row);
    return row;
  }

  /** Forgets the rows of a rolled-back part of the transaction. */
  truncate(length: number): void {
    this.rows.length = length;
  }

  lastSeq(): number {
    return this.rows.at(-1)?.seq ?? syncStatements(this.sqlite).lastSeq();
  }
}

export type ChangeListener = (rows: readonly ChangeRow[]) => void;

/** In-process emitter of committed change rows (one per database connection). */
export class ChangeFeed {
  private readonly listeners = new Set<ChangeListener>();

  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Call after commit only. A failing listener never disturbs the writer. */
  publish(rows: readonly ChangeRow[]): void {
    if (rows.length === 0) return;
    for (const listener of this.listeners) {
      try {
        listener(rows);
      } catch {
        // A listener's failure (a closed socket…) is its own business.
      }
    }
  }
}

const feeds = new WeakMap<BetterSqlite3.Database, ChangeFeed>();

export function changeFeedOf(sqlite: BetterSqlite3.Database): ChangeFeed {
  let feed = feeds.get(sqlite);
  if (feed === undefined) {
    feed = new ChangeFeed();
    feeds.set(sqlite, feed);
  }
  return feed;
}

/**
 * Runs `write` in one IMMEDIATE transaction with a ChangeWriter, then tells the
 * listeners about the rows once committed.
 */
export function writeWithChanges<T>(
  sqlite: BetterSqlite3.Database,
  now: Date,
  write: (changes: ChangeWriter) => T,
): T {
  const changes = new ChangeWriter(sqlite, now.toISOString());
  const result = sqlite.transaction(() => write(changes)).immediate();
  changeFeedOf(sqlite).publish(changes.rows);
  return result;
}

/**
 * Drops change rows with seq ≤ `keepAfterSeq` (the newest row is always kept, so
 * sequences never restart). Desks behind the oldest retained row must resync.
 */
export function compactChangeLog(
  database: { sqlite: BetterSqlite3.Database },
  keepAfterSeq: number,
): { deleted: number; oldestSeq: number | null } {
  const statements = syncStatements(database.sqlite);
  const deleted = database.sqlite.transaction(() => statements.compactThrough(keepAfterSeq)).immediate();
  return { deleted, oldestSeq: statements.oldestSeq() };
}
