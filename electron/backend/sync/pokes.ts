// The server's SSE pokes (`event: changes`): what an event carries, and whether it continues the replica.
import type { ChangeRow } from '../../../core/sync/messages';

/** `data:` of a `changes` event: ChangeRow[] (docs/SYNC.md), or `{ after?, lastSeq?, changes }`. */
export function parseChanges(data: string): { rows: ChangeRow[]; after?: number; lastSeq?: number } {
  const parsed = JSON.parse(data) as unknown;
  if (Array.isArray(parsed)) return { rows: parsed as ChangeRow[] };
  const body = parsed as { changes?: ChangeRow[]; after?: number; lastSeq?: number };
  return {
    rows: body.changes ?? [],
    ...(typeof body.after === 'number' ? { after: body.after } : {}),
    ...(typeof body.lastSeq === 'number' ? { lastSeq: body.lastSeq } : {}),
  };
}

/**
 * Whether an event's rows continue the replica exactly: with `after` (the server's sequence before the
 * event), when it is not past the cursor; otherwise when the rows run cursor + 1, cursor + 2, …
 */
export function isContiguous(
  cursor: number,
  fresh: readonly ChangeRow[],
  after: number | undefined,
): boolean {
  if (after !== undefined) return after <= cursor;
  return fresh.every((row, i) => row.seq === cursor + 1 + i);
}
