// The demo-town generator: a fictional town (Saint-Aubin-sur-Loire) with N
// families, deterministic from a seed and "today". `seedDatabaseFile` creates,
// migrates and fills a SQLite file; `generateDemoTown` fills an open, migrated,
// empty database with raw prepared statements in one transaction.
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { parisDay } from '../../core/calendar/paris';
import { migrateToLatest } from '../migrate';
import { openDatabase } from '../open';
import { rebuildHouseholdSearchIndex } from '../repositories/household-search-text';
import { analyzeDatabase } from '../repositories/planner-stats';
import { seedAccounts } from './accounts';
import { seedActivities } from './activities';
import { seedBilling } from './billing';
import { seedBookings } from './bookings';
import { seedContent } from './content';
import { SeedContext } from './context';
import type { DemoTownOptions } from './context';
import { DemandeBook } from './demande-book';
import { seedHouseholds } from './households';
import { billingMonths } from './months';
import { seedRequests } from './requests';
import { seedStaff, seedTown } from './town';

export { DEMO_LOGINS, accessKeyHash } from './accounts';
export type { DemoLogin } from './accounts';
export type { DemoTownOptions } from './context';
export { DEMO_PARENT_EMAILS } from './households';
export { hashPassword, hashPasswordSync, verifyPassword } from './passwords';
export { DEMO_PASSWORD, TOWN } from './town';

export interface DemoTownSummary {
  options: DemoTownOptions;
  schoolYear: string;
  /** Rows written per table. */
  counts: Record<string, number>;
  /** Months invoiced, 'YYYY-MM'. */
  billedMonths: string[];
  /** An unused access key ("Clé Espace Citoyens") of a household without a web account. */
  demoAccessKey: { householdCode: string; key: string } | null;
}

/** Default families, seed and today (the Paris day of now) for scripts. */
export const DEFAULT_SEED_OPTIONS = { families: 300, seed: 1 } as const;

export function parisToday(now: Date = new Date()): string {
  return parisDay(now);
}

export interface SeedHooks {
  /** Called after each step with its name and duration (seconds). */
  progress?: (step: string, seconds: number) => void;
}

/**
 * Fills `sqlite` (migrated, without households) with the demo town. Foreign keys
 * are not checked while writing (rows reference demandes numbered at the end);
 * the integration tests prove `PRAGMA foreign_key_check` is empty afterwards.
 */
export function generateDemoTown(
  sqlite: BetterSqlite3.Database,
  options: DemoTownOptions,
  hooks: SeedHooks = {},
): DemoTownSummary {
  const existing = sqlite.prepare('SELECT COUNT(*) AS n FROM households').get() as { n: number };
  if (existing.n > 0)
    throw new Error(
      'La base contient déjà des familles : la ville de démonstration se crée dans une base vide.',
    );
  const saved = (['foreign_keys', 'cache_size', 'threads'] as const).map(
    (name) => [name, sqlite.pragma(name, { simple: true })] as const,
  );
  sqlite.pragma('foreign_keys = OFF');
  // Page cache sized to the town (~120 KiB per family, 64 MiB to 3 GiB) so that the
  // one transaction rarely spills pages to disk before its commit.
  sqlite.pragma(`cache_size = -${Math.min(6_000_000, Math.max(65_536, options.families * 200))}`);
  sqlite.pragma('threads = 2');
  const step = <T>(name: string, fn: () => T): T => {
    const started = performance.now();
    const result = fn();
    hooks.progress?.(name, (performance.now() - started) / 1000);
    return result;
  };
  try {
    const ctx = new SeedContext(sqlite, options);
    const months = billingMonths(ctx);
    let demoAccessKey: DemoTownSummary['demoAccessKey'] = null;
    sqlite.exec('BEGIN');
    try {
      // Secondary indexes (those declared with CREATE INDEX) are dropped and rebuilt
      // at the end from their own DDL — a sorted build: same schema, less time.
      const deferred = sqlite
        .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name`)
        .all() as { name: string; sql: string }[];
      for (const index of deferred) sqlite.exec(`DROP INDEX "${index.name}"`);
      // Triggers (the family search index's, migration 0012) too: the index is rebuilt in one pass at the end.
      const triggers = sqlite
        .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name`)
        .all() as { name: string; sql: string }[];
      for (const trigger of triggers) sqlite.exec(`DROP TRIGGER "${trigger.name}"`);
      const { sites, staff, activities } = step('town', () => {
        const { sites } = seedTown(ctx);
        const staff = seedStaff(ctx);
        return { sites, staff, activities: seedActivities(ctx, sites) };
      });
      const households = step('households', () => seedHouseholds(ctx));
      const accounts = step('accounts', () => seedAccounts(ctx, households));
      demoAccessKey = accounts.demoAccessKey;
      const demandes = new DemandeBook(ctx);
      const bills = step('bookings', () =>
        seedBookings(ctx, activities, households, staff, accounts, demandes, months),
      );
      const billing = step('billing', () =>
        seedBilling(ctx, activities, households, staff, accounts, demandes, months, bills),
      );
      const lastDemande = step('demandes', () => {
        seedRequests(ctx, households, accounts, demandes, staff);
        return demandes.flush();
      });
      step('content', () => {
        seedContent(ctx, activities, sites);
        ctx.insert('counters', { name: 'invoice', value: billing.lastInvoiceSeq });
        ctx.insert('counters', { name: 'demande', value: lastDemande });
      });
      step('indexes', () => {
        ctx.flushAll();
        // A smaller cache for the index builds: the sorter then works in chunks (on
        // two threads) and dirty pages start reaching the file before the commit.
        sqlite.pragma('cache_size = -524288');
        for (const index of deferred) sqlite.exec(index.sql);
      });
      step('search index', () => {
        rebuildHouseholdSearchIndex(sqlite);
        for (const trigger of triggers) sqlite.exec(trigger.sql);
      });
      step('commit', () => sqlite.exec('COMMIT'));
    } catch (error) {
      if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
      throw error;
    }
    // Planner statistics (sqlite_stat1), so that the server and the desks' snapshots start with them.
    step('statistics', () => analyzeDatabase(sqlite));
    const counts = Object.fromEntries([...ctx.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
    return {
      options,
      schoolYear: ctx.schoolYear.label,
      counts,
      billedMonths: months.map((m) => m.month),
      demoAccessKey,
    };
  } finally {
    for (const [name, value] of saved) sqlite.pragma(`${name} = ${Number(value)}`);
  }
}

export interface SeedFileOptions extends DemoTownOptions {
  /** Delete an existing database file first (otherwise a non-empty file is refused). */
  force?: boolean;
}

export class SeedRefusedError extends Error {
  readonly code = 'SEED_DATABASE_EXISTS';
}

/** Creates (or, with `force`, recreates) the SQLite file at `file`, migrates it and seeds the demo town. */
export async function seedDatabaseFile(
  file: string,
  options: SeedFileOptions,
  hooks: SeedHooks = {},
): Promise<DemoTownSummary & { seconds: number }> {
  const started = process.hrtime.bigint();
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  if (existsSync(file) && statSync(file).size > 0) {
    if (!options.force) {
      throw new SeedRefusedError(
        `La base ${file} existe déjà et n'est pas vide : relancez avec --force pour la remplacer.`,
      );
    }
  }
  if (options.force)
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${file}${suffix}`, { force: true });
  const { sqlite, db, close } = openDatabase(file);
  try {
    await migrateToLatest(db);
    const { force: _force, ...townOptions } = options;
    // A brand-new file: a rollback journal in memory while filling it (a failure
    // deletes the file) instead of writing every page twice through the WAL,
    // then back to WAL as openDatabase sets it.
    sqlite.pragma('journal_mode = DELETE');
    sqlite.pragma('journal_mode = MEMORY');
    sqlite.pragma('synchronous = OFF');
    let summary: DemoTownSummary;
    try {
      summary = generateDemoTown(sqlite, townOptions, hooks);
    } catch (error) {
      close();
      for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${file}${suffix}`, { force: true });
      throw error;
    }
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    return { ...summary, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
  } finally {
    await db.destroy().catch(() => undefined);
    close();
  }
}
