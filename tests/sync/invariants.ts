// The checks every sync guarantee test ends with (docs/SYNC.md, "Guarantees"), each as a list of violations:
// server invariants, a desk's outbox against the server's applied_ops, receipt numbers, and replica convergence
// (a desk's tables row for row against the server's desk view).
import Database from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';
import type { OpResult } from '../../core/sync/messages';
import { DESK_LOCAL_TABLES } from '../../db/repositories/desk-rows';
import { buildDeskSnapshot } from '../../server/sync/snapshot';
import type { EnrolledDesk } from './support';

const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) && !Buffer.isBuffer(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );

/**
 * What must hold on the server whatever happened (crashes, replays, races), as a list of violations:
 * places taken ≤ places and equal to the `reservee` bookings of the cell; a hole-free change log whose latest
 * row of every entity is the entity's current state (no half-written command); every row a command wrote
 * (bookings, payments, receipts) traced to its applied op and logged; invoice balances equal to their
 * allocations; desk sequences gapless; receipt numbers never suffixed by a conflict.
 */
export function serverViolations(sqlite: BetterSqlite3.Database): string[] {
  const problems: string[] = [];
  const rows = (sql: string, ...params: unknown[]) =>
    sqlite.prepare(sql).all(...params) as Record<string, unknown>[];
  // The seeded history has desk payments from before sync (origin op ids without applied ops), by a desk never
  // enrolled: payments written by sync commands are those of enrolled desks.
  const byEnrolledDesk = 'p.desk_id IN (SELECT id FROM desks WHERE enrolled_at IS NOT NULL)';
  const note = (what: string, found: Record<string, unknown>[]) => {
    if (found.length > 0) problems.push(`${what}: ${found.length} (${canonical(found.slice(0, 3))})`);
  };
  note('capacities over their places', rows('SELECT id, places, taken FROM capacities WHERE taken > places'));
  note(
    'capacities whose taken ≠ reservee bookings',
    rows(`SELECT c.id, c.taken, (SELECT COUNT(*) FROM bookings b WHERE b.state = 'reservee' AND b.site_id = c.site_id
                 AND b.unit_id = c.unit_id AND b.day = c.day AND b.age_group = c.age_group) AS reserved
            FROM capacities c WHERE taken != reserved`),
  );
  note(
    'reservee bookings without a capacity cell',
    rows(`SELECT b.id FROM bookings b WHERE b.state = 'reservee' AND NOT EXISTS (SELECT 1 FROM capacities c
            WHERE c.site_id = b.site_id AND c.unit_id = b.unit_id AND c.day = b.day AND c.age_group = b.age_group)`),
  );
  note(
    'change log with holes',
    rows(
      'SELECT MIN(seq) AS first, MAX(seq) AS last, COUNT(*) AS n FROM change_log HAVING n > 0 AND last - first + 1 != n',
    ),
  );
  // The latest change row of every entity is its current state: a write without its log row (or the reverse)
  // shows here.
  const latest = rows(
    `SELECT c.entity, c.entity_id, c.op, c.row_json FROM change_log c
      WHERE c.seq = (SELECT MAX(seq) FROM change_log d WHERE d.entity = c.entity AND d.entity_id = c.entity_id)`,
  ) as { entity: string; entity_id: string; op: string; row_json: string | null }[];
  const stale: unknown[] = [];
  const readers = new Map<string, { statement: BetterSqlite3.Statement; columns: number }>();
  for (const change of latest) {
    let reader = readers.get(change.entity);
    if (!reader) {
      const pk = (sqlite.pragma(`table_info("${change.entity}")`) as { name: string; pk: number }[])
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => `"${c.name}" = ?`);
      reader = {
        statement: sqlite.prepare(`SELECT * FROM "${change.entity}" WHERE ${pk.join(' AND ')}`),
        columns: pk.length,
      };
      readers.set(change.entity, reader);
    }
    const key = reader.columns === 1 ? [change.entity_id] : change.entity_id.split('|');
    const current = reader.statement.get(...key) as Record<string, unknown> | undefined;
    const logged =
      change.row_json === null ? undefined : (JSON.parse(change.row_json) as Record<string, unknown>);
    if (canonical(current ?? null) !== canonical(logged ?? null)) stale.push({ ...change, current });
  }
  if (stale.length > 0)
    problems.push(
      `entities whose latest change row is not their state: ${stale.length} (${canonical(stale.slice(0, 2))})`,
    );
  note(
    'applied ops pointing at a change row that does not exist',
    rows(`SELECT a.op_id, a.change_seq FROM applied_ops a WHERE a.change_seq > 0
            AND a.change_seq >= (SELECT COALESCE(MIN(seq), 0) FROM change_log)
            AND NOT EXISTS (SELECT 1 FROM change_log c WHERE c.seq = a.change_seq)`),
  );
  note(
    'bookings written by an op without its applied op',
    rows(`SELECT b.id, b.origin_op_id FROM bookings b WHERE b.origin_op_id IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM applied_ops a WHERE a.op_id = b.origin_op_id)`),
  );
  // Compaction legitimately drops old change rows: "every written row has its change row" holds on a full log.
  const compacted =
    (sqlite.prepare('SELECT COALESCE(MIN(seq), 1) FROM change_log').pluck().get() as number) > 1;
  note(
    'bookings written by an op without a change row',
    compacted
      ? []
      : rows(`SELECT b.id FROM bookings b WHERE b.origin_op_id IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM change_log c WHERE c.entity = 'bookings' AND c.entity_id = b.id)`),
  );
  note(
    'change rows of bookings or payments whose op is not in applied_ops',
    rows(`SELECT c.seq, c.entity, json_extract(c.row_json, '$.origin_op_id') AS op FROM change_log c
           WHERE c.entity IN ('bookings', 'payments') AND json_extract(c.row_json, '$.origin_op_id') IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM applied_ops a WHERE a.op_id = json_extract(c.row_json, '$.origin_op_id'))`),
  );
  note(
    'payments written by an op without its applied op',
    rows(`SELECT p.id, p.origin_op_id FROM payments p WHERE p.origin_op_id IS NOT NULL AND ${byEnrolledDesk}
            AND NOT EXISTS (SELECT 1 FROM applied_ops a WHERE a.op_id = p.origin_op_id)`),
  );
  note(
    'payments written by an op without a change row or a receipt',
    rows(
      `SELECT p.id FROM payments p WHERE p.origin_op_id IS NOT NULL AND ${byEnrolledDesk}
            AND ((NOT EXISTS (SELECT 1 FROM change_log c WHERE c.entity = 'payments' AND c.entity_id = p.id) AND ?)
              OR NOT EXISTS (SELECT 1 FROM receipts r WHERE r.payment_id = p.id))`,
      compacted ? 0 : 1,
    ),
  );
  note(
    'payments of enrolled desks without exactly one receipt',
    rows(`SELECT p.id FROM payments p WHERE ${byEnrolledDesk}
            AND (SELECT COUNT(*) FROM receipts r WHERE r.payment_id = p.id) != 1`),
  );
  note(
    'accepted payment ops without their payment',
    rows(`SELECT a.op_id FROM applied_ops a WHERE a.command IN ('payment.record', 'payment.reverse')
            AND json_extract(a.result_json, '$.outcome') = 'accepted'
            AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.origin_op_id = a.op_id)
            AND COALESCE(json_extract(a.result_json, '$.code'), '') != 'PAYMENT_ALREADY_RECORDED'`),
  );
  note(
    'invoices whose paid amount is not the sum of their allocations',
    rows(`SELECT i.id, i.paid_cents, (SELECT COALESCE(SUM(amount_cents), 0) FROM payment_allocations a
                 WHERE a.invoice_id = i.id) AS allocated FROM invoices i WHERE paid_cents != allocated`),
  );
  note(
    'desks whose applied sequence has holes',
    rows(`SELECT desk_id, MIN(desk_seq) AS first, MAX(desk_seq) AS last, COUNT(*) AS n FROM applied_ops
           WHERE desk_id IS NOT NULL GROUP BY desk_id HAVING first != 1 OR last != n`),
  );
  note(
    'receipt numbers given twice (suffixed on conflict)',
    rows("SELECT number FROM receipts WHERE number LIKE '%~%'"),
  );
  return problems;
}

/**
 * Every op of the desk has exactly one final result, the server's: the outbox is decided, gapless from 1, and
 * matches applied_ops of that desk row for row (op id, sequence, result).
 */
export function outboxViolations(
  server: BetterSqlite3.Database,
  deskId: string,
  desk: BetterSqlite3.Database,
): string[] {
  const problems: string[] = [];
  const outbox = desk.prepare('SELECT seq, op_id, status, result_json FROM outbox ORDER BY seq').all() as {
    seq: number;
    op_id: string;
    status: string;
    result_json: string | null;
  }[];
  const applied = server
    .prepare('SELECT op_id, desk_seq, result_json FROM applied_ops WHERE desk_id = ? ORDER BY desk_seq')
    .all(deskId) as { op_id: string; desk_seq: number; result_json: string }[];
  const undecided = outbox.filter((op) => !['accepted', 'rejected', 'waitlisted'].includes(op.status));
  if (undecided.length > 0)
    problems.push(`ops without a final result: ${undecided.map((op) => op.seq).join(', ')}`);
  outbox.forEach((op, index) => {
    if (op.seq !== index + 1) problems.push(`outbox seq ${op.seq} at position ${index + 1}`);
  });
  if (applied.length !== outbox.length)
    problems.push(`outbox has ${outbox.length} ops, the server applied ${applied.length}`);
  const byOp = new Map(applied.map((row) => [row.op_id, row]));
  for (const op of outbox) {
    const server = byOp.get(op.op_id);
    if (!server) {
      problems.push(`op ${op.seq} (${op.op_id}) unknown to the server`);
      continue;
    }
    if (server.desk_seq !== op.seq)
      problems.push(`op ${op.op_id}: desk seq ${op.seq}, server ${server.desk_seq}`);
    const serverResult = JSON.parse(server.result_json) as OpResult;
    if (op.status !== serverResult.outcome)
      problems.push(`op ${op.seq}: desk says ${op.status}, server ${serverResult.outcome}`);
    if (op.result_json !== null && canonical(JSON.parse(op.result_json)) !== canonical(serverResult))
      problems.push(`op ${op.seq}: desk result ${op.result_json} ≠ server ${server.result_json}`);
  }
  return problems;
}

/**
 * Receipt numbers of a desk on the server: `PREFIX-000001` … `PREFIX-00000N`, each once, N = the desk's
 * payment and reversal ops.
 */
export function receiptViolations(
  server: BetterSqlite3.Database,
  desk: EnrolledDesk,
  expected: number,
): string[] {
  const numbers = (
    server.prepare('SELECT number FROM receipts WHERE desk_id = ? ORDER BY number').all(desk.id) as {
      number: string;
    }[]
  ).map((row) => row.number);
  const wanted = Array.from(
    { length: expected },
    (_, i) => `${desk.prefix}-${String(i + 1).padStart(6, '0')}`,
  );
  if (canonical(numbers) === canonical(wanted)) return [];
  const missing = wanted.filter((n) => !numbers.includes(n));
  const extra = numbers.filter((n) => !wanted.includes(n));
  return [
    `receipts of ${desk.prefix}: ${numbers.length} (expected ${expected}); missing ${missing.join(' ')}; extra ${extra.join(' ')}`,
  ];
}

function tablesOf(sqlite: BetterSqlite3.Database): string[] {
  return (
    sqlite
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .all() as { name: string }[]
  ).map((row) => row.name);
}

/**
 * Differences between a desk's replica and the server's view of what that desk may see (the snapshot the
 * server would send it now), table by table, row by row. The desk's own bookkeeping (outbox, sync state…)
 * and its own receipt counter (the desk numbers receipts; the server keeps no mirror) are left out.
 */
export function replicaDiff(
  server: BetterSqlite3.Database,
  deskId: string,
  desk: BetterSqlite3.Database,
): string[] {
  const snapshot = buildDeskSnapshot(server, deskId);
  const view = new Database(snapshot.path, { readonly: true });
  const problems: string[] = [];
  try {
    const tables = new Set([...tablesOf(view), ...tablesOf(desk)]);
    for (const table of [...tables].sort()) {
      if (DESK_LOCAL_TABLES.has(table)) continue;
      const pk = (view.pragma(`table_info("${table}")`) as { name: string; pk: number }[])
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name);
      const read = (db: BetterSqlite3.Database): Map<string, string> => {
        let all = db.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[];
        if (table === 'desk_counters') all = all.filter((row) => row.desk_id !== deskId);
        return new Map(all.map((row) => [canonical(pk.map((c) => row[c])), canonical(row)]));
      };
      const expected = read(view);
      const actual = read(desk);
      const diffs: string[] = [];
      for (const [key, row] of expected) {
        const mine = actual.get(key);
        if (mine === undefined) diffs.push(`missing ${key}`);
        else if (mine !== row) diffs.push(`differs ${key}: desk ${mine} server ${row}`);
      }
      for (const key of actual.keys()) if (!expected.has(key)) diffs.push(`extra ${key}`);
      if (diffs.length > 0) problems.push(`${table}: ${diffs.length} rows (${diffs.slice(0, 2).join('; ')})`);
    }
  } finally {
    view.close();
    snapshot.dispose();
  }
  return problems;
}
