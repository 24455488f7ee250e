/**
 * Keeps SQLite's planner statistics (`sqlite_stat1`) fresh on the server: `PRAGMA optimize` over every
 * table at start-up (a database seeded or migrated without statistics gets them, ~1 s on the 20,000-family
 * town; nothing to do, well under a millisecond, when they are current), then every `intervalMs` over the
 * tables this connection has used. Desks get the statistics with their snapshot (`VACUUM INTO` copies
 * `sqlite_stat1`).
 */
import type BetterSqlite3 from 'better-sqlite3';
import { optimizeDatabase } from '../../db/repositories/planner-stats';

export interface PlannerStatsOptions {
  /** Default: every 6 hours. */
  intervalMs?: number;
  /** Told which tables were re-analysed, and about failures (the job never throws). */
  log?: (message: string) => void;
}

export interface PlannerStatsJob {
  /** Runs one round now (the timer also does); returns the tables re-analysed. */
  runOnce(): string[];
  stop(): void;
}

const DEFAULT_INTERVAL_MS = 6 * 60 * 60 * 1000;

export function startPlannerStatsJob(
  sqlite: BetterSqlite3.Database,
  options: PlannerStatsOptions = {},
): PlannerStatsJob {
  const log = options.log ?? (() => undefined);
  const round = (allTables: boolean): string[] => {
    if (!sqlite.open || sqlite.readonly) return [];
    try {
      const analysed = optimizeDatabase(sqlite, { allTables });
      if (analysed.length > 0) log(`planner statistics refreshed: ${analysed.join(', ')}`);
      return analysed;
    } catch (error) {
      // A busy database or a closing one: the next round tries again.
      log(`planner statistics not refreshed: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    }
  };
  round(true);
  const timer = setInterval(() => round(false), options.intervalMs ?? DEFAULT_INTERVAL_MS);
  timer.unref();
  return {
    runOnce: () => round(false),
    stop: () => clearInterval(timer),
  };
}
