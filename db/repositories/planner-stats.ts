/**
 * SQLite planner statistics (`sqlite_stat1`). Without them SQLite weighs every index alike; with them it
 * knows, say, that `inscriptions_site_id_idx` splits 78 000 rows into 3 sites. The booking-path queries are
 * written to use their composite indexes either way (migration 0011); statistics keep every other query
 * honest as the data grows. `analysis_limit` bounds the work per index (sampled statistics: ~1 s on the
 * 20,000-family town instead of ~5 s), so these are safe to run on a live database.
 * A `VACUUM INTO` copy (a desk snapshot) carries `sqlite_stat1` along.
 */
import type BetterSqlite3 from 'better-sqlite3';

/** Rows sampled per index by ANALYZE. */
const ANALYSIS_LIMIT = 1000;

/** Gathers statistics for every table and index (after a bulk load: the seed, an import). */
export function analyzeDatabase(sqlite: BetterSqlite3.Database): void {
  sqlite.pragma(`analysis_limit = ${ANALYSIS_LIMIT}`);
  sqlite.exec('ANALYZE');
}

/**
 * `PRAGMA optimize`: re-analyses only the tables whose statistics are missing or stale (their row count
 * moved a lot since), usually in well under a millisecond. `allTables` checks every table (at start-up:
 * 0x10002), otherwise only those this connection has queried (the periodic call on a long-lived connection).
 * Returns the tables analysed.
 */
export function optimizeDatabase(
  sqlite: BetterSqlite3.Database,
  opts: { allTables?: boolean } = {},
): string[] {
  sqlite.pragma(`analysis_limit = ${ANALYSIS_LIMIT}`);
  const before = statTables(sqlite);
  sqlite.pragma(opts.allTables ? 'optimize = 0x10002' : 'optimize');
  const after = statTables(sqlite);
  return [...after.entries()].filter(([table, stat]) => before.get(table) !== stat).map(([table]) => table);
}

function statTables(sqlite: BetterSqlite3.Database): Map<string, string> {
  const exists = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").get();
  if (exists === undefined) return new Map();
  const rows = sqlite
    .prepare("SELECT tbl, group_concat(stat, ';') AS stat FROM sqlite_stat1 GROUP BY tbl")
    .all() as {
    tbl: string;
    stat: string;
  }[];
  return new Map(rows.map((r) => [r.tbl, r.stat]));
}
