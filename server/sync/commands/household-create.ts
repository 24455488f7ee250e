/**
 * household.create v1 — a family file created at a desk. The server re-checks duplicates (a possible duplicate
 * the agent was not shown and did not confirm — typically the same family created meanwhile at another desk —
 * rejects the command, listed in À traiter) and gives the family its code from the 'household' counter:
 * contested numbering, decided here only; the desk's provisional code is replaced when the change rows arrive.
 */
import { describeDuplicateReason } from '../../../core/family/duplicates';
import type { HouseholdCreateV1 } from '../../../core/sync/commands-family';
import { applyHouseholdCreate } from '../../../db/repositories/family-apply';
import { findPossibleDuplicates } from '../../../db/repositories/family-duplicates';
import { FamilyWrites } from '../../../db/repositories/family-writes';
import { auditCommand } from './audit';
import { accepted, rejected } from './context';
import type { CommandHandler } from './context';
import { FamilyChanges } from './family-changes';

export const createHousehold: CommandHandler<HouseholdCreateV1> = (ctx, payload, actor) => {
  const changes = new FamilyChanges(ctx, payload.householdId);
  const writes = new FamilyWrites(ctx.sqlite, changes, ctx.changes.at);
  const existing = writes.household(payload.householdId);
  if (existing)
    return accepted(ctx, {
      code: 'HOUSEHOLD_ALREADY_CREATED',
      message: `Cette famille était déjà enregistrée (dossier ${existing.code}).`,
    });

  const confirmed = new Set(payload.confirmedDuplicates);
  const unseen = findPossibleDuplicates(ctx.sqlite, {
    adults: [payload.titulaire.person, ...(payload.coTitulaire ? [payload.coTitulaire.person] : [])],
    children: payload.children.map((c) => c.person),
  }).filter((d) => !confirmed.has(d.householdId));
  if (unseen.length > 0) {
    const list = unseen
      .slice(0, 3)
      .map((d) => `${d.code} ${d.titulaire} (${d.reasons.map(describeDuplicateReason).join(' ; ')})`)
      .join(', ');
    return rejected(
      'HOUSEHOLD_DUPLICATE',
      `Famille non créée : elle ressemble à un dossier existant — ${list}. Vérifiez ce dossier ; s'il s'agit ` +
        `bien d'une autre famille, créez-la à nouveau en confirmant.`,
    );
  }

  const code = writes.nextFamilyCode();
  const audit = applyHouseholdCreate(writes, payload, code);
  changes.flush();
  auditCommand(ctx, actor, {
    action: 'household.create',
    householdId: payload.householdId,
    entity: audit.entity,
    entityId: audit.entityId,
    reason: confirmed.size > 0 ? 'Doublon possible écarté par l’agent' : null,
    details: audit.details,
  });
  return accepted(ctx, {
    message: `Famille créée : dossier ${code} (remplace le numéro provisoire ${payload.provisionalCode}).`,
  });
};
