/**
 * inscription.decide v1 — an agent validates or refuses a parent's inscription request (status demandée).
 * A request already decided (by another desk, say) is refused; a refusal carries the reason told to the family.
 */
import { checkInscriptionDecision } from '../../../core/inscriptions';
import type { InscriptionStatus } from '../../../core/inscriptions';
import type { InscriptionDecideV1 } from '../../../core/sync/commands-planning';
import { planningStatements } from '../../../db/repositories/planning';
import { auditCommand } from './audit';
import { accepted, rejected } from './context';
import type { CommandHandler } from './context';

export const decideInscription: CommandHandler<InscriptionDecideV1> = (ctx, payload, actor) => {
  const q = planningStatements(ctx.sqlite);
  const inscription = q.inscription.get(payload.inscriptionId) as
    { id: string; status: InscriptionStatus; household_id: string; person_id: string } | undefined;
  if (!inscription) {
    return rejected('INSCRIPTION_NOT_FOUND', "Cette demande d'inscription n'existe pas sur le serveur.");
  }
  const check = checkInscriptionDecision({
    current: inscription.status,
    decision: payload.decision,
    reason: payload.reason ?? null,
  });
  if (!check.ok) return rejected(check.error.code, check.error.message);
  const at = ctx.changes.at;
  const agentId = actor.kind === 'agent' ? actor.agentId : null;
  const reason = payload.decision === 'refusee' ? (payload.reason ?? null) : null;
  q.decideInscription.run(payload.decision, at, agentId, reason, at, inscription.id);
  ctx.changes.upsert('inscriptions', inscription.id);
  auditCommand(ctx, actor, {
    action: 'inscription.decide',
    householdId: inscription.household_id,
    entity: 'inscriptions',
    entityId: inscription.id,
    reason,
    details: { personId: inscription.person_id, decision: payload.decision },
  });
  return accepted(ctx);
};
