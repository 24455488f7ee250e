// Desk backend handlers for the family commands of the contract: the family file on one screen, the creation
// wizard (duplicates, then household.create), every edit (household.update) and the access letter
// (household.issue_access_key + the PDF). Writes go through LocalCommands: one transaction, pending until the
// server decides.
import { randomBytes } from 'node:crypto';
import { parisDay } from '../../../core/calendar/paris';
import { DomainError } from '../../../core/errors';
import { newId } from '../../../core/ids';
import {
  ACCESS_KEY_RANDOM_BYTES,
  ACCESS_KEY_VALIDITY_DAYS,
  accessKeyFromRandom,
  accessKeyHint,
  isProvisionalFamilyCode,
} from '../../../core/family/codes';
import { checkHousehold, checkPerson, firstErrorSentence } from '../../../core/family/draft';
import type { FieldErrors, HouseholdDraft, PersonDraft, PersonRole } from '../../../core/family/draft';
import { describeDuplicateReason } from '../../../core/family/duplicates';
import { CIVILITY_LABELS, addressLines } from '../../../core/family/labels';
import type { HouseholdChange } from '../../../core/sync/commands-family';
import { getTownLetterhead } from '../../../db/repositories/town-letterhead';
import { getFamilyFileData } from '../../../db/repositories/family-file';
import { HOUSEHOLD_COLUMNS, PERSON_COLUMNS } from '../../../db/repositories/family-writes';
import type { Row } from '../../../db/schema';
import type { FamilyApi, FamilyChangeInput, FamilyFileDto } from '../../contract/family';
import type { DeskStore } from '../desk-store';
import type { FeatureHandlers, HandlerDeps } from '../handler-deps';
import { buildAccessLetter } from '../print/access-letter';
import { renderPdf } from '../print/render-pdf';
import { duplicatesOf, hashAccessKey } from '../sync/household-commands';
import { familyFileDto } from './family-file-dto';

function invalid(errors: FieldErrors): never {
  throw new DomainError('FAMILY_INVALID', firstErrorSentence(errors) ?? 'Saisie invalide.', {
    fields: errors,
  });
}

/** Only the errors of the fields the agent changed. */
function errorsOf(errors: FieldErrors, given: readonly string[]): FieldErrors {
  return Object.fromEntries(
    Object.entries(errors).filter(([path]) => given.includes(path.split('.').at(-1) ?? '')),
  );
}

function givenKeys<T extends object>(fields: T): (keyof T & string)[] {
  return (Object.keys(fields) as (keyof T & string)[]).filter((k) => fields[k] !== undefined);
}

function pendingOps(store: DeskStore, householdId: string): number {
  return store.sqlite
    .prepare('SELECT COUNT(*) FROM outbox WHERE household_id = ? AND settled_at IS NULL')
    .pluck()
    .get(householdId) as number;
}

async function familyFile(store: DeskStore, id: string, today: string): Promise<FamilyFileDto> {
  const data = await getFamilyFileData(store.database.db, id);
  if (!data) throw new DomainError('HOUSEHOLD_NOT_FOUND', 'Famille introuvable sur ce poste.');
  return familyFileDto(data, today, pendingOps(store, id));
}

function memberRole(store: DeskStore, householdId: string, personId: string): PersonRole {
  const row = store.sqlite
    .prepare('SELECT role FROM household_members WHERE household_id = ? AND person_id = ?')
    .pluck()
    .get(householdId, personId) as PersonRole | undefined;
  if (!row)
    throw new DomainError('PERSON_NOT_IN_HOUSEHOLD', 'Cette personne ne fait pas partie de la famille.');
  return row;
}

/** The contract's edit, checked with the core rules (French message per field) and completed with ids. */
function toChange(
  store: DeskStore,
  householdId: string,
  input: FamilyChangeInput,
  today: string,
): HouseholdChange {
  switch (input.kind) {
    case 'household': {
      const current = store.rows.get('households', [householdId]) as Row<'households'> | undefined;
      if (!current) throw new DomainError('HOUSEHOLD_NOT_FOUND', 'Famille introuvable sur ce poste.');
      const draft = Object.fromEntries(
        Object.entries(HOUSEHOLD_COLUMNS).map(([field, column]) => [field, current[column]]),
      ) as HouseholdDraft;
      draft.paperlessInvoices = current.paperless_invoices === 1;
      const given = givenKeys(input.fields);
      const checked = checkHousehold({ ...draft, ...input.fields });
      const errors = errorsOf(checked.errors, given);
      if (Object.keys(errors).length > 0) invalid(errors);
      return { kind: 'household', fields: Object.fromEntries(given.map((k) => [k, checked.value[k]])) };
    }
    case 'person': {
      const role = memberRole(store, householdId, input.personId);
      const current = store.rows.get('persons', [input.personId]) as Row<'persons'> | undefined;
      if (!current) throw new DomainError('PERSON_NOT_IN_HOUSEHOLD', 'Personne introuvable sur ce poste.');
      const draft = Object.fromEntries(
        Object.entries(PERSON_COLUMNS).map(([field, column]) => [field, current[column]]),
      ) as PersonDraft;
      const given = givenKeys(input.fields);
      const checked = checkPerson({ ...draft, ...input.fields }, { role, path: 'person', today });
      const errors = errorsOf(checked.errors, given);
      if (Object.keys(errors).length > 0) invalid(errors);
      return {
        kind: 'person',
        personId: input.personId,
        fields: Object.fromEntries(given.map((k) => [k, checked.value[k]])),
      };
    }
    case 'member.add': {
      const checked = checkPerson(input.person, {
        role: input.role === 'enfant' ? 'enfant' : 'entourage',
        path: 'person',
        today,
      });
      if (Object.keys(checked.errors).length > 0) invalid(checked.errors);
      return {
        ...input,
        personId: newId(),
        person: checked.value,
        relationship: input.relationship?.trim() || null,
      };
    }
    case 'authorisation.set':
      if (input.validFrom && input.validTo && input.validTo < input.validFrom)
        invalid({ 'authorisation.validTo': 'La fin de validité ne peut pas précéder son début.' });
      return {
        ...input,
        authorisationId: input.authorisationId ?? newId(),
        details: input.details?.trim() || null,
      };
    case 'health.set':
      if (input.label.trim().length < 2)
        invalid({ 'health.label': 'Le libellé est obligatoire (2 caractères au moins).' });
      return {
        ...input,
        healthNoteId: input.healthNoteId ?? newId(),
        label: input.label.trim(),
        details: input.details?.trim() || null,
      };
    case 'qf.add':
      if (!Number.isInteger(input.value) || input.value < 0 || input.value > 100_000)
        invalid({ 'qf.value': 'Le quotient familial est un nombre entier d’euros, entre 0 et 100 000.' });
      if (!/^\d{4}-\d{2}-\d{2}$/.test(input.validFrom))
        invalid({ 'qf.validFrom': 'La date de début est obligatoire.' });
      return { ...input, qfId: newId() };
    default:
      return input;
  }
}

export function createFamilyHandlers(deps: HandlerDeps): FeatureHandlers<FamilyApi> {
  const today = (): string => parisDay(deps.now());
  return {
    'family/get': async ({ id }) => familyFile(deps.session().store, id, today()),

    'family/check-duplicates': async ({ draft }) =>
      duplicatesOf(deps.session().store, draft).map((d) => ({
        ...d,
        reasonTexts: d.reasons.map(describeDuplicateReason),
      })),

    'family/create': async ({ draft, confirmedDuplicates }) => {
      const write = deps.session().commands.createHousehold({ ...draft, confirmedDuplicates });
      deps.changed(true);
      return {
        householdId: write.payload.householdId,
        provisionalCode: write.payload.provisionalCode,
        opId: write.opId,
      };
    },

    'family/update': async ({ householdId, change }) => {
      const { store, commands } = deps.session();
      const write = commands.updateHousehold({
        householdId,
        change: toChange(store, householdId, change, today()),
      });
      if (write) deps.changed(true);
      return { opId: write?.opId ?? null, family: await familyFile(store, householdId, today()) };
    },

    'family/access-letter': async ({ householdId }) => {
      const { store, commands } = deps.session();
      const file = await familyFile(store, householdId, today());
      if (isProvisionalFamilyCode(file.code))
        throw new DomainError(
          'FAMILY_CODE_PROVISIONAL',
          "Le n° de dossier de cette famille est encore provisoire : synchronisez le poste avant d'imprimer la lettre d'accès (l'identifiant imprimé doit être définitif).",
        );
      const titulaire = file.titulaire;
      if (!titulaire)
        throw new DomainError('TITULAIRE_MISSING', "Cette famille n'a pas de titulaire à qui écrire.");
      const town = await getTownLetterhead(store.database.db);
      if (!town)
        throw new DomainError('TOWN_UNKNOWN', "La commune n'est pas encore configurée sur ce poste.");
      const now = deps.now();
      const key = accessKeyFromRandom(randomBytes(ACCESS_KEY_RANDOM_BYTES));
      const expiresAt = new Date(now.getTime() + ACCESS_KEY_VALIDITY_DAYS * 86_400_000).toISOString();
      const civility = titulaire.civility ? CIVILITY_LABELS[titulaire.civility] : null;
      const own = titulaire.ownAddress;
      const pdf = await renderPdf(
        buildAccessLetter({
          town,
          identifiant: file.code,
          key,
          addressee: [
            civility,
            titulaire.firstNames.split(/\s+/)[0],
            titulaire.usageLastName.toLocaleUpperCase('fr-FR'),
          ]
            .filter(Boolean)
            .join(' '),
          address: own ?? addressLines({ ...file.household }),
          salutation: civility ?? 'Madame, Monsieur',
          issuedAt: now.toISOString(),
          expiresAt,
        }),
      );
      const write = commands.issueAccessKey({
        keyId: newId(),
        householdId,
        keyHash: hashAccessKey(key),
        keyHint: accessKeyHint(key),
        issuedAt: now.toISOString(),
        expiresAt,
      });
      deps.changed(true);
      return {
        pdfBase64: pdf.toString('base64'),
        fileName: `lettre-acces-${file.code}.pdf`,
        identifiant: file.code,
        keyHint: write.payload.keyHint,
        expiresAt,
        opId: write.opId,
      };
    },
  };
}
