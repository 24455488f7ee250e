/**
 * What a desk may see of the change log (pull and SSE), matching what the
 * snapshot strips: no parents' sessions, access keys or credentials, no desk
 * tokens, nothing of a parent's private document store.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { ChangeRow } from '../../core/sync/messages';
import { syncStatements } from '../../db/repositories/sync-server';

/** Tables never sent to a desk, row by row. */
const HIDDEN_ENTITIES = new Set([
  'citizen_sessions',
  'household_access_keys',
  'applied_ops',
  'change_log',
  'outbox',
  'sync_state',
  'blobs',
]);

/** Columns blanked (value given) before a row leaves the server. */
const BLANKED_COLUMNS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  citizen_accounts: { password_hash: '', activation_token_hash: null, password_reset_token_hash: null },
  desks: { token_hash: null },
};

const PRIVATE_SPACE = 'prive_citoyen';

function isPrivateDocumentRow(sqlite: BetterSqlite3.Database, change: ChangeRow): boolean {
  if (change.row === null) return false;
  if (change.entity === 'documents') return change.row.space === PRIVATE_SPACE;
  if (change.entity === 'document_files' && typeof change.row.document_id === 'string') {
    return syncStatements(sqlite).documentSpace(change.row.document_id) === PRIVATE_SPACE;
  }
  return false;
}

/** The rows a desk may hold, with secret columns blanked (input rows are not modified). */
export function visibleToDesks(sqlite: BetterSqlite3.Database, changes: readonly ChangeRow[]): ChangeRow[] {
  const visible: ChangeRow[] = [];
  for (const change of changes) {
    if (HIDDEN_ENTITIES.has(change.entity) || isPrivateDocumentRow(sqlite, change)) continue;
    const blanked = BLANKED_COLUMNS[change.entity];
    visible.push(blanked && change.row ? { ...change, row: { ...change.row, ...blanked } } : change);
  }
  return visible;
}
