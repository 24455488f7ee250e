// The audit trail of commands: who (agent and desk, or parent account), what, on whom, and why when a rule was overridden.
import { newId } from '../../../core/ids';
import { syncStatements } from '../../../db/repositories/sync-server';
import { actorColumns } from './context';
import type { CommandActor, CommandContext } from './context';

export interface AuditEntry {
  /** The command name ('booking.set_day', 'payment.record'…) or a notable event ('receipt.number_conflict'). */
  action: string;
  householdId: string | null;
  entity: string;
  entityId: string | null;
  reason: string | null;
  details: Record<string, unknown>;
}

/** Writes one audit_log row (with the op id in its details) and its change row. */
export function auditCommand(ctx: CommandContext, actor: CommandActor, entry: AuditEntry): void {
  const id = newId();
  const who = actorColumns(actor);
  syncStatements(ctx.sqlite).insertAudit({
    id,
    at: ctx.changes.at,
    agent_id: who.agentId,
    desk_id: who.deskId,
    account_id: who.accountId,
    household_id: entry.householdId,
    action: entry.action,
    entity: entry.entity,
    entity_id: entry.entityId,
    reason: entry.reason,
    details_json: JSON.stringify({ opId: ctx.opId, ...entry.details }),
  });
  ctx.changes.upsert('audit_log', id);
}
