/**
 * Generic row access for the desk's replica (synchronous better-sqlite3): read, upsert and delete a row of
 * any replicated table by primary key. Used to apply the server's change log and to capture / undo the
 * optimistic effects of local commands. Table names are checked against the schema and columns against
 * `PRAGMA table_info`: nothing from a message is ever spliced into SQL unchecked.
 */
import type BetterSqlite3 from 'better-sqlite3';

export type RowValue = string | number | bigint | Buffer | null;
export type RowRecord = Record<string, RowValue>;

/** Tables a desk keeps for itself: never overwritten by pulled changes. */
export const DESK_LOCAL_TABLES: ReadonlySet<string> = new Set([
  'outbox',
  'outbox_effects',
  'sync_state',
  'applied_ops',
  'change_log',
  'kysely_migration',
  'kysely_migration_lock',
]);

interface TableShape {
  columns: string[];
  columnSet: Set<string>;
  /** Primary-key columns in key order. */
  pk: string[];
  pkSet: Set<string>;
  get: BetterSqlite3.Statement;
  remove: BetterSqlite3.Statement;
}

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** Cached UPDATE statements (one per table × set of changed columns) before the cache is emptied. */
const MAX_UPDATE_STATEMENTS = 512;

export class DeskRows {
  private readonly shapes = new Map<string, TableShape | null>();
  private readonly upserts = new Map<string, BetterSqlite3.Statement>();
  private readonly updates = new Map<string, BetterSqlite3.Statement>();

  constructor(private readonly sqlite: BetterSqlite3.Database) {}

  /** The table's shape, or null for an unknown table. */
  private shape(table: string): TableShape | null {
    const known = this.shapes.get(table);
    if (known !== undefined) return known;
    const exists = this.sqlite
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
      .get(table);
    let shape: TableShape | null = null;
    if (exists) {
      const info = this.sqlite.prepare('SELECT name, pk FROM pragma_table_info(?)').all(table) as {
        name: string;
        pk: number;
      }[];
      const pk = info
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name);
      const where = pk.map((c) => `${quote(c)} = ?`).join(' AND ');
      shape = {
        columns: info.map((c) => c.name),
        columnSet: new Set(info.map((c) => c.name)),
        pk,
        pkSet: new Set(pk),
        get: this.sqlite.prepare(`SELECT * FROM ${quote(table)} WHERE ${where}`),
        remove: this.sqlite.prepare(`DELETE FROM ${quote(table)} WHERE ${where}`),
      };
    }
    this.shapes.set(table, shape);
    return shape;
  }

  private require(table: string): TableShape {
    const shape = this.shape(table);
    if (!shape || shape.pk.length === 0) throw new Error(`Unknown or keyless table: ${table}`);
    return shape;
  }

  /** True for a table of this schema that pulled changes may write. */
  isReplicated(table: string): boolean {
    if (DESK_LOCAL_TABLES.has(table)) return false;
    const shape = this.shape(table);
    return shape !== null && shape.pk.length > 0;
  }

  primaryKey(table: string): string[] {
    return this.require(table).pk;
  }

  /** Key values of `row`, in key order. */
  keyOf(table: string, row: Record<string, unknown>): RowValue[] {
    return this.require(table).pk.map((c) => toSqlValue(row[c]));
  }

  /** Key values from a change-log entity id: composite keys are joined by '|' in key order. */
  keyFromEntityId(table: string, entityId: string): RowValue[] {
    const pk = this.require(table).pk;
    const parts = pk.length === 1 ? [entityId] : entityId.split('|');
    if (parts.length !== pk.length) throw new Error(`Bad entity id ${entityId} for ${table}`);
    return parts;
  }

  get(table: string, key: readonly RowValue[]): RowRecord | undefined {
    return this.require(table).get.get(...key) as RowRecord | undefined;
  }

  delete(table: string, key: readonly RowValue[]): void {
    this.require(table).remove.run(...key);
  }

  /**
   * Writes `row` as the whole truth of that row: columns the table lacks are ignored, columns the row lacks
   * take their default (a new row) or keep their value (an existing one). A clash on another unique key (the
   * server moved it) replaces the clashing row.
   *
   * An existing row is updated on the columns whose value differs only, and not at all when none does: an
   * UPDATE rewrites the entries of every index over a column it sets, so setting every column of a booking
   * (a dozen indexes) costs ten times setting its state.
   */
  upsert(table: string, row: Record<string, unknown>): void {
    const shape = this.require(table);
    const key = shape.pk.map((c) => toSqlValue(row[c]));
    const current = shape.get.get(...key) as RowRecord | undefined;
    let columns: string[];
    let statement: () => BetterSqlite3.Statement;
    if (current === undefined) {
      columns = shape.columns.filter((c) => Object.hasOwn(row, c));
      statement = () => this.upsertStatement(table, shape, columns, 'upsert');
    } else {
      columns = shape.columns.filter(
        (c) => !shape.pkSet.has(c) && Object.hasOwn(row, c) && !sameValue(current[c], toSqlValue(row[c])),
      );
      if (columns.length === 0) return;
      statement = () => this.updateStatement(table, shape, columns);
    }
    const values = columns.map((c) => toSqlValue(row[c]));
    try {
      statement().run(...values, ...(current === undefined ? [] : key));
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw error;
      const all = shape.columns.filter((c) => Object.hasOwn(row, c));
      this.upsertStatement(table, shape, all, 'replace').run(...all.map((c) => toSqlValue(row[c])));
    }
  }

  private updateStatement(table: string, shape: TableShape, columns: string[]): BetterSqlite3.Statement {
    const cacheKey = `${table}:${columns.join(',')}`;
    let statement = this.updates.get(cacheKey);
    if (!statement) {
      if (this.updates.size >= MAX_UPDATE_STATEMENTS) this.updates.clear();
      statement = this.sqlite.prepare(
        `UPDATE ${quote(table)} SET ${columns.map((c) => `${quote(c)} = ?`).join(', ')} WHERE ${shape.pk
          .map((c) => `${quote(c)} = ?`)
          .join(' AND ')}`,
      );
      this.updates.set(cacheKey, statement);
    }
    return statement;
  }

  private upsertStatement(
    table: string,
    shape: TableShape,
    columns: string[],
    mode: 'upsert' | 'replace',
  ): BetterSqlite3.Statement {
    const cacheKey = `${mode}:${table}:${columns.join(',')}`;
    let statement = this.upserts.get(cacheKey);
    if (!statement) {
      const list = columns.map(quote).join(', ');
      const params = columns.map(() => '?').join(', ');
      const updates = columns.filter((c) => !shape.pk.includes(c));
      const onConflict =
        updates.length === 0
          ? 'DO NOTHING'
          : `DO UPDATE SET ${updates.map((c) => `${quote(c)} = excluded.${quote(c)}`).join(', ')}`;
      statement = this.sqlite.prepare(
        mode === 'upsert'
          ? `INSERT INTO ${quote(table)} (${list}) VALUES (${params}) ON CONFLICT (${shape.pk.map(quote).join(', ')}) ${onConflict}`
          : `INSERT OR REPLACE INTO ${quote(table)} (${list}) VALUES (${params})`,
      );
      this.upserts.set(cacheKey, statement);
    }
    return statement;
  }
}

/** Same stored value (blobs by content). */
function sameValue(stored: RowValue | undefined, value: RowValue): boolean {
  if (stored === value) return true;
  if (Buffer.isBuffer(stored) && Buffer.isBuffer(value)) return stored.equals(value);
  return false;
}

/** A JSON value as SQLite stores it: booleans as 0/1, objects and arrays as JSON text. */
export function toSqlValue(value: unknown): RowValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') return value;
  if (Buffer.isBuffer(value)) return value;
  return JSON.stringify(value);
}
