/**
 * GET /sync/v1/pull?after=SEQ&limit=N, the engine: the change rows after a desk's
 * cursor, in order, filtered to what a desk may see. `lastSeq` is the last row
 * *read* (filtered-out rows included), so the cursor always moves past them.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { ChangeRow, PullResponse } from '../../core/sync/messages';
import { syncStatements } from '../../db/repositories/sync-server';
import { visibleToDesks } from './desk-visibility';

export const DEFAULT_PULL_LIMIT = 5000;
export const MAX_PULL_LIMIT = 5000;

export { compactChangeLog } from './change-log';

export function pullChanges(
  database: { sqlite: BetterSqlite3.Database },
  after: number,
  limit: number = DEFAULT_PULL_LIMIT,
): PullResponse {
  const { sqlite } = database;
  const q = syncStatements(sqlite);
  // One read transaction: bounds and page come from the same state of the log.
  return sqlite.transaction((): PullResponse => {
    const lastSeq = q.lastSeq();
    const oldestSeq = q.oldestSeq();
    if (after > lastSeq) {
      return {
        status: 'resync_required',
        message:
          'Le serveur ne reconnaît pas le point de synchronisation de ce poste : une copie complète va être téléchargée.',
        oldestSeq: oldestSeq ?? lastSeq,
      };
    }
    if (oldestSeq !== null && after < oldestSeq - 1) {
      return {
        status: 'resync_required',
        message:
          "Ce poste n'a pas été synchronisé depuis trop longtemps : une copie complète va être téléchargée (les opérations en attente sont conservées).",
        oldestSeq,
      };
    }
    const pageSize = Math.max(1, Math.min(limit, MAX_PULL_LIMIT));
    const stored = q.changesAfter(after, pageSize + 1);
    const hasMore = stored.length > pageSize;
    const page = hasMore ? stored.slice(0, pageSize) : stored;
    const changes: ChangeRow[] = page.map((change) => ({
      seq: change.seq,
      entity: change.entity,
      entityId: change.entity_id,
      op: change.op,
      row: change.row_json === null ? null : (JSON.parse(change.row_json) as Record<string, unknown>),
    }));
    return {
      status: 'ok',
      changes: visibleToDesks(sqlite, changes),
      lastSeq: page.at(-1)?.seq ?? after,
      hasMore,
    };
  })();
}
