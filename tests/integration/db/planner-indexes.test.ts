/**
 * The booking path's queries use whole indexes (0011's inscription index, the bookings' unique key) with and
 * without planner statistics,
 * and statistics exist where they should: after the seed, in a VACUUM INTO copy (a desk snapshot), after the
 * server's start-up job.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../../db/migrate';
import { openDatabase } from '../../../db/open';
import { BOOKING_DECISION_SQL } from '../../../db/repositories/booking-decisions';
import { DESK_BOOKING_SQL } from '../../../db/repositories/desk-bookings';
import { seedDatabaseFile } from '../../../db/seed';
import { startPlannerStatsJob } from '../../../server/jobs/planner-stats';

const INSCRIPTIONS_INDEX = 'inscriptions_person_id_activity_id_site_id_idx';

/** The name of the unique index of `table` over exactly `columns` (SQLite names them sqlite_autoindex_*). */
function uniqueIndex(sqlite: BetterSqlite3.Database, table: string, columns: string[]): string {
  const indexes = sqlite
    .prepare('SELECT name FROM pragma_index_list(?) WHERE "unique" = 1')
    .pluck()
    .all(table) as string[];
  const found = indexes.find(
    (name) =>
      (
        sqlite.prepare('SELECT name FROM pragma_index_info(?) ORDER BY seqno').pluck().all(name) as string[]
      ).join(',') === columns.join(','),
  );
  if (found === undefined) throw new Error(`no unique index on ${table}(${columns.join(', ')})`);
  return found;
}

type Expected = 'inscription' | 'bookings';

/** Each booking-path query and how it must be answered. */
const QUERIES: [string, string, Expected][] = [
  ['desk validatedInscription', DESK_BOOKING_SQL.validatedInscription, 'inscription'],
  ['desk anyInscription', DESK_BOOKING_SQL.anyInscription, 'inscription'],
  ['desk bookingsOfDay', DESK_BOOKING_SQL.bookingsOfDay, 'bookings'],
  ['server coveringInscription', BOOKING_DECISION_SQL.coveringInscription, 'inscription'],
  ['server bookingsOfDay', BOOKING_DECISION_SQL.bookingsOfDay, 'bookings'],
  ['server bookingsOfActivityDay', BOOKING_DECISION_SQL.bookingsOfActivityDay, 'bookings'],
];

function plan(sqlite: BetterSqlite3.Database, query: string): string[] {
  const parameters = (query.match(/\?/g) ?? []).length;
  const rows = sqlite
    .prepare(`EXPLAIN QUERY PLAN ${query}`)
    .all(...Array.from({ length: parameters }, () => 'x')) as { detail: string }[];
  return rows.map((r) => r.detail);
}

function expectIndexedPlans(sqlite: BetterSqlite3.Database): void {
  const units = uniqueIndex(sqlite, 'units', ['activity_id', 'code']);
  const bookings = uniqueIndex(sqlite, 'bookings', ['person_id', 'unit_id', 'day']);
  for (const [name, query, expected] of QUERIES) {
    const steps = plan(sqlite, query);
    const where = `${name}: ${steps.join(' / ')}`;
    if (expected === 'inscription') {
      // An equality search on all three columns of the composite index (0011), then the period by key.
      expect(steps[0], where).toBe(
        `SEARCH i USING INDEX ${INSCRIPTIONS_INDEX} (person_id=? AND activity_id=? AND site_id=?)`,
      );
      expect(steps[1], where).toBe('SEARCH p USING INDEX sqlite_autoindex_periods_1 (id=?)');
    } else {
      // The activity's units, then one probe per unit in the bookings' unique key.
      expect(steps[0], where).toBe(`SEARCH u USING INDEX ${units} (activity_id=?)`);
      expect(steps[1], where).toBe(`SEARCH b USING INDEX ${bookings} (person_id=? AND unit_id=? AND day=?)`);
    }
    for (const step of steps)
      expect(step, where).not.toMatch(/^SCAN |INDEX inscriptions_site_id_idx|INDEX bookings_activity_id_idx/);
  }
}

let dir: string;
let seeded: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'gf-planner-'));
  seeded = path.join(dir, 'town.sqlite');
  await seedDatabaseFile(seeded, { families: 60, seed: 7, today: '2026-11-23' });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('booking-path query plans', () => {
  it('use whole indexes without statistics', async () => {
    const fresh = openDatabase(':memory:');
    try {
      await migrateToLatest(fresh.db);
      expect(
        fresh.sqlite.prepare("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").get(),
      ).toBeUndefined();
      expectIndexedPlans(fresh.sqlite);
    } finally {
      fresh.close();
    }
  });

  it('use whole indexes with the statistics of a seeded town', () => {
    const sqlite = new BetterSqlite3(seeded, { readonly: true });
    try {
      const stats = sqlite.prepare('SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl IN (?, ?)').pluck();
      expect(stats.get('bookings', 'inscriptions')).toBeGreaterThan(0);
      expectIndexedPlans(sqlite);
    } finally {
      sqlite.close();
    }
  });

  it('drops the inscriptions index the new one supersedes', () => {
    const sqlite = new BetterSqlite3(seeded, { readonly: true });
    try {
      const index = sqlite
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name = ?")
        .pluck();
      expect(index.get('inscriptions_person_id_activity_id_period_id_idx')).toBeUndefined();
      expect(index.get(INSCRIPTIONS_INDEX)).toBe(INSCRIPTIONS_INDEX);
    } finally {
      sqlite.close();
    }
  });
});

describe('planner statistics', () => {
  it('travel with a VACUUM INTO copy (what a desk snapshot is made of)', () => {
    const sqlite = new BetterSqlite3(seeded, { readonly: true });
    const copyPath = path.join(dir, 'copy.sqlite');
    try {
      sqlite.prepare('VACUUM INTO ?').run(copyPath);
      const original = sqlite.prepare('SELECT tbl, idx, stat FROM sqlite_stat1 ORDER BY tbl, idx').all();
      const copy = new BetterSqlite3(copyPath, { readonly: true });
      try {
        expect(copy.prepare('SELECT tbl, idx, stat FROM sqlite_stat1 ORDER BY tbl, idx').all()).toEqual(
          original,
        );
        expectIndexedPlans(copy);
      } finally {
        copy.close();
      }
    } finally {
      sqlite.close();
    }
  });

  it("are gathered by the server's start-up job on a database that has none", () => {
    const file = path.join(dir, 'no-stats.sqlite');
    const source = new BetterSqlite3(seeded, { readonly: true });
    source.prepare('VACUUM INTO ?').run(file);
    source.close();
    const stripped = new BetterSqlite3(file);
    stripped.exec('DROP TABLE sqlite_stat1; DROP TABLE IF EXISTS sqlite_stat4');
    stripped.close();
    const sqlite = new BetterSqlite3(file);
    try {
      expect(sqlite.prepare("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").get()).toBeUndefined();
      const job = startPlannerStatsJob(sqlite, { intervalMs: 60_000 });
      job.stop();
      const analysed = sqlite
        .prepare('SELECT DISTINCT tbl FROM sqlite_stat1 ORDER BY tbl')
        .pluck()
        .all() as string[];
      expect(analysed).toEqual(expect.arrayContaining(['bookings', 'inscriptions', 'households']));
      // Nothing stale: the next round has nothing to do.
      expect(job.runOnce()).toEqual([]);
    } finally {
      sqlite.close();
    }
  });
});
