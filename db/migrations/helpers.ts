/**
 * Small building blocks shared by the migrations. They are part of migration
 * history: never change what an existing helper emits (a database migrated
 * yesterday must equal one migrated today); add a new helper instead.
 *
 * Everything here emits portable DDL (SQLite now, PostgreSQL later). Raw `sql`
 * appears only for CHECK expressions, which the schema builder cannot express,
 * and values are inlined as literals because DDL takes no bound parameters.
 */
import { PostgresAdapter, sql } from 'kysely';
import type { ColumnDefinitionBuilder, Expression, Kysely } from 'kysely';

/** What a migration receives: the schema builder of an untyped database. */
export type MigrationDb = Kysely<unknown>;

type Col = (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;

/** NOT NULL, no default. */
export const required: Col = (c) => c.notNull();

/** Primary key holding an app-generated UUIDv7. */
export const primaryId: Col = (c) => c.primaryKey().notNull();

/** `<column> IN ('a', 'b', …)`; NULL passes, so a nullable enum stays nullable. */
export function oneOf(column: string, values: readonly string[]): Expression<unknown> {
  return sql`${sql.ref(column)} in (${sql.join(values.map((v) => sql.lit(v)))})`;
}

/** Enum column: TEXT with a CHECK listing its values. */
export function enumOf(
  column: string,
  values: readonly string[],
  opts: { nullable?: boolean; default?: string } = {},
): Col {
  return (c) => {
    let b = c.check(oneOf(column, values));
    if (!opts.nullable) b = b.notNull();
    if (opts.default !== undefined) b = b.defaultTo(opts.default);
    return b;
  };
}

/** Boolean column: INTEGER 0/1, NOT NULL with a default. */
export function bool(column: string, defaultValue: 0 | 1): Col {
  return (c) =>
    c
      .notNull()
      .defaultTo(defaultValue)
      .check(sql`${sql.ref(column)} in (0, 1)`);
}

/** Integer column that must be ≥ 0. */
export function nonNegative(column: string, opts: { nullable?: boolean; default?: number } = {}): Col {
  return (c) => {
    let b = c.check(sql`${sql.ref(column)} >= 0`);
    if (!opts.nullable) b = b.notNull();
    if (opts.default !== undefined) b = b.defaultTo(opts.default);
    return b;
  };
}

/** Foreign key to `<table>.id` (or to an explicit `table.column`). Declare its index with `indexes`. */
export function ref(target: string, opts: { nullable?: boolean } = {}): Col {
  const targetColumn = target.includes('.') ? target : `${target}.id`;
  return (c) => {
    const b = c.references(targetColumn);
    return opts.nullable ? b : b.notNull();
  };
}

/** `<a> <= <b>` when both are set (calendar days compare as text). */
export function ordered(first: string, last: string): Expression<unknown> {
  return sql`${sql.ref(last)} is null or ${sql.ref(first)} <= ${sql.ref(last)}`;
}

/** Plain (non-unique) indexes, one per spec, named `<table>_<columns>_idx`. */
export async function indexes(
  db: MigrationDb,
  table: string,
  specs: ReadonlyArray<string | readonly string[]>,
): Promise<void> {
  for (const spec of specs) {
    const columns = typeof spec === 'string' ? [spec] : [...spec];
    await db.schema
      .createIndex(`${table}_${columns.join('_')}_idx`)
      .on(table)
      .columns(columns)
      .execute();
  }
}

/** Binary column type: BLOB on SQLite, BYTEA on PostgreSQL. */
export function blobType(db: MigrationDb): 'blob' | 'bytea' {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'bytea' : 'blob';
}
