/**
 * Opening a SQLite database (desk replica or server store) with the settings
 * every connection needs, wrapped in a typed Kysely instance.
 *
 * PRAGMAs, on every connection:
 * - journal_mode=WAL: readers never block the writer and vice versa (the desk UI
 *   reads while sync writes); persistent in the file.
 * - synchronous=NORMAL: in WAL mode a commit is durable against an application
 *   crash and never corrupts the file; only an OS crash or power loss may lose the
 *   last few commits (~10× faster than FULL per commit). Nothing is lost for good
 *   on a desk: un-acknowledged commands stay in the outbox and are re-sent, and
 *   the server's answers are idempotent (applied_ops).
 * - foreign_keys=ON: SQLite ignores declared foreign keys without it.
 * - busy_timeout: wait instead of failing at once when another connection writes.
 */
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteAdapter, SqliteDialect } from 'kysely';
import type { DialectAdapter } from 'kysely';
import type { Database } from './schema';

/**
 * SQLite does roll back DDL, but Kysely's SqliteAdapter says it does not, so its
 * Migrator would run migrations outside any transaction and a failure would
 * leave a half-built schema. Saying so makes each migration run all-or-nothing.
 */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class GuichetSqliteDialect extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

export interface OpenOptions {
  /** Open read-only (the file must exist; WAL is left as the writer set it). */
  readonly?: boolean;
  /**
   * Path to a better_sqlite3.node built for another ABI (Electron's). Default: `GF_SQLITE_BINDING` when set (the
   * packaged desk's main process sets it, so every connection it opens loads Electron's build).
   */
  nativeBinding?: string;
  /** How long to wait for a lock held by another connection (default 5 000 ms). */
  busyTimeoutMs?: number;
}

export interface OpenedDatabase {
  sqlite: BetterSqlite3.Database;
  db: Kysely<Database>;
  /** Closes the connection; safe to call twice. */
  close(): void;
}

const PAGE_CACHE_KIB = 32_768;

/** Opens (creating if needed) the database at `path`; `':memory:'` for a throwaway one. */
export function openDatabase(path: string, opts: OpenOptions = {}): OpenedDatabase {
  const readonly = opts.readonly ?? false;
  const nativeBinding = opts.nativeBinding ?? (process.env.GF_SQLITE_BINDING || undefined);
  const sqlite = new BetterSqlite3(path, {
    readonly,
    fileMustExist: readonly,
    ...(nativeBinding !== undefined ? { nativeBinding } : {}),
  });
  try {
    sqlite.pragma(`busy_timeout = ${Math.max(0, Math.trunc(opts.busyTimeoutMs ?? 5000))}`);
    if (!readonly) sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    // 32 MiB of page cache (SQLite's default is 2 MiB): a push commits 64 ops at once, a catch-up writes tens of
    // thousands of rows — their dirty pages and the indexes' inner pages stay in memory instead of spilling to
    // the WAL mid-transaction and being read back. Memory is taken only as pages are used.
    sqlite.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
  } catch (error) {
    sqlite.close();
    throw error;
  }
  const db = new Kysely<Database>({ dialect: new GuichetSqliteDialect({ database: sqlite }) });
  return {
    sqlite,
    db,
    close() {
      if (sqlite.open) sqlite.close();
    },
  };
}
