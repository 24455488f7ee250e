// audit.session at the desk: the optimistic preview of a session event in the local audit trail (an undoable
// effect, replaced by the server's row once synced), and its French description.
import { newId } from '../../../core/ids';
import type { AuditSessionV1, SessionEvent } from '../../../core/sync/commands-agent';
import type { ApplyContext } from './command-context';

export const SESSION_EVENT_LABELS: Readonly<Record<SessionEvent, string>> = {
  sign_in: 'Connexion',
  sign_out: 'Déconnexion',
  lock: 'Verrouillage du poste',
  unlock: 'Déverrouillage du poste',
};

/** Writes the preview row, dated with the event's instant (an idle lock is dated when the idle time ran out). */
export function applyAuditSession(ctx: ApplyContext, payload: AuditSessionV1): void {
  const id = newId();
  ctx.effects.capture('audit_log', [id]);
  ctx.store.state.audit({
    id,
    at: payload.at,
    agentId: ctx.agentId,
    deskId: ctx.deskId,
    householdId: null,
    action: `session.${payload.event}`,
    entity: 'agents',
    entityId: ctx.agentId,
    reason: null,
    details: payload.reason ? { reason: payload.reason } : {},
  });
}

export function describeAuditSession(payload: AuditSessionV1): string {
  return SESSION_EVENT_LABELS[payload.event];
}
