// The family-file commands at the desk (household.create / update / issue_access_key): checks with the core
// rules before anything is written, the optimistic apply through the shared db/repositories/family-apply.ts
// (undo records captured for every touched row), the audit preview and the French descriptions for À traiter.
import { createHash } from 'node:crypto';
import { DomainError } from '../../../core/errors';
import { newId } from '../../../core/ids';
import { describeDuplicateReason } from '../../../core/family/duplicates';
import { checkFamily, firstErrorSentence } from '../../../core/family/draft';
import type { FamilyDraft } from '../../../core/family/draft';
import { normalizeAccessKey, provisionalFamilyCode } from '../../../core/family/codes';
import type {
  HouseholdChange,
  HouseholdCreateV1,
  HouseholdIssueAccessKeyV1,
  HouseholdUpdateV1,
} from '../../../core/sync/commands-family';
import {
  applyHouseholdChange,
  applyHouseholdCreate,
  personLabel,
} from '../../../db/repositories/family-apply';
import { findPossibleDuplicates } from '../../../db/repositories/family-duplicates';
import type { PossibleDuplicate } from '../../../db/repositories/family-duplicates';
import { FamilyWrites } from '../../../db/repositories/family-writes';
import type { RowSink } from '../../../db/repositories/family-writes';
import type { DeskStore } from '../desk-store';
import type { ApplyContext, AuditFacts } from './command-context';

/** The desk counter numbering provisional family codes (never sent to the server). */
export const PROVISIONAL_CODE_COUNTER = 'household_provisional';

/** How an access key is stored: SHA-256 (hex) of the key without spaces, in upper case (as db/seed does). */
export function hashAccessKey(key: string): string {
  return createHash('sha256').update(normalizeAccessKey(key)).digest('hex');
}

/** The desk's sink: every row is captured in the op's undo records before it changes. */
function deskSink(ctx: ApplyContext): RowSink {
  return {
    before: (table, key) => ctx.effects.capture(table, key),
    after: () => undefined,
  };
}

export interface FamilyCreateDraft extends FamilyDraft {
  /** Households shown to the agent as possible duplicates, which the agent confirmed are other families. */
  confirmedDuplicates?: string[];
}

/** The draft's possible duplicates in the replica. */
export function duplicatesOf(
  store: DeskStore,
  draft: FamilyDraft,
  excludeHouseholdId?: string,
): PossibleDuplicate[] {
  return findPossibleDuplicates(
    store.sqlite,
    {
      adults: [draft.titulaire.person, ...(draft.coTitulaire ? [draft.coTitulaire.person] : [])].map((p) => ({
        email: typeof p.email === 'string' ? p.email : null,
      })),
      children: draft.children.map((c) => ({
        usageLastName: c.person.usageLastName,
        firstNames: c.person.firstNames,
        birthDate:
          typeof c.person.birthDate === 'string' && c.person.birthDate !== '' ? c.person.birthDate : null,
      })),
    },
    excludeHouseholdId,
  );
}

/** Throws FAMILY_INVALID with the first problem in French (every field's message in `details.fields`). */
export function assertValidFamily(
  draft: FamilyDraft,
  today: string,
): ReturnType<typeof checkFamily>['value'] {
  const checked = checkFamily(draft, today);
  const sentence = firstErrorSentence(checked.errors);
  if (sentence !== null) {
    throw new DomainError('FAMILY_INVALID', sentence, { fields: checked.errors });
  }
  return checked.value;
}

/**
 * Checks a new family (fields, then duplicates not confirmed by the agent) and completes it into a payload with
 * fresh ids and the desk's next provisional code. Call inside the writing transaction (the counter moves).
 */
export function prepareHouseholdCreate(
  store: DeskStore,
  draft: FamilyCreateDraft,
  env: { deskId: string; today: string },
): HouseholdCreateV1 {
  const family = assertValidFamily(draft, env.today);
  const confirmed = new Set(draft.confirmedDuplicates ?? []);
  const unseen = duplicatesOf(store, draft).filter((d) => !confirmed.has(d.householdId));
  if (unseen.length > 0) {
    const list = unseen
      .slice(0, 3)
      .map((d) => `${d.code} ${d.titulaire} (${d.reasons.map(describeDuplicateReason).join(' ; ')})`)
      .join(', ');
    throw new DomainError(
      'HOUSEHOLD_DUPLICATE',
      `Cette famille ressemble à un dossier existant : ${list}. Ouvrez-le pour vérifier, ou confirmez qu'il s'agit d'une autre famille.`,
      { householdIds: unseen.map((d) => d.householdId) },
    );
  }
  const desk = store.state.desk(env.deskId);
  if (!desk)
    throw new DomainError('DESK_UNKNOWN', "Ce poste n'est pas enregistré : synchronisez-le d'abord.");
  const provisionalCode = provisionalFamilyCode(
    desk.receipt_prefix,
    store.state.nextCounter(env.deskId, PROVISIONAL_CODE_COUNTER),
  );
  const member = (m: (typeof family)['titulaire']) => ({
    personId: newId(),
    person: m.person,
    relationship: m.relationship,
  });
  return {
    householdId: newId(),
    provisionalCode,
    household: family.household,
    titulaire: member(family.titulaire),
    coTitulaire: family.coTitulaire ? member(family.coTitulaire) : null,
    children: family.children.map(member),
    confirmedDuplicates: [...confirmed],
  };
}

/** Writes the new family under its provisional code (skipped when the server's copy is already there). */
export function applyHouseholdCreateLocal(ctx: ApplyContext, payload: HouseholdCreateV1): AuditFacts {
  const writes = new FamilyWrites(ctx.store.sqlite, deskSink(ctx), ctx.at);
  const audit = applyHouseholdCreate(writes, payload, payload.provisionalCode);
  return {
    householdId: payload.householdId,
    entity: audit.entity,
    entityId: audit.entityId,
    reason: payload.confirmedDuplicates.length > 0 ? 'Doublon possible écarté par l’agent' : null,
    details: audit.details,
  };
}

/**
 * Applies one edit. First apply: a refused check throws its DomainError (the op is not recorded), an edit
 * that changes nothing returns null. Replay: whatever no longer applies is skipped (null).
 */
export function applyHouseholdUpdateLocal(
  ctx: ApplyContext,
  payload: HouseholdUpdateV1,
  mode: 'first' | 'replay',
): AuditFacts | null {
  const writes = new FamilyWrites(ctx.store.sqlite, deskSink(ctx), ctx.at);
  const outcome = applyHouseholdChange(writes, payload.householdId, payload.change);
  if (!outcome.ok) {
    if (mode === 'replay') return null;
    throw new DomainError(outcome.code, outcome.message);
  }
  if (!outcome.audit.changed) return null;
  return {
    householdId: payload.householdId,
    entity: outcome.audit.entity,
    entityId: outcome.audit.entityId,
    reason: null,
    details: outcome.audit.details,
  };
}

/** The desk holds no access keys (they stay on the server): only the audit preview. */
export function accessKeyAudit(payload: HouseholdIssueAccessKeyV1): AuditFacts {
  return {
    householdId: payload.householdId,
    entity: 'household_access_keys',
    entityId: payload.keyId,
    reason: null,
    details: { keyHint: payload.keyHint, expiresAt: payload.expiresAt },
  };
}

const CHANGE_LABELS: Readonly<Record<HouseholdChange['kind'], string>> = {
  household: 'Modification de l’adresse et de la situation du foyer',
  person: 'Modification de l’identité ou des coordonnées',
  'member.add': 'Ajout d’un membre',
  'member.update': 'Modification du lien avec la famille',
  'member.remove': 'Retrait d’un membre',
  'authorisation.set': 'Modification d’une autorisation',
  'health.set': 'Modification d’une information de santé',
  'health.remove': 'Suppression d’une information de santé',
  'qf.add': 'Nouveau quotient familial',
};

/** What a family op asked, in French (À traiter). */
export function describeFamilyOp(store: DeskStore, command: string, payload: unknown): string {
  switch (command) {
    case 'household.create': {
      const p = payload as HouseholdCreateV1;
      const children = p.children.map((c) => c.person.firstNames.split(/\s+/)[0]).join(', ');
      return (
        `Création de la famille ${personLabel({ usage_last_name: p.titulaire.person.usageLastName, first_names: p.titulaire.person.firstNames })}` +
        ` (n° provisoire ${p.provisionalCode}${children ? ` ; enfants : ${children}` : ''})`
      );
    }
    case 'household.update': {
      const p = payload as HouseholdUpdateV1;
      const personId = 'personId' in p.change ? p.change.personId : null;
      const person = personId
        ? (store.rows.get('persons', [personId]) as
            { usage_last_name?: string; first_names?: string } | undefined)
        : undefined;
      const who =
        person?.usage_last_name && person.first_names
          ? ` : ${personLabel({ usage_last_name: person.usage_last_name, first_names: person.first_names })}`
          : p.change.kind === 'member.add'
            ? ` : ${personLabel({ usage_last_name: p.change.person.usageLastName, first_names: p.change.person.firstNames })}`
            : '';
      return `${CHANGE_LABELS[p.change.kind]}${who}`;
    }
    case 'household.issue_access_key':
      return `Lettre d'accès au portail (clé ${(payload as HouseholdIssueAccessKeyV1).keyHint})`;
    default:
      return command;
  }
}
