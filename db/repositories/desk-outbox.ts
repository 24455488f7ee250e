/**
 * The desk's outbox (commands waiting for the server's decision) and their undo records (`outbox_effects`),
 * as synchronous better-sqlite3 statements prepared once per connection. Callers run them inside
 * `sqlite.transaction(...)`.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { OutboxStatus, Row } from '../schema';

export type OutboxRow = Row<'outbox'>;
export type OutboxEffectRow = Row<'outbox_effects'>;

export interface NewOutboxOp {
  seq: number;
  opId: string;
  command: string;
  commandVersion: number;
  payloadJson: string;
  agentId: string;
  householdId: string | null;
  createdAt: string;
}

/** A rejected or waitlisted op not yet handled, with the family to call. */
export interface ToHandleRow extends OutboxRow {
  household_code: string | null;
  titulaire_first_names: string | null;
  titulaire_last_name: string | null;
  titulaire_mobile: string | null;
  titulaire_phone: string | null;
  agent_name: string | null;
}

function prepare(sqlite: BetterSqlite3.Database) {
  const p = (sql: string): BetterSqlite3.Statement => sqlite.prepare(sql);
  return {
    // Never below the server's last applied op of this desk, stamped in its snapshot (desk_counters 'op_seq').
    maxSeq: p(
      `SELECT MAX(COALESCE((SELECT MAX(seq) FROM outbox), 0),
         COALESCE((SELECT c.value FROM desk_counters c JOIN sync_state s ON s.key = 'desk_id' AND s.value = c.desk_id
                    WHERE c.name = 'op_seq'), 0)) AS seq`,
    ),
    insert: p(
      `INSERT INTO outbox (seq, op_id, command, command_version, payload_json, agent_id, created_at, household_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    bySeq: p('SELECT * FROM outbox WHERE seq = ?'),
    byOpId: p('SELECT * FROM outbox WHERE op_id = ?'),
    unsentFrom: p(
      "SELECT * FROM outbox WHERE status IN ('pending', 'sent') AND seq >= ? ORDER BY seq LIMIT ?",
    ),
    rangeFrom: p('SELECT * FROM outbox WHERE seq >= ? ORDER BY seq LIMIT ?'),
    markSent: p("UPDATE outbox SET status = 'sent', attempts = attempts + 1, sent_at = ? WHERE seq = ?"),
    recordResult: p(
      'UPDATE outbox SET status = ?, result_json = ?, decided_at = ?, settled_at = NULL WHERE op_id = ?',
    ),
    live: p('SELECT * FROM outbox WHERE settled_at IS NULL ORDER BY seq'),
    isLive: p('SELECT 1 FROM outbox WHERE op_id = ? AND settled_at IS NULL'),
    settle: p(
      `UPDATE outbox SET settled_at = ?
         WHERE settled_at IS NULL AND (status = 'rejected' OR (status IN ('accepted', 'waitlisted')
           AND COALESCE(json_extract(result_json, '$.changeSeq'), 0) <= ?))`,
    ),
    settleable: p(
      `SELECT COUNT(*) AS n FROM outbox
         WHERE settled_at IS NULL AND (status = 'rejected' OR (status IN ('accepted', 'waitlisted')
           AND COALESCE(json_extract(result_json, '$.changeSeq'), 0) <= ?))`,
    ),
    pendingCount: p("SELECT COUNT(*) AS n FROM outbox WHERE status IN ('pending', 'sent')"),
    toHandleCount: p(
      "SELECT COUNT(*) AS n FROM outbox WHERE status IN ('rejected', 'waitlisted') AND acknowledged_at IS NULL",
    ),
    toHandle: p(
      `SELECT o.*, h.code AS household_code, t.first_names AS titulaire_first_names,
                t.usage_last_name AS titulaire_last_name, t.mobile AS titulaire_mobile, t.phone AS titulaire_phone,
                a.display_name AS agent_name
         FROM outbox o
         LEFT JOIN households h ON h.id = o.household_id
         LEFT JOIN household_members m ON m.household_id = o.household_id AND m.role = 'titulaire'
         LEFT JOIN persons t ON t.id = m.person_id
         LEFT JOIN agents a ON a.id = o.agent_id
         WHERE o.status IN ('rejected', 'waitlisted') AND o.acknowledged_at IS NULL
         ORDER BY o.seq`,
    ),
    acknowledge: p(
      `UPDATE outbox SET acknowledged_at = ?
         WHERE op_id = ? AND status IN ('rejected', 'waitlisted') AND acknowledged_at IS NULL`,
    ),
    all: p('SELECT * FROM outbox ORDER BY seq'),
    addEffect: p(
      'INSERT INTO outbox_effects (op_seq, position, table_name, pk_json, prior_row_json) VALUES (?, ?, ?, ?, ?)',
    ),
    effectsNewestFirst: p('SELECT * FROM outbox_effects ORDER BY op_seq DESC, position DESC'),
    effectTables: p('SELECT DISTINCT table_name FROM outbox_effects'),
    effectCount: p('SELECT COUNT(*) AS n FROM outbox_effects'),
    clearEffects: p('DELETE FROM outbox_effects'),
    clearOutbox: p('DELETE FROM outbox'),
  };
}

export class DeskOutbox {
  private readonly s: ReturnType<typeof prepare>;

  constructor(sqlite: BetterSqlite3.Database) {
    this.s = prepare(sqlite);
  }

  /**
   * The next gapless sequence (max + 1, continuing after the ops the server applied before this replica was
   * built): call inside the writing transaction.
   */
  nextSeq(): number {
    return (this.s.maxSeq.get() as { seq: number }).seq + 1;
  }

  append(op: NewOutboxOp): void {
    this.s.insert.run(
      op.seq,
      op.opId,
      op.command,
      op.commandVersion,
      op.payloadJson,
      op.agentId,
      op.createdAt,
      op.householdId,
    );
  }

  bySeq(seq: number): OutboxRow | undefined {
    return this.s.bySeq.get(seq) as OutboxRow | undefined;
  }

  byOpId(opId: string): OutboxRow | undefined {
    return this.s.byOpId.get(opId) as OutboxRow | undefined;
  }

  /** Ops without a result yet, from `fromSeq`, in seq order. */
  unsentFrom(fromSeq: number, limit: number): OutboxRow[] {
    return this.s.unsentFrom.all(fromSeq, limit) as OutboxRow[];
  }

  /** Ops from `fromSeq` whatever their status (the server asked to resend from there). */
  rangeFrom(fromSeq: number, limit: number): OutboxRow[] {
    return this.s.rangeFrom.all(fromSeq, limit) as OutboxRow[];
  }

  markSent(seq: number, at: string): void {
    this.s.markSent.run(at, seq);
  }

  /** Stores the server's decision; the op is settled by the next replica apply. */
  recordResult(
    opId: string,
    status: Exclude<OutboxStatus, 'pending' | 'sent'>,
    resultJson: string,
    at: string,
  ): void {
    this.s.recordResult.run(status, resultJson, at, opId);
  }

  /** Ops whose effects are still optimistic (re-applied over each pulled page), in seq order. */
  live(): OutboxRow[] {
    return this.s.live.all() as OutboxRow[];
  }

  /** True while the op `opId` is live (its effects are optimistic): one lookup by op id. */
  isLive(opId: string): boolean {
    return this.s.isLive.get(opId) !== undefined;
  }

  /** Settles ops whose result is known and whose last change is at or before `cursor` (rejected: at once). */
  settle(cursor: number, at: string): number {
    return this.s.settle.run(at, cursor).changes;
  }

  /** How many live ops `settle(cursor)` would settle. */
  settleableCount(cursor: number): number {
    return (this.s.settleable.get(cursor) as { n: number }).n;
  }

  pendingCount(): number {
    return (this.s.pendingCount.get() as { n: number }).n;
  }

  toHandleCount(): number {
    return (this.s.toHandleCount.get() as { n: number }).n;
  }

  toHandle(): ToHandleRow[] {
    return this.s.toHandle.all() as ToHandleRow[];
  }

  /** Marks a rejected / waitlisted op handled; false when there was nothing to acknowledge. */
  acknowledge(opId: string, at: string): boolean {
    return this.s.acknowledge.run(at, opId).changes === 1;
  }

  all(): OutboxRow[] {
    return this.s.all.all() as OutboxRow[];
  }

  addEffect(effect: OutboxEffectRow): void {
    this.s.addEffect.run(
      effect.op_seq,
      effect.position,
      effect.table_name,
      effect.pk_json,
      effect.prior_row_json,
    );
  }

  /** Every undo record, newest op first and, within an op, last touched first. */
  effectsNewestFirst(): OutboxEffectRow[] {
    return this.s.effectsNewestFirst.all() as OutboxEffectRow[];
  }

  /** Tables the live ops' effects touch. */
  effectTables(): string[] {
    return (this.s.effectTables.all() as { table_name: string }[]).map((r) => r.table_name);
  }

  effectCount(): number {
    return (this.s.effectCount.get() as { n: number }).n;
  }

  clearEffects(): void {
    this.s.clearEffects.run();
  }

  /** Empties the outbox and its effects (a downloaded snapshot, before the desk's own outbox is copied in). */
  clearAll(): void {
    this.s.clearEffects.run();
    this.s.clearOutbox.run();
  }
}
