/**
 * inscription.create v1 — an agent registers a child to an activity at a site for a period. The server checks
 * with core (`checkInscription`): the period is not over, the child's age group fits the site, no inscription
 * already, the required documents on file (or the agent's logged reason to validate without them). Validated
 * at once, or recorded as a request (demandée) waiting for the pieces.
 */
import { parisDay } from '../../../core/calendar/paris';
import { checkInscription } from '../../../core/inscriptions';
import type { InscriptionCreateV1 } from '../../../core/sync/commands-planning';
import {
  insertInscription,
  loadInscriptionFacts,
  planningStatements,
} from '../../../db/repositories/planning';
import { auditCommand } from './audit';
import { accepted, rejected } from './context';
import type { CommandHandler } from './context';

export const createInscription: CommandHandler<InscriptionCreateV1> = (ctx, payload, actor) => {
  if (planningStatements(ctx.sqlite).inscription.get(payload.inscriptionId)) {
    return accepted(ctx, {
      code: 'INSCRIPTION_ALREADY_RECORDED',
      message: 'Cette inscription était déjà enregistrée.',
    });
  }
  const loaded = loadInscriptionFacts(ctx.sqlite, payload, parisDay(ctx.now));
  if (!('facts' in loaded)) return rejected(loaded.code, loaded.message);
  const check = checkInscription(loaded.facts);
  if (!check.ok) return rejected(check.error.code, check.error.message);
  const at = ctx.changes.at;
  const agentId = actor.kind === 'agent' ? actor.agentId : null;
  const validated = payload.status === 'validee';
  insertInscription(ctx.sqlite, {
    id: payload.inscriptionId,
    personId: payload.personId,
    householdId: loaded.householdId,
    activityId: payload.activityId,
    siteId: payload.siteId,
    periodId: payload.periodId,
    ageGroup: check.value.ageGroup,
    status: payload.status,
    requestedAt: at,
    decidedAt: validated ? at : null,
    decidedByAgentId: validated ? agentId : null,
    at,
  });
  ctx.changes.upsert('inscriptions', payload.inscriptionId);
  const overridden = check.value.documentsOverridden;
  auditCommand(ctx, actor, {
    action: 'inscription.create',
    householdId: loaded.householdId,
    entity: 'inscriptions',
    entityId: payload.inscriptionId,
    reason: overridden ? (payload.overrideReason ?? null) : null,
    details: {
      personId: payload.personId,
      activityId: payload.activityId,
      siteId: payload.siteId,
      periodId: payload.periodId,
      status: payload.status,
      missingDocuments: check.value.missingDocuments,
    },
  });
  return overridden
    ? accepted(ctx, {
        code: 'DOCUMENTS_OVERRIDDEN',
        message: `Inscription validée sans toutes les pièces (motif : ${payload.overrideReason ?? ''}).`,
      })
    : accepted(ctx);
};
