// baseline.sqlite_bulk_insert.rows_per_s: the physical limit other figures are
// compared with — the bench town's booking rows inserted with raw better-sqlite3,
// one prepared INSERT per row, in ONE transaction, into a fresh database migrated
// with the real schema (the real bookings table, its indexes, its UUIDv7 ids).
import { rmSync } from 'node:fs';
import path from 'node:path';
import { migrateToLatest } from '../../../db/migrate';
import { openDatabase } from '../../../db/open';
import type { BenchSuite } from '../lib';
import { median, metric } from '../lib';

const RUNS = 3;

const COLUMNS = [
  'id',
  'person_id',
  'household_id',
  'inscription_id',
  'activity_id',
  'site_id',
  'unit_id',
  'day',
  'age_group',
  'state',
  'source',
  'demande_id',
  'origin_op_id',
  'reason',
  'created_at',
  'updated_at',
] as const;

/** Every booking row of a seeded database, in id order; repeated values are shared, not copied. */
export function loadBookingRows(file: string): unknown[][] {
  const { sqlite, close } = openDatabase(file, { readonly: true });
  try {
    const interned = new Map<unknown, unknown>();
    const intern = (v: unknown) => {
      const found = interned.get(v);
      if (found !== undefined) return found;
      interned.set(v, v);
      return v;
    };
    const rows: unknown[][] = [];
    const select = sqlite.prepare(`SELECT ${COLUMNS.join(', ')} FROM bookings ORDER BY id`).raw();
    for (const row of select.iterate() as Iterable<unknown[]>) {
      for (let i = 1; i < row.length; i++) row[i] = intern(row[i]);
      rows.push(row);
    }
    return rows;
  } finally {
    close();
  }
}

/**
 * Inserts `rows` into the bookings table of a fresh, migrated database at `file`
 * (openDatabase's settings: WAL, synchronous=NORMAL; foreign keys off, as the rows'
 * parents are not there), one prepared statement run per row inside one
 * transaction, commit included. Returns the seconds taken.
 */
export async function timeBulkInsert(file: string, rows: readonly unknown[][]): Promise<number> {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  const { sqlite, db, close } = openDatabase(file);
  try {
    await migrateToLatest(db);
    sqlite.pragma('foreign_keys = OFF');
    const insert = sqlite.prepare(
      `INSERT INTO bookings (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`,
    );
    const all = sqlite.transaction(() => {
      for (const row of rows) insert.run(row);
    });
    const started = process.hrtime.bigint();
    all();
    return Number(process.hrtime.bigint() - started) / 1e9;
  } finally {
    await db.destroy().catch(() => undefined);
    close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  }
}

export const baselineSuite: BenchSuite = {
  name: 'baseline',
  description: `raw bulk insert of the bench town's bookings, 1 warm-up + ${RUNS} runs`,
  async run(ctx) {
    const town = await ctx.town();
    const rows = loadBookingRows(town.file);
    ctx.log(`${rows.length} booking rows loaded from the bench town`);
    const file = path.join(ctx.tmpDir, 'baseline.sqlite');
    const warmUp = await timeBulkInsert(file, rows);
    ctx.log(`warm-up: ${(rows.length / warmUp).toFixed(0)} rows/s`);
    const seconds: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      seconds.push(await timeBulkInsert(file, rows));
      ctx.log(`run ${i + 1}/${RUNS}: ${(rows.length / seconds[i]!).toFixed(0)} rows/s`);
    }
    return {
      metrics: {
        'baseline.sqlite_bulk_insert.rows_per_s': metric(
          median(seconds.map((s) => rows.length / s)),
          'rows/s',
          RUNS,
        ),
        'baseline.sqlite_bulk_insert.seconds': metric(median(seconds), 's', RUNS),
        'baseline.sqlite_bulk_insert.rows': metric(rows.length, 'rows', 1),
      },
    };
  },
};
