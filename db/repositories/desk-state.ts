/**
 * Desk bookkeeping outside the outbox, as synchronous better-sqlite3 statements: `sync_state` (cursor, desk
 * identity, clock offset), the per-desk gapless counters (receipt numbers), the desk's own record, the agent
 * acting at the counter, and the audit trail.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { AgentRole, Row } from '../schema';

export interface NewAuditEntry {
  id: string;
  at: string;
  agentId: string | null;
  deskId: string | null;
  householdId: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  reason: string | null;
  details: Record<string, unknown>;
}

function prepare(sqlite: BetterSqlite3.Database) {
  const p = (sql: string): BetterSqlite3.Statement => sqlite.prepare(sql);
  return {
    getState: p('SELECT value FROM sync_state WHERE key = ?'),
    setState: p(
      'INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ),
    bumpCounter: p(
      `INSERT INTO desk_counters (desk_id, name, value) VALUES (?, ?, 1)
       ON CONFLICT (desk_id, name) DO UPDATE SET value = value + 1 RETURNING value`,
    ),
    raiseCounter: p(
      `INSERT INTO desk_counters (desk_id, name, value) VALUES (?, ?, ?)
       ON CONFLICT (desk_id, name) DO UPDATE SET value = MAX(value, excluded.value)`,
    ),
    counters: p('SELECT * FROM desk_counters WHERE desk_id = ?'),
    desk: p('SELECT * FROM desks WHERE id = ?'),
    agent: p('SELECT * FROM agents WHERE id = ?'),
    agentRoles: p('SELECT role FROM agent_roles WHERE agent_id = ? ORDER BY role'),
    firstAgentWithRole: p(
      `SELECT a.* FROM agents a JOIN agent_roles r ON r.agent_id = a.id
       WHERE r.role = ? AND a.active = 1 ORDER BY a.created_at, a.id LIMIT 1`,
    ),
    audit: p(
      `INSERT INTO audit_log (id, at, agent_id, desk_id, household_id, action, entity, entity_id, reason,
         details_json, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
  };
}

export class DeskState {
  private readonly s: ReturnType<typeof prepare>;

  constructor(sqlite: BetterSqlite3.Database) {
    this.s = prepare(sqlite);
  }

  get(key: string): string | null {
    return (this.s.getState.get(key) as { value: string } | undefined)?.value ?? null;
  }

  set(key: string, value: string): void {
    this.s.setState.run(key, value);
  }

  /** Last change-log sequence this replica reflects (0 when unknown). */
  cursor(): number {
    return Number(this.get('cursor') ?? 0);
  }

  setCursor(seq: number): void {
    this.set('cursor', String(seq));
  }

  /** Increments and returns the desk's counter `name` (1 for the first): call inside the writing transaction. */
  nextCounter(deskId: string, name: string): number {
    return (this.s.bumpCounter.get(deskId, name) as { value: number }).value;
  }

  /** Sets the counter to `value` unless it is already higher (a counter never goes back). */
  raiseCounter(deskId: string, name: string, value: number): void {
    this.s.raiseCounter.run(deskId, name, value);
  }

  counters(deskId: string): Row<'desk_counters'>[] {
    return this.s.counters.all(deskId) as Row<'desk_counters'>[];
  }

  desk(deskId: string): Row<'desks'> | undefined {
    return this.s.desk.get(deskId) as Row<'desks'> | undefined;
  }

  agent(agentId: string): Row<'agents'> | undefined {
    return this.s.agent.get(agentId) as Row<'agents'> | undefined;
  }

  agentRoles(agentId: string): AgentRole[] {
    return (this.s.agentRoles.all(agentId) as { role: AgentRole }[]).map((r) => r.role);
  }

  firstAgentWithRole(role: string): Row<'agents'> | undefined {
    return this.s.firstAgentWithRole.get(role) as Row<'agents'> | undefined;
  }

  audit(entry: NewAuditEntry): void {
    this.s.audit.run(
      entry.id,
      entry.at,
      entry.agentId,
      entry.deskId,
      entry.householdId,
      entry.action,
      entry.entity,
      entry.entityId,
      entry.reason,
      JSON.stringify(entry.details),
      entry.at,
    );
  }
}
