// Builds the SQLite file a desk starts from: a consistent copy of the server state, minus what a desk may not see.
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
];

export interface DeskSnapshot {
  path: string;
  /** Change-log sequence the snapshot reflects: the desk pulls the tail after it. */
  seq: number;
  dispose(): void;
}

export function buildDeskSnapshot(sqlite: BetterSqlite3.Database, deskId: string): DeskSnapshot {
  const dir = mkdtempSync(join(tmpdir(), 'gf-snapshot-'));
  const path = join(dir, 'snapshot.sqlite');
  // VACUUM INTO writes one consistent read of the database; the sequence is read from the copy itself.
  sqlite.prepare('VACUUM INTO ?').run(path);
  const copy = new Database(path);
  let seq = 0;
  try {
    copy.transaction(() => {
      seq = (copy.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM change_log').get() as { seq: number })
        .seq;
      for (const statement of STRIP_PRIVATE) copy.exec(statement);
      const put = copy.prepare('INSERT OR REPLACE INTO sync_state (key, value) VALUES (?, ?)');
      put.run('cursor', String(seq));
      put.run('desk_id', deskId);
      put.run('snapshot_at', new Date().toISOString());
    })();
    copy.exec('VACUUM');
  } finally {
    copy.close();
  }
  return { path, seq, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
