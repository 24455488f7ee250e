/**
 * The booking path's queries use the composite indexes of migration 0011 with and without planner statistics,
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

const BOOKINGS_INDEX = 'bookings_person_id_activity_id_day_idx';
const INSCRIPTIONS_INDEX = 'inscriptions_person_id_activity_id_site_id_idx';

/** Each booking-path query and the index its first (driving) table must be searched with. */
const QUERIES: [string, string, string][] = [
  ['desk validatedInscription', DESK_BOOKING_SQL.validatedInscription, INSCRIPTIONS_INDEX],
  ['desk anyInscription', DESK_BOOKING_SQL.anyInscription, INSCRIPTIONS_INDEX],
  ['desk bookingsOfDay', DESK_BOOKING_SQL.bookingsOfDay, BOOKINGS_INDEX],
  ['server coveringInscription', BOOKING_DECISION_SQL.coveringInscription, INSCRIPTIONS_INDEX],
  ['server bookingsOfDay', BOOKING_DECISION_SQL.bookingsOfDay, BOOKINGS_INDEX],
  ['server bookingsOfActivityDay', BOOKING_DECISION_SQL.bookingsOfActivityDay, BOOKINGS_INDEX],
];

function plan(sqlite: BetterSqlite3.Database, query: string): string[] {
  const parameters = (query.match(/\?/g) ?? []).length;
  const rows = sqlite
    .prepare(`EXPLAIN QUERY PLAN ${query}`)
    .all(...Array.from({ length: parameters }, () => 'x')) as { detail: string }[];
  return rows.map((r) => r.detail);
}

function expectCompositeIndexes(sqlite: BetterSqlite3.Database): void {
  for (const [name, query, index] of QUERIES) {
    const steps = plan(sqlite, query);
    // The first step drives the query: an equality search on all the index's columns.
    expect(steps[0], `${name}: ${steps.join(' / ')}`).toMatch(
      new RegExp(`^SEARCH \\w+ USING INDEX ${index} \\(person_id=\\? AND activity_id=\\? AND \\w+=\\?\\)$`),
    );
    // Every other table is read by primary key, never scanned.
    for (const step of steps.slice(1)) expect(step, name).not.toMatch(/^SCAN /);
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
  it('use the composite indexes without statistics', async () => {
    const fresh = openDatabase(':memory:');
    try {
      await migrateToLatest(fresh.db);
      expect(
        fresh.sqlite.prepare("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").get(),
      ).toBeUndefined();
      expectCompositeIndexes(fresh.sqlite);
    } finally {
      fresh.close();
    }
  });

  it('use the composite indexes with the statistics of a seeded town', () => {
    const sqlite = new BetterSqlite3(seeded, { readonly: true });
    try {
      const stats = sqlite.prepare('SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl IN (?, ?)').pluck();
      expect(stats.get('bookings', 'inscriptions')).toBeGreaterThan(0);
      expectCompositeIndexes(sqlite);
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
      expect(index.get(BOOKINGS_INDEX)).toBe(BOOKINGS_INDEX);
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
        expectCompositeIndexes(copy);
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
