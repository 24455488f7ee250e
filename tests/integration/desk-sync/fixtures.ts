// Shared fixtures for the desk sync tests: a demo town seeded once per file and copied per test, the data a
// test needs found by query (a child who may be booked on a future opening day…), desks started on it.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { addDays, parisDay } from '../../../core/calendar/paris';
import { bookingDeadline } from '../../../core/booking/deadline';
import type { DeadlineRule } from '../../../core/booking/deadline';
import type { UnitCode } from '../../../core/booking/units';
import { seedDatabaseFile } from '../../../db/seed';
import { DeskBackend } from '../../../electron/backend/desk-backend';
import type { DeskBackendOptions } from '../../../electron/backend/desk-backend';
import type { DeskArgs, DeskCommand, DeskReturn } from '../../../electron/contract';

export const TODAY = parisDay(new Date());

/** A temp folder and a seeded server database, created once per test file. */
export class TownFiles {
  readonly dir = mkdtempSync(join(tmpdir(), 'gf-desk-sync-'));
  private seeded: string | null = null;
  private copies = 0;

  async seed(families = 30): Promise<void> {
    const path = join(this.dir, 'seed.sqlite');
    await seedDatabaseFile(path, { families, seed: 11, today: TODAY });
    this.seeded = path;
  }

  /** A fresh copy of the seeded town (a new server for one test). */
  serverCopy(): string {
    if (!this.seeded) throw new Error('seed() first');
    this.copies += 1;
    const path = join(this.dir, `server-${this.copies}.sqlite`);
    copyFileSync(this.seeded, path);
    return path;
  }

  path(name: string): string {
    return join(this.dir, `${name}-${(this.copies += 1)}.sqlite`);
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface BookableDay {
  personId: string;
  householdId: string;
  activityId: string;
  siteId: string;
  day: string;
  ageGroup: string;
}

/**
 * Children with a validated inscription to `activityCode`, each with an opening day at least
 * `minDaysAhead` days from today where they have no active booking and every unit has a place left.
 * One entry per household.
 */
export function bookableDays(
  sqlite: BetterSqlite3.Database,
  { activityCode = 'ALSH_MER', minDaysAhead = 7, count = 4 } = {},
): BookableDay[] {
  const rows = sqlite
    .prepare(
      `SELECT i.person_id AS personId, i.household_id AS householdId, i.activity_id AS activityId,
              i.site_id AS siteId, o.day AS day, i.age_group AS ageGroup
       FROM inscriptions i
       JOIN activities a ON a.id = i.activity_id AND a.code = ?
       JOIN opening_days o ON o.period_id = i.period_id AND o.site_id = i.site_id AND o.day >= ?
       WHERE i.status = 'validee'
         AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.person_id = i.person_id AND b.day = o.day
                         AND b.activity_id = i.activity_id AND b.state IN ('reservee', 'en_attente'))
         AND NOT EXISTS (SELECT 1 FROM units u LEFT JOIN capacities c ON c.unit_id = u.id AND c.site_id = i.site_id
                           AND c.day = o.day AND c.age_group = i.age_group
                         WHERE u.activity_id = i.activity_id AND (c.id IS NULL OR c.taken >= c.places))
       ORDER BY o.day, i.id`,
    )
    .all(activityCode, addDays(TODAY, minDaysAhead)) as BookableDay[];
  const seen = new Set<string>();
  const found: BookableDay[] = [];
  for (const row of rows) {
    if (seen.has(row.householdId)) continue;
    seen.add(row.householdId);
    found.push(row);
    if (found.length === count) break;
  }
  if (found.length < count) throw new Error(`Only ${found.length} bookable children found`);
  return found;
}

/**
 * A child who could be booked for restauration on a coming day whose 48 h deadline has already passed
 * (server time), or null when the calendar has none right now.
 */
export function pastDeadlineDay(sqlite: BetterSqlite3.Database): BookableDay | null {
  const rule = JSON.parse(
    (
      sqlite.prepare("SELECT deadline_json FROM activities WHERE code = 'RESTAURATION'").get() as {
        deadline_json: string;
      }
    ).deadline_json,
  ) as DeadlineRule;
  const found = bookableDays(sqlite, { activityCode: 'RESTAURATION', minDaysAhead: 0, count: 1 })[0];
  return found && bookingDeadline(rule, found.day).getTime() <= Date.now() ? found : null;
}

export function unitIds(sqlite: BetterSqlite3.Database, activityId: string): Record<UnitCode, string> {
  const rows = sqlite.prepare('SELECT code, id FROM units WHERE activity_id = ?').all(activityId) as {
    code: UnitCode;
    id: string;
  }[];
  return Object.fromEntries(rows.map((r) => [r.code, r.id])) as Record<UnitCode, string>;
}

export function agentId(sqlite: BetterSqlite3.Database, login: string): string {
  return (sqlite.prepare('SELECT id FROM agents WHERE login = ?').get(login) as { id: string }).id;
}

/** Adds a desk to the server's town (the seed has one) and returns its id. */
export function addDesk(sqlite: BetterSqlite3.Database, name: string, prefix: string): string {
  const id = `01a01dc1-0000-7000-8000-${String(Math.floor(Math.random() * 1e12)).padStart(12, '0')}`;
  const at = new Date().toISOString();
  sqlite
    .prepare('INSERT INTO desks (id, name, receipt_prefix, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
    .run(id, name, prefix, at, at);
  return id;
}

/** The desk's value for a command, or the test fails with the desk's French message. */
export async function call<K extends DeskCommand>(
  desk: DeskBackend,
  name: K,
  args: DeskArgs<K>,
): Promise<DeskReturn<K>> {
  const result = await desk.invoke(name, args);
  if (!result.ok) throw new Error(`${name} failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

/** A desk's error code and message for a command expected to be refused. */
export async function refusal<K extends DeskCommand>(
  desk: DeskBackend,
  name: K,
  args: DeskArgs<K>,
): Promise<{ code: string; message: string }> {
  const result = await desk.invoke(name, args);
  if (result.ok) throw new Error(`${name} unexpectedly succeeded`);
  return result.error;
}

/** Starts a desk without background sync (tests call sync/now), unless told otherwise. */
export async function startDesk(options: DeskBackendOptions): Promise<DeskBackend> {
  const desk = new DeskBackend({ autoSync: false, ...options });
  await desk.start();
  return desk;
}

/** Waits until `check` holds (polling), or fails after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}
