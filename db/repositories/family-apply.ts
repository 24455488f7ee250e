/**
 * What the family-file commands do to the tables, shared by the desk (optimistic apply and replay) and the
 * server (the decision): the same checks, in the same order, with the same codes and French messages, then
 * the writes through FamilyWrites. A check that fails writes nothing.
 *
 * Replays on a desk run the same code over fresh server truth: what is already there is left alone
 * (a member added twice, a note already removed), so a replay never fails on its own earlier preview.
 */
import { planQfInsert } from '../../core/family/qf';
import type { HouseholdFields, PersonFields } from '../../core/family/draft';
import type { HouseholdChange, HouseholdCreateV1 } from '../../core/sync/commands-family';
import { REMOVABLE_ROLES } from '../../core/sync/commands-family';
import type { MemberRole } from '../schema';
import type { FamilyWrites, FieldDiff } from './family-writes';

export interface FamilyAudit {
  entity: string;
  entityId: string | null;
  /** False when the command changed nothing (an edit to the same values). */
  changed: boolean;
  details: Record<string, unknown>;
}

export type FamilyOutcome = { ok: true; audit: FamilyAudit } | { ok: false; code: string; message: string };

const refuse = (code: string, message: string): FamilyOutcome => ({ ok: false, code, message });

/** "BÉCASSINES Léa". */
export function personLabel(person: { usage_last_name: string; first_names: string }): string {
  const first = person.first_names.trim().split(/\s+/)[0] ?? '';
  return `${person.usage_last_name.toLocaleUpperCase('fr-FR')} ${first}`.trim();
}

const ROLE_LABELS: Readonly<Record<MemberRole, string>> = {
  titulaire: 'titulaire',
  co_titulaire: 'co-titulaire',
  enfant: 'enfant',
  entourage: 'entourage',
};

/** Writes a new family: household, titulaire, co-titulaire, children, then the search columns. */
export function applyHouseholdCreate(w: FamilyWrites, p: HouseholdCreateV1, code: string): FamilyAudit {
  if (!w.household(p.householdId)) {
    w.insertHousehold(p.householdId, code, p.household);
    const members: {
      personId: string;
      person: PersonFields;
      relationship: string | null;
      role: MemberRole;
    }[] = [
      { ...p.titulaire, role: 'titulaire' },
      ...(p.coTitulaire ? [{ ...p.coTitulaire, role: 'co_titulaire' as const }] : []),
      ...p.children.map((c) => ({ ...c, role: 'enfant' as const })),
    ];
    for (const m of members) {
      if (!w.person(m.personId)) w.insertPerson(m.personId, m.person);
      const adult = m.role !== 'enfant';
      w.insertMember(p.householdId, m.personId, m.role, {
        relationship: m.relationship,
        canPickUp: adult,
        emergencyContact: adult,
      });
    }
    w.refreshSearchText(p.householdId);
  }
  return {
    entity: 'households',
    entityId: p.householdId,
    changed: true,
    details: {
      code,
      provisionalCode: p.provisionalCode,
      titulaire: personLabel({
        usage_last_name: p.titulaire.person.usageLastName,
        first_names: p.titulaire.person.firstNames,
      }),
      coTitulaire: p.coTitulaire
        ? personLabel({
            usage_last_name: p.coTitulaire.person.usageLastName,
            first_names: p.coTitulaire.person.firstNames,
          })
        : null,
      children: p.children.map((c) => ({
        name: personLabel({ usage_last_name: c.person.usageLastName, first_names: c.person.firstNames }),
        birthDate: c.person.birthDate,
      })),
      after: { household: p.household },
      confirmedDuplicates: p.confirmedDuplicates,
    },
  };
}

function changed(diff: FieldDiff): boolean {
  return Object.keys(diff.after).length > 0;
}

/** Checks one edit of a family file against the current tables; null when it may be applied. */
export function checkHouseholdChange(
  w: FamilyWrites,
  householdId: string,
  change: HouseholdChange,
): { code: string; message: string } | null {
  if (!w.household(householdId))
    return {
      code: 'HOUSEHOLD_NOT_FOUND',
      message: "Modification non enregistrée : la famille n'existe plus.",
    };
  const memberOf = (personId: string) => w.member(householdId, personId);
  const notMember = {
    code: 'PERSON_NOT_IN_HOUSEHOLD',
    message: 'Modification non enregistrée : cette personne ne fait plus partie de la famille.',
  };
  switch (change.kind) {
    case 'household':
      return null;
    case 'person':
    case 'member.update':
    case 'authorisation.set':
    case 'health.set':
      return memberOf(change.personId) ? null : notMember;
    case 'member.add': {
      if (memberOf(change.personId)) return null;
      if (change.role === 'co_titulaire') {
        const holder = w.roleHolder(householdId, 'co_titulaire');
        if (holder && holder !== change.personId)
          return {
            code: 'CO_TITULAIRE_EXISTS',
            message:
              'Cette famille a déjà un co-titulaire : modifiez-le ou retirez-le avant d’en ajouter un autre.',
          };
      }
      return null;
    }
    case 'member.remove': {
      const member = memberOf(change.personId);
      if (!member) return null;
      return (REMOVABLE_ROLES as readonly string[]).includes(member.role)
        ? null
        : {
            code: 'MEMBER_NOT_REMOVABLE',
            message:
              member.role === 'titulaire'
                ? 'Le titulaire ne peut pas être retiré de la famille.'
                : 'Un enfant ne peut pas être retiré du dossier (son historique y est rattaché).',
          };
    }
    case 'health.remove': {
      const note = w.healthNote(change.healthNoteId);
      return !note || memberOf(note.person_id) ? null : notMember;
    }
    case 'qf.add': {
      if (w.qfRecord(change.qfId)) return null;
      const plan = planQfInsert(
        w.qfRecords(householdId).map((r) => ({ id: r.id, validFrom: r.valid_from, validTo: r.valid_to })),
        change.validFrom,
        change.validTo,
      );
      return plan.ok ? null : { code: plan.code, message: plan.message };
    }
  }
}

/** Checks then applies one edit; the audit says what changed (before / after of the fields touched). */
export function applyHouseholdChange(
  w: FamilyWrites,
  householdId: string,
  change: HouseholdChange,
): FamilyOutcome {
  const problem = checkHouseholdChange(w, householdId, change);
  if (problem) return refuse(problem.code, problem.message);
  const personName = (personId: string): string | null => {
    const person = w.person(personId);
    return person ? personLabel(person) : null;
  };
  switch (change.kind) {
    case 'household': {
      const diff = w.updateHousehold(householdId, change.fields as Partial<HouseholdFields>);
      if (changed(diff)) w.refreshSearchText(householdId);
      return ok('households', householdId, changed(diff), { change: change.kind, ...diff });
    }
    case 'person': {
      const diff = w.updatePerson(change.personId, change.fields as Partial<PersonFields>);
      if (changed(diff)) w.refreshSearchText(householdId, [change.personId]);
      return ok('persons', change.personId, changed(diff), {
        change: change.kind,
        person: personName(change.personId),
        ...diff,
      });
    }
    case 'member.add': {
      const exists = w.member(householdId, change.personId) !== undefined;
      if (!exists) {
        if (!w.person(change.personId)) w.insertPerson(change.personId, change.person);
        w.insertMember(householdId, change.personId, change.role, change);
        w.refreshSearchText(householdId);
      }
      return ok('household_members', change.personId, !exists, {
        change: change.kind,
        role: ROLE_LABELS[change.role],
        person: personName(change.personId),
        after: {
          ...change.person,
          relationship: change.relationship,
          canPickUp: change.canPickUp,
          emergencyContact: change.emergencyContact,
        },
      });
    }
    case 'member.update': {
      const diff = w.updateMember(householdId, change.personId, {
        relationship: change.relationship,
        canPickUp: change.canPickUp,
        emergencyContact: change.emergencyContact,
      });
      return ok('household_members', change.personId, changed(diff), {
        change: change.kind,
        person: personName(change.personId),
        ...diff,
      });
    }
    case 'member.remove': {
      const member = w.member(householdId, change.personId);
      if (member) {
        w.deleteMember(householdId, change.personId);
        w.refreshSearchText(householdId);
      }
      return ok('household_members', change.personId, member !== undefined, {
        change: change.kind,
        person: personName(change.personId),
        before: member
          ? {
              role: ROLE_LABELS[member.role],
              relationship: member.relationship,
              canPickUp: member.can_pick_up === 1,
              emergencyContact: member.emergency_contact === 1,
            }
          : {},
        after: {},
      });
    }
    case 'authorisation.set': {
      const current =
        w.authorisation(change.authorisationId) ?? w.authorisationOf(change.personId, change.authorisation);
      const next = {
        granted: change.granted,
        validFrom: change.validFrom,
        validTo: change.validTo,
        details: change.details,
      };
      const before = current
        ? {
            granted: current.granted === 1,
            validFrom: current.valid_from,
            validTo: current.valid_to,
            details: current.details,
          }
        : {};
      const same = current !== undefined && JSON.stringify(before) === JSON.stringify(next);
      if (!same)
        w.upsertAuthorisation({
          id: current?.id ?? change.authorisationId,
          person_id: change.personId,
          kind: change.authorisation,
          granted: change.granted ? 1 : 0,
          valid_from: change.validFrom,
          valid_to: change.validTo,
          details: change.details,
        });
      return ok('authorisations', current?.id ?? change.authorisationId, !same, {
        change: change.kind,
        person: personName(change.personId),
        authorisation: change.authorisation,
        before,
        after: next,
      });
    }
    case 'health.set': {
      const current = w.healthNote(change.healthNoteId);
      const next = { note: change.note, label: change.label, details: change.details };
      const before = current ? { note: current.kind, label: current.label, details: current.details } : {};
      const same = current !== undefined && JSON.stringify(before) === JSON.stringify(next);
      if (!same)
        w.upsertHealthNote({
          id: change.healthNoteId,
          person_id: change.personId,
          kind: change.note,
          label: change.label,
          details: change.details,
        });
      return ok('health_notes', change.healthNoteId, !same, {
        change: change.kind,
        person: personName(change.personId),
        before,
        after: next,
      });
    }
    case 'health.remove': {
      const current = w.healthNote(change.healthNoteId);
      if (current) w.deleteHealthNote(change.healthNoteId);
      return ok('health_notes', change.healthNoteId, current !== undefined, {
        change: change.kind,
        person: current ? personName(current.person_id) : null,
        before: current ? { note: current.kind, label: current.label, details: current.details } : {},
        after: {},
      });
    }
    case 'qf.add': {
      if (w.qfRecord(change.qfId))
        return ok('qf_records', change.qfId, false, { change: change.kind, before: {}, after: {} });
      const existing = w.qfRecords(householdId);
      const plan = planQfInsert(
        existing.map((r) => ({ id: r.id, validFrom: r.valid_from, validTo: r.valid_to })),
        change.validFrom,
        change.validTo,
      );
      const closed: { id: string; validToBefore: string | null; validTo: string }[] = [];
      if (plan.ok)
        for (const c of plan.close) {
          closed.push({
            id: c.id,
            validToBefore: existing.find((r) => r.id === c.id)?.valid_to ?? null,
            validTo: c.validTo,
          });
          w.closeQf(c.id, c.validTo);
        }
      w.insertQf({
        id: change.qfId,
        household_id: householdId,
        value: change.value,
        source: change.source,
        valid_from: change.validFrom,
        valid_to: change.validTo,
      });
      return ok('qf_records', change.qfId, true, {
        change: change.kind,
        before:
          closed.length > 0 ? { closed: closed.map((c) => ({ id: c.id, validTo: c.validToBefore })) } : {},
        after: {
          value: change.value,
          source: change.source,
          validFrom: change.validFrom,
          validTo: change.validTo,
          ...(closed.length > 0 ? { closed: closed.map((c) => ({ id: c.id, validTo: c.validTo })) } : {}),
        },
      });
    }
  }
}

function ok(
  entity: string,
  entityId: string,
  isChanged: boolean,
  details: Record<string, unknown>,
): FamilyOutcome {
  return { ok: true, audit: { entity, entityId, changed: isChanged, details } };
}
