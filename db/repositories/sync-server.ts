/**
 * SQL of the server's sync engine (change log, applied ops, desks, agents, audit
 * trail), as prepared better-sqlite3 statements: the push processor runs one
 * synchronous transaction per command and prepares each statement once per
 * connection.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { AgentRole, ChangeOp } from '../schema';

/** One set of prepared statements per connection, built on first use. */
export function preparedFor<T>(
  build: (sqlite: BetterSqlite3.Database) => T,
): (sqlite: BetterSqlite3.Database) => T {
  const cache = new WeakMap<BetterSqlite3.Database, T>();
  return (sqlite) => {
    let statements = cache.get(sqlite);
    if (statements === undefined) {
      statements = build(sqlite);
      cache.set(sqlite, statements);
    }
    return statements;
  };
}

export interface StoredChange {
  seq: number;
  entity: string;
  entity_id: string;
  op: ChangeOp;
  row_json: string | null;
}

export interface AppliedOpRow {
  op_id: string;
  desk_id: string | null;
  desk_seq: number | null;
  command: string;
  payload_hash: string;
  result_json: string;
  change_seq: number | null;
}

export interface NewAuditRow {
  id: string;
  at: string;
  agent_id: string | null;
  desk_id: string | null;
  account_id: string | null;
  household_id: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  reason: string | null;
  details_json: string;
}

export const syncStatements = preparedFor((sqlite) => {
  const seqOf = (row: unknown): number => (row as { seq: number | null } | undefined)?.seq ?? 0;
  const lastSeq = sqlite.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM change_log');
  const oldestSeq = sqlite.prepare('SELECT MIN(seq) AS seq FROM change_log');
  // Hole-free: the next sequence is read and used in the same statement, inside the writer's transaction.
  const insertChange = sqlite.prepare(
    `INSERT INTO change_log (seq, entity, entity_id, op, household_id, row_json, at)
     VALUES ((SELECT COALESCE(MAX(seq), 0) + 1 FROM change_log), ?, ?, ?, ?, ?, ?) RETURNING seq`,
  );
  const changesAfter = sqlite.prepare(
    'SELECT seq, entity, entity_id, op, row_json FROM change_log WHERE seq > ? ORDER BY seq LIMIT ?',
  );
  // Never deletes the newest row: the next sequence is MAX(seq) + 1 and must never go back.
  const compact = sqlite.prepare(
    'DELETE FROM change_log WHERE seq <= ? AND seq < (SELECT MAX(seq) FROM change_log)',
  );
  const appliedOp = sqlite.prepare(
    'SELECT op_id, desk_id, desk_seq, command, payload_hash, result_json, change_seq FROM applied_ops WHERE op_id = ?',
  );
  const lastDeskSeq = sqlite.prepare(
    'SELECT COALESCE(MAX(desk_seq), 0) AS seq FROM applied_ops WHERE desk_id = ?',
  );
  const opAtDeskSeq = sqlite.prepare('SELECT op_id FROM applied_ops WHERE desk_id = ? AND desk_seq = ?');
  const insertAppliedOp = sqlite.prepare(
    `INSERT INTO applied_ops (op_id, desk_id, desk_seq, command, payload_hash, result_json, change_seq, applied_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const agent = sqlite.prepare('SELECT id, active FROM agents WHERE id = ?');
  const agentRoles = sqlite.prepare('SELECT role FROM agent_roles WHERE agent_id = ?').pluck();
  const insertAudit = sqlite.prepare(
    `INSERT INTO audit_log (id, at, agent_id, desk_id, account_id, household_id, action, entity, entity_id, reason,
       details_json, updated_at)
     VALUES (@id, @at, @agent_id, @desk_id, @account_id, @household_id, @action, @entity, @entity_id, @reason,
       @details_json, @at)`,
  );
  const desk = sqlite.prepare('SELECT id, name, revoked_at FROM desks WHERE id = ?');
  const revokeDesk = sqlite.prepare('UPDATE desks SET revoked_at = ?, updated_at = ? WHERE id = ?');
  const documentSpace = sqlite.prepare('SELECT space FROM documents WHERE id = ?').pluck();

  return {
    lastSeq: (): number => seqOf(lastSeq.get()),
    /** Oldest change still retained; null when the log is empty. */
    oldestSeq: (): number | null => (oldestSeq.get() as { seq: number | null }).seq,
    insertChange: (change: {
      entity: string;
      entityId: string;
      op: ChangeOp;
      householdId: string | null;
      rowJson: string | null;
      at: string;
    }): number =>
      seqOf(
        insertChange.get(
          change.entity,
          change.entityId,
          change.op,
          change.householdId,
          change.rowJson,
          change.at,
        ),
      ),
    changesAfter: (after: number, limit: number): StoredChange[] =>
      changesAfter.all(after, limit) as StoredChange[],
    compactThrough: (seq: number): number => compact.run(seq).changes,
    appliedOp: (opId: string): AppliedOpRow | undefined => appliedOp.get(opId) as AppliedOpRow | undefined,
    lastDeskSeq: (deskId: string): number => seqOf(lastDeskSeq.get(deskId)),
    opAtDeskSeq: (deskId: string, deskSeq: number): string | undefined =>
      (opAtDeskSeq.get(deskId, deskSeq) as { op_id: string } | undefined)?.op_id,
    insertAppliedOp: (row: AppliedOpRow & { applied_at: string }): void => {
      insertAppliedOp.run(
        row.op_id,
        row.desk_id,
        row.desk_seq,
        row.command,
        row.payload_hash,
        row.result_json,
        row.change_seq,
        row.applied_at,
      );
    },
    agent: (agentId: string): { id: string; active: number; roles: AgentRole[] } | undefined => {
      const found = agent.get(agentId) as { id: string; active: number } | undefined;
      return found && { ...found, roles: agentRoles.all(agentId) as AgentRole[] };
    },
    insertAudit: (row: NewAuditRow): void => {
      insertAudit.run(row);
    },
    desk: (deskId: string): { id: string; name: string; revoked_at: string | null } | undefined =>
      desk.get(deskId) as { id: string; name: string; revoked_at: string | null } | undefined,
    revokeDesk: (deskId: string, at: string): boolean => revokeDesk.run(at, at, deskId).changes === 1,
    documentSpace: (documentId: string): string | undefined =>
      documentSpace.get(documentId) as string | undefined,
  };
});

/** Primary-key columns of a table, in key order (from the schema itself). */
export const tableKeys = preparedFor(() => new Map<string, string[]>());

export function primaryKeyColumns(sqlite: BetterSqlite3.Database, table: string): string[] {
  const known = tableKeys(sqlite);
  let columns = known.get(table);
  if (columns === undefined) {
    const info = sqlite.pragma(`table_info("${table.replace(/"/g, '""')}")`) as {
      name: string;
      pk: number;
    }[];
    columns = info
      .filter((column) => column.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((column) => column.name);
    if (columns.length === 0) throw new Error(`Table ${table} inconnue ou sans clé primaire.`);
    known.set(table, columns);
  }
  return columns;
}

const rowReaders = preparedFor(() => new Map<string, BetterSqlite3.Statement>());

/** The full current row of `table` with this primary key, or undefined. */
export function readRowByKey(
  sqlite: BetterSqlite3.Database,
  table: string,
  key: readonly unknown[],
): Record<string, unknown> | undefined {
  const readers = rowReaders(sqlite);
  let reader = readers.get(table);
  if (reader === undefined) {
    const columns = primaryKeyColumns(sqlite, table);
    reader = sqlite.prepare(
      `SELECT * FROM "${table}" WHERE ${columns.map((column) => `"${column}" = ?`).join(' AND ')}`,
    );
    readers.set(table, reader);
  }
  return reader.get(...key) as Record<string, unknown> | undefined;
}
