/**
 * household.issue_access_key v1 — the single-use key printed on the letter that opens a family's web space.
 * Only the key's hash arrives (the clear key exists on paper only); the family's earlier unused keys are
 * retired (expire now). Access keys never leave the server (desk-visibility.ts hides them).
 */
import type { HouseholdIssueAccessKeyV1 } from '../../../core/sync/commands-family';
import { FamilyWrites } from '../../../db/repositories/family-writes';
import { auditCommand } from './audit';
import { accepted, rejected } from './context';
import type { CommandHandler } from './context';
import { FamilyChanges } from './family-changes';

export const issueAccessKey: CommandHandler<HouseholdIssueAccessKeyV1> = (ctx, payload, actor) => {
  const changes = new FamilyChanges(ctx, payload.householdId);
  const writes = new FamilyWrites(ctx.sqlite, changes, ctx.changes.at);
  if (writes.accessKeyExists(payload.keyId)) return accepted(ctx, { code: 'ACCESS_KEY_ALREADY_ISSUED' });
  if (!writes.household(payload.householdId))
    return rejected(
      'HOUSEHOLD_NOT_FOUND',
      "Clé d'accès non enregistrée : la famille n'existe pas sur le serveur. Imprimez une nouvelle lettre.",
    );
  const retired = writes.retireAccessKeys(payload.householdId, ctx.changes.at);
  writes.insertAccessKey({ ...payload, id: payload.keyId });
  changes.flush();
  auditCommand(ctx, actor, {
    action: 'household.issue_access_key',
    householdId: payload.householdId,
    entity: 'household_access_keys',
    entityId: payload.keyId,
    reason: null,
    details: { keyHint: payload.keyHint, expiresAt: payload.expiresAt, retiredKeys: retired },
  });
  return accepted(ctx, {
    message:
      retired > 0
        ? `Clé d'accès enregistrée ; ${retired} clé(s) précédente(s) non utilisée(s) désactivée(s).`
        : "Clé d'accès enregistrée.",
  });
};
