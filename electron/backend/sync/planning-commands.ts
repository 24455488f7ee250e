// The desk's planning commands (inscription.create, inscription.decide, absence.record): each checked at once
// with the core rules the server uses (refused with a French message), applied optimistically over the replica
// with undo records, and described for the À traiter list. LocalCommands.planning() runs them in one
// transaction with their outbox row and audit entry; `apply` is tolerant on replay (the server decides).
import { checkAbsence } from '../../../core/absences';
import { formatShortFr, parisDay } from '../../../core/calendar/paris';
import { DomainError } from '../../../core/errors';
import {
  ageGroupFor,
  checkInscription,
  checkInscriptionDecision,
  schoolYearStartOf,
  siteAgeGroups,
} from '../../../core/inscriptions';
import type { AgeGroup, InscriptionStatus } from '../../../core/inscriptions';
import type { CommandPayload } from '../../../core/sync/commands';
import type {
  AbsenceRecordV1,
  InscriptionCreateV1,
  InscriptionDecideV1,
} from '../../../core/sync/commands-planning';
import { displayName } from '../../../db/repositories/households';
import {
  absenceBookings,
  insertAbsence,
  insertInscription,
  loadInscriptionFacts,
  planningStatements,
} from '../../../db/repositories/planning';
import type { Row } from '../../../db/schema';
import type { DeskStore } from '../desk-store';
import type { ApplyContext, AuditFacts } from './command-context';

export const PLANNING_COMMANDS = ['inscription.create', 'inscription.decide', 'absence.record'] as const;
export type PlanningCommandName = (typeof PLANNING_COMMANDS)[number];

export function isPlanningCommand(command: string): command is PlanningCommandName {
  return (PLANNING_COMMANDS as readonly string[]).includes(command);
}

export interface PlanningLocalSpec<P> {
  /** Refuses what the server would refuse; returns the household concerned. */
  check(store: DeskStore, payload: P, now: Date): string | null;
  apply(ctx: ApplyContext, payload: P): void;
  audit(store: DeskStore, payload: P): AuditFacts;
  describe(store: DeskStore, payload: P): string;
}

function personName(store: DeskStore, personId: string): string {
  const person = store.bookings.person(personId);
  return person ? displayName(person) : 'un enfant';
}

const inscriptionCreate: PlanningLocalSpec<InscriptionCreateV1> = {
  check(store, payload, now) {
    const loaded = loadInscriptionFacts(store.sqlite, payload, parisDay(now));
    if (!('facts' in loaded)) throw loaded;
    const check = checkInscription(loaded.facts);
    if (!check.ok) throw check.error;
    return loaded.householdId;
  },
  apply(ctx, payload) {
    const q = planningStatements(ctx.store.sqlite);
    if (q.inscription.get(payload.inscriptionId)) return;
    const householdId = q.childHousehold.get(payload.personId) as string | undefined;
    const person = ctx.store.bookings.person(payload.personId);
    const site = q.site.get(payload.siteId) as { kind: string } | undefined;
    const period = q.period.get(payload.periodId) as { start_day: string } | undefined;
    if (!householdId || !person || !site || !period) return;
    const computed = ageGroupFor(
      {
        firstName: person.first_names,
        birthDate: person.birth_date,
        schoolLevel: person.school_level as AgeGroup | null,
      },
      schoolYearStartOf(period.start_day),
    );
    const ageGroup = computed.ok ? computed.value : (siteAgeGroups(site.kind)[0] as AgeGroup);
    const validated = payload.status === 'validee';
    ctx.effects.capture('inscriptions', [payload.inscriptionId]);
    insertInscription(ctx.store.sqlite, {
      id: payload.inscriptionId,
      personId: payload.personId,
      householdId,
      activityId: payload.activityId,
      siteId: payload.siteId,
      periodId: payload.periodId,
      ageGroup,
      status: payload.status,
      requestedAt: ctx.at,
      decidedAt: validated ? ctx.at : null,
      decidedByAgentId: validated ? ctx.agentId : null,
      at: ctx.at,
    });
  },
  audit(store, payload) {
    return {
      householdId: planningStatements(store.sqlite).childHousehold.get(payload.personId) as string | null,
      entity: 'inscriptions',
      entityId: payload.inscriptionId,
      reason: payload.overrideReason ?? null,
      details: {
        personId: payload.personId,
        activityId: payload.activityId,
        siteId: payload.siteId,
        periodId: payload.periodId,
        status: payload.status,
      },
    };
  },
  describe(store, payload) {
    const q = planningStatements(store.sqlite);
    const activity = q.activity.get(payload.activityId) as { name: string } | undefined;
    const period = q.period.get(payload.periodId) as { label: string } | undefined;
    return `Inscription de ${personName(store, payload.personId)} à « ${activity?.name ?? 'une activité'} » (${period?.label ?? 'période'})`;
  },
};

function inscriptionRow(store: DeskStore, id: string): Row<'inscriptions'> | undefined {
  return planningStatements(store.sqlite).inscription.get(id) as Row<'inscriptions'> | undefined;
}

const inscriptionDecide: PlanningLocalSpec<InscriptionDecideV1> = {
  check(store, payload) {
    const inscription = inscriptionRow(store, payload.inscriptionId);
    if (!inscription)
      throw new DomainError('INSCRIPTION_NOT_FOUND', "Demande d'inscription introuvable sur ce poste.");
    const check = checkInscriptionDecision({
      current: inscription.status as InscriptionStatus,
      decision: payload.decision,
      reason: payload.reason ?? null,
    });
    if (!check.ok) throw check.error;
    return inscription.household_id;
  },
  apply(ctx, payload) {
    const inscription = inscriptionRow(ctx.store, payload.inscriptionId);
    if (!inscription || inscription.status !== 'demandee') return;
    ctx.effects.capture('inscriptions', [inscription.id]);
    const reason = payload.decision === 'refusee' ? (payload.reason ?? null) : null;
    planningStatements(ctx.store.sqlite).decideInscription.run(
      payload.decision,
      ctx.at,
      ctx.agentId,
      reason,
      ctx.at,
      inscription.id,
    );
  },
  audit(store, payload) {
    const inscription = inscriptionRow(store, payload.inscriptionId);
    return {
      householdId: inscription?.household_id ?? null,
      entity: 'inscriptions',
      entityId: payload.inscriptionId,
      reason: payload.reason ?? null,
      details: { decision: payload.decision },
    };
  },
  describe(store, payload) {
    const inscription = inscriptionRow(store, payload.inscriptionId);
    const who = inscription ? personName(store, inscription.person_id) : 'un enfant';
    return `${payload.decision === 'validee' ? 'Validation' : 'Refus'} de la demande d'inscription de ${who}`;
  },
};

function absenceHousehold(store: DeskStore, personId: string): string | undefined {
  return planningStatements(store.sqlite).childHousehold.get(personId) as string | undefined;
}

const absenceRecord: PlanningLocalSpec<AbsenceRecordV1> = {
  check(store, payload) {
    const householdId = absenceHousehold(store, payload.personId);
    if (!householdId) throw new DomainError('PERSON_NOT_FOUND', 'Enfant introuvable dans une famille.');
    if (payload.documentId !== undefined) {
      const document = planningStatements(store.sqlite).document.get(payload.documentId) as
        { household_id: string | null; space: string } | undefined;
      if (!document || document.household_id !== householdId || document.space === 'prive_citoyen') {
        throw new DomainError(
          'DOCUMENT_NOT_FOUND',
          "Le justificatif choisi n'est pas dans le dossier de cette famille.",
        );
      }
    }
    const check = checkAbsence({
      from: payload.from,
      to: payload.to,
      justified: payload.justified,
      chargeCancelled: payload.chargeCancelled,
      hasJustificatif: payload.documentId !== undefined,
      comment: payload.comment ?? null,
    });
    if (!check.ok) throw check.error;
    return householdId;
  },
  apply(ctx, payload) {
    const q = planningStatements(ctx.store.sqlite);
    const householdId = absenceHousehold(ctx.store, payload.personId);
    if (!householdId || q.absence.get(payload.absenceId)) return;
    const reason = `Absence signalée${payload.comment ? ` : ${payload.comment}` : ''}`.slice(0, 500);
    const { cancel } = absenceBookings(
      ctx.store.sqlite,
      payload.personId,
      payload.from,
      payload.to,
      new Date(ctx.at),
    );
    for (const booking of cancel) {
      ctx.effects.capture('bookings', [booking.id]);
      ctx.store.bookings.setState(booking.id, 'annulee', ctx.opId, reason, ctx.at);
    }
    ctx.effects.capture('absences', [payload.absenceId]);
    insertAbsence(ctx.store.sqlite, {
      id: payload.absenceId,
      personId: payload.personId,
      householdId,
      from: payload.from,
      to: payload.to,
      comment: payload.comment ?? null,
      justified: payload.justified,
      chargeCancelled: payload.chargeCancelled,
      documentId: payload.documentId ?? null,
      agentId: ctx.agentId,
      at: ctx.at,
    });
  },
  audit(store, payload) {
    return {
      householdId: absenceHousehold(store, payload.personId) ?? null,
      entity: 'absences',
      entityId: payload.absenceId,
      reason: payload.comment ?? null,
      details: {
        personId: payload.personId,
        from: payload.from,
        to: payload.to,
        justified: payload.justified,
        chargeCancelled: payload.chargeCancelled,
      },
    };
  },
  describe(store, payload) {
    const when =
      payload.from === payload.to
        ? `du ${formatShortFr(payload.from)}`
        : `du ${formatShortFr(payload.from)} au ${formatShortFr(payload.to)}`;
    return `Absence de ${personName(store, payload.personId)} ${when}`;
  },
};

const SPECS = {
  'inscription.create': inscriptionCreate,
  'inscription.decide': inscriptionDecide,
  'absence.record': absenceRecord,
} as const;

/** The local spec of a planning command, typed by its payload. */
export function planningSpec<N extends PlanningCommandName>(
  command: N,
): PlanningLocalSpec<CommandPayload<N>> {
  return SPECS[command] as unknown as PlanningLocalSpec<CommandPayload<N>>;
}
