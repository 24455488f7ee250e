/**
 * household.update v1 — one edit of a family file (identity, address, contacts, children, entourage,
 * authorisations, health, QF). Same checks as the desk (db/repositories/family-apply.ts); the audit row keeps
 * the fields' values before and after. An edit that changes nothing is accepted and leaves no trace.
 */
import type { HouseholdUpdateV1 } from '../../../core/sync/commands-family';
import { applyHouseholdChange } from '../../../db/repositories/family-apply';
import { FamilyWrites } from '../../../db/repositories/family-writes';
import { auditCommand } from './audit';
import { accepted, rejected } from './context';
import type { CommandHandler } from './context';
import { FamilyChanges } from './family-changes';

export const updateHousehold: CommandHandler<HouseholdUpdateV1> = (ctx, payload, actor) => {
  const changes = new FamilyChanges(ctx, payload.householdId);
  const writes = new FamilyWrites(ctx.sqlite, changes, ctx.changes.at);
  const outcome = applyHouseholdChange(writes, payload.householdId, payload.change);
  if (!outcome.ok) return rejected(outcome.code, outcome.message);
  if (!outcome.audit.changed)
    return accepted(ctx, {
      code: 'NOTHING_CHANGED',
      message: 'Aucune modification : le dossier était déjà à jour.',
    });
  changes.flush();
  auditCommand(ctx, actor, {
    action: 'household.update',
    householdId: payload.householdId,
    entity: outcome.audit.entity,
    entityId: outcome.audit.entityId,
    reason: null,
    details: outcome.audit.details,
  });
  return accepted(ctx);
};
