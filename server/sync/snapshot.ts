// Builds the SQLite file a desk starts from: a consistent copy of the server state, minus what a desk may not see,
// stamped with where the desk's own numbering stands (docs/SYNC.md, "Snapshot and resync").
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';

/** Statements that remove data no desk may hold: parents' credentials and their private document store. */
const STRIP_PRIVATE = [
  'DELETE FROM citizen_sessions',
  'DELETE FROM household_access_keys',
  "UPDATE citizen_accounts SET password_hash = '', activation_token_hash = NULL, password_reset_token_hash = NULL",
  "DELETE FROM document_files WHERE document_id IN (SELECT id FROM documents WHERE space = 'prive_citoyen')",
  "DELETE FROM documents WHERE space = 'prive_citoyen'",
  'DELETE FROM blobs WHERE hash NOT IN (SELECT blob_hash FROM document_files) AND hash NOT IN (SELECT blob_hash FROM town_documents)',
  'DELETE FROM applied_ops',
  'DELETE FROM change_log',
  'UPDATE desks SET token_hash = NULL',
  'DELETE FROM mail_outbox',
];

/**
 * `desk_counters` names stamped for the desk in its snapshot: `op_seq`, the last op sequence of this desk the
 * server had applied (the desk's next op is `op_seq + 1`); `receipt`, the highest receipt number it holds from it.
 */
export const DESK_OP_SEQ_COUNTER = 'op_seq';
export const DESK_RECEIPT_COUNTER = 'receipt';

export interface DeskSnapshot {
  path: string;
  /** Change-log sequence the snapshot reflects: the desk pulls the tail after it. */
  seq: number;
  /** The desk's last op sequence applied by the server: its next op is `deskSeq + 1`. */
  deskSeq: number;
  /** The highest receipt number the server holds from this desk: its next receipt is `receiptCounter + 1`. */
  receiptCounter: number;
  dispose(): void;
}

/**
 * Where the desk's numbering stands on the server, read from the copy before it is stripped: its last applied op
 * sequence (`applied_ops`) and its highest receipt number (`<receipt_prefix>-<n>`, a `~k` conflict suffix
 * ignored), never below the `desk_counters` row the copy may already hold.
 */
function deskNumbering(copy: BetterSqlite3.Database, deskId: string): { deskSeq: number; receipt: number } {
  const deskSeq = copy
    .prepare('SELECT COALESCE(MAX(desk_seq), 0) FROM applied_ops WHERE desk_id = ?')
    .pluck()
    .get(deskId) as number;
  const receipt = copy
    .prepare(
      `SELECT MAX(
         COALESCE((SELECT value FROM desk_counters WHERE desk_id = d.id AND name = ?), 0),
         COALESCE((SELECT MAX(CAST(substr(r.number, length(d.receipt_prefix) + 2) AS INTEGER)) FROM receipts r
                    WHERE r.desk_id = d.id AND substr(r.number, 1, length(d.receipt_prefix) + 1) = d.receipt_prefix || '-'), 0))
       FROM desks d WHERE d.id = ?`,
    )
    .pluck()
    .get(DESK_RECEIPT_COUNTER, deskId) as number | undefined;
  return { deskSeq, receipt: receipt ?? 0 };
}

/**
 * `VACUUM INTO` writes one consistent, compact read of the database (no free pages, no stale bytes); the rows a
 * desk may not see are then deleted with `secure_delete` on, which overwrites their bytes (cells, freed pages,
 * index entries) with zeros — so they cannot be recovered from the file, without a second full VACUUM. The copy
 * is a throw-away temp file: no rollback journal, no fsync (a failure discards it).
 */
export function buildDeskSnapshot(sqlite: BetterSqlite3.Database, deskId: string): DeskSnapshot {
  const dir = mkdtempSync(join(tmpdir(), 'gf-snapshot-'));
  const dispose = (): void => rmSync(dir, { recursive: true, force: true });
  const path = join(dir, 'snapshot.sqlite');
  try {
    sqlite.prepare('VACUUM INTO ?').run(path);
    const copy = new Database(path);
    try {
      copy.pragma('journal_mode = OFF');
      copy.pragma('synchronous = OFF');
      copy.pragma('secure_delete = ON');
      const stamped = copy.transaction(() => {
        const seq = copy.prepare('SELECT COALESCE(MAX(seq), 0) FROM change_log').pluck().get() as number;
        const numbering = deskNumbering(copy, deskId);
        for (const statement of STRIP_PRIVATE) copy.exec(statement);
        const put = copy.prepare('INSERT OR REPLACE INTO sync_state (key, value) VALUES (?, ?)');
        put.run('cursor', String(seq));
        put.run('desk_id', deskId);
        put.run('snapshot_at', new Date().toISOString());
        const raise = copy.prepare(
          `INSERT INTO desk_counters (desk_id, name, value) VALUES (?, ?, ?)
           ON CONFLICT (desk_id, name) DO UPDATE SET value = MAX(value, excluded.value)`,
        );
        if (numbering.deskSeq > 0) raise.run(deskId, DESK_OP_SEQ_COUNTER, numbering.deskSeq);
        if (numbering.receipt > 0) raise.run(deskId, DESK_RECEIPT_COUNTER, numbering.receipt);
        return { seq, deskSeq: numbering.deskSeq, receiptCounter: numbering.receipt };
      })();
      return { path, ...stamped, dispose };
    } finally {
      copy.close();
    }
  } catch (error) {
    dispose();
    throw error;
  }
}
