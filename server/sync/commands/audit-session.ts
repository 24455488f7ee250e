/**
 * audit.session v1 — an agent's sign-in, sign-out, lock or unlock at a desk, decided by the desk (offline sign-in
 * against its replica's hashes) and recorded here in the audit trail: never refused once well-formed. The row is
 * dated with the desk's instant (its clock corrected by the server offset; an offline desk pushes hours later),
 * never later than the server's now; the server's receipt time is kept in the details.
 */
import { newId } from '../../../core/ids';
import type { AuditSessionV1 } from '../../../core/sync/commands-agent';
import { syncStatements } from '../../../db/repositories/sync-server';
import { accepted, actorColumns, rejected } from './context';
import type { CommandHandler } from './context';

export const recordAgentSession: CommandHandler<AuditSessionV1> = (ctx, payload, actor) => {
  if (actor.kind !== 'agent')
    return rejected('AGENT_REQUIRED', 'Seul un poste d’agent enregistre une session.');
  const who = actorColumns(actor);
  const receivedAt = ctx.changes.at;
  const at =
    Date.parse(payload.at) <= Date.parse(receivedAt) ? new Date(payload.at).toISOString() : receivedAt;
  const id = newId();
  syncStatements(ctx.sqlite).insertAudit({
    id,
    at,
    agent_id: who.agentId,
    desk_id: who.deskId,
    account_id: null,
    household_id: null,
    action: `session.${payload.event}`,
    entity: 'agents',
    entity_id: who.agentId,
    reason: null,
    details_json: JSON.stringify({
      opId: ctx.opId,
      receivedAt,
      ...(payload.reason ? { reason: payload.reason } : {}),
    }),
  });
  ctx.changes.upsert('audit_log', id);
  return accepted(ctx);
};
