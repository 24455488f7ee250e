// booking.set_day at the desk: the units a child should have for one activity on one day. Checked with the
// core rules the server uses (inscription, units, opening, deadline with the agent's override), applied
// optimistically as `en_attente` (units dropped: `annulee`). Places are decided by the server only.
import { DomainError } from '../../../core/errors';
import { newId } from '../../../core/ids';
import { checkBookingChange, deadlineRuleFromJson } from '../../../core/booking/deadline';
import type { DeadlineRule } from '../../../core/booking/deadline';
import { UNIT_LONG_LABELS, validateDayUnits } from '../../../core/booking/units';
import { formatDayFr } from '../../../core/calendar/paris';
import type { BookingSetDayV1 } from '../../../core/sync/commands';
import { displayName } from '../../../db/repositories/households';
import type { Row } from '../../../db/schema';
import type { DeskStore } from '../desk-store';
import type { ApplyContext, AuditFacts } from './command-context';

const ACTIVE = new Set(['reservee', 'en_attente']);

/** What the applier reads, when the check has just read it in the same transaction (not read twice). */
export interface SetDayInputs {
  /** The activity's units. */
  units: Row<'units'>[];
  /** The child's booking rows of that activity and day. */
  current: Row<'bookings'>[];
  /** The validated inscription covering the day; read only when units are added (else undefined). */
  inscription: Row<'inscriptions'> | undefined;
}

export interface SetDayCheck {
  householdId: string | null;
  /** False when the desired units are exactly those already booked: nothing to send. */
  changes: boolean;
  /** True when the deadline was passed with the agent's reason. */
  late: boolean;
  inputs: SetDayInputs;
}

/** Refuses at once what the server can never accept; `now` is the desk's best estimate of server time. */
export function checkSetDay(store: DeskStore, payload: BookingSetDayV1, now: Date): SetDayCheck {
  const { bookings } = store;
  const person = bookings.person(payload.personId);
  if (!person) throw new DomainError('PERSON_NOT_FOUND', 'Enfant introuvable dans ce poste.');
  const activity = bookings.activity(payload.activityId);
  if (!activity) throw new DomainError('ACTIVITY_NOT_FOUND', "Cette activité n'existe pas ou plus.");
  const formula = validateDayUnits(activity.kind, payload.units);
  if (!formula.ok) throw formula.error;
  const units = bookings.units(activity.id);
  const offered = new Map(units.map((u) => [u.code as string, u]));
  const missing = payload.units.filter((code) => !offered.has(code));
  if (missing.length > 0) {
    throw new DomainError(
      'UNITS_NOT_OFFERED',
      `Unité non proposée pour « ${activity.name} » : ${missing.map((c) => UNIT_LONG_LABELS[c]).join(', ')}.`,
    );
  }

  const current = bookings.bookingsOfDay(person.id, activity.id, payload.day);
  const active = new Set(current.filter((b) => ACTIVE.has(b.state)).map((b) => b.unit_id));
  const wanted = new Set(payload.units.map((code) => (offered.get(code) as Row<'units'>).id));
  const adds = [...wanted].some((id) => !active.has(id));
  const removes = [...active].some((id) => !wanted.has(id));
  let householdId = current[0]?.household_id ?? null;
  const inputs: SetDayInputs = { units, current, inscription: undefined };
  if (adds) {
    const inscription = bookings.validatedInscription(person.id, activity.id, payload.siteId, payload.day);
    if (!inscription) throw notInscribed(store, person, activity, payload);
    inputs.inscription = inscription;
    householdId = inscription.household_id;
    const closure = bookings.closure(payload.siteId, activity.id, payload.day);
    if (closure !== null || !bookings.isOpeningDay(inscription.period_id, payload.siteId, payload.day)) {
      const site = bookings.site(payload.siteId)?.name ?? 'Le lieu';
      throw new DomainError(
        'SITE_CLOSED',
        `${site} n'accueille pas « ${activity.name} » le ${formatDayFr(payload.day)}${closure ? ` (${closure})` : ''}.`,
        { day: payload.day },
      );
    }
  }
  if (!adds && !removes) return { householdId, changes: false, late: false, inputs };

  const rule = deadlineRuleOf(activity);
  if (rule === null) return { householdId, changes: true, late: false, inputs };
  const deadline = checkBookingChange({
    rule,
    day: payload.day,
    now,
    actor: 'agent',
    ...(payload.overrideReason === undefined ? {} : { overrideReason: payload.overrideReason }),
  });
  if (!deadline.ok) throw deadline.error;
  return { householdId, changes: true, late: deadline.value.late, inputs };
}

/** The activity's deadline rule; null when none is set ('{}'), as on the server. */
function deadlineRuleOf(activity: Row<'activities'>): DeadlineRule | null {
  return deadlineRuleFromJson(activity.deadline_json, activity.name);
}

function notInscribed(
  store: DeskStore,
  person: Row<'persons'>,
  activity: Row<'activities'>,
  payload: BookingSetDayV1,
): DomainError {
  const any = store.bookings.anyInscription(person.id, activity.id, payload.siteId, payload.day);
  const who = displayName(person);
  const message =
    any?.status === 'demandee'
      ? `L'inscription de ${who} à « ${activity.name} » n'est pas encore validée.`
      : `${who} n'a pas d'inscription validée à « ${activity.name} » sur ce site pour le ${formatDayFr(payload.day)}.`;
  return new DomainError('INSCRIPTION_REQUIRED', message, { personId: person.id, activityId: activity.id });
}

/**
 * Applies the desired units over the replica: missing or cancelled units become `en_attente` (this op's),
 * units already booked or waiting stay as they are, units no longer wanted become `annulee`. Tolerant on
 * re-application: what no longer exists locally is skipped (the server decides). `known`: what
 * `checkSetDay` read just before in the same transaction (a first application), else read here.
 */
export function applySetDay(ctx: ApplyContext, payload: BookingSetDayV1, known?: SetDayInputs): void {
  const { bookings } = ctx.store;
  const reason = payload.overrideReason ?? null;
  // Only needed to add a unit: read once, when first needed (the check read it only when it saw an addition).
  let inscription: Row<'inscriptions'> | undefined | null = known ? known.inscription : null;
  const inscriptionForAdding = (): Row<'inscriptions'> | undefined =>
    inscription === null
      ? (inscription = bookings.validatedInscription(
          payload.personId,
          payload.activityId,
          payload.siteId,
          payload.day,
        ))
      : inscription;
  const units = new Map(
    (known?.units ?? bookings.units(payload.activityId)).map((u) => [u.code as string, u]),
  );
  const current = new Map(
    (known?.current ?? bookings.bookingsOfDay(payload.personId, payload.activityId, payload.day)).map((b) => [
      b.unit_id,
      b,
    ]),
  );
  const wanted = new Set<string>();
  for (const code of payload.units) {
    const unit = units.get(code);
    if (!unit) continue;
    wanted.add(unit.id);
    const existing = current.get(unit.id);
    if (existing && ACTIVE.has(existing.state)) continue;
    const covering = inscriptionForAdding();
    if (!covering) continue;
    const write = {
      id: existing?.id ?? newId(),
      personId: payload.personId,
      householdId: covering.household_id,
      inscriptionId: covering.id,
      activityId: payload.activityId,
      siteId: payload.siteId,
      unitId: unit.id,
      day: payload.day,
      ageGroup: covering.age_group,
      state: 'en_attente' as const,
      originOpId: ctx.opId,
      reason,
      at: ctx.at,
    };
    if (existing) ctx.effects.capture('bookings', [write.id]);
    else ctx.effects.captureNew('bookings', [write.id]);
    if (existing) bookings.rebook(write);
    else bookings.insert(write);
  }
  for (const booking of current.values()) {
    if (wanted.has(booking.unit_id) || !ACTIVE.has(booking.state)) continue;
    ctx.effects.capture('bookings', [booking.id]);
    bookings.setState(booking.id, 'annulee', ctx.opId, reason, ctx.at);
  }
}

export function setDayAudit(store: DeskStore, payload: BookingSetDayV1): AuditFacts {
  const inscription = store.bookings.anyInscription(
    payload.personId,
    payload.activityId,
    payload.siteId,
    payload.day,
  );
  return {
    householdId: inscription?.household_id ?? null,
    entity: 'persons',
    entityId: payload.personId,
    reason: payload.overrideReason ?? null,
    details: {
      activityId: payload.activityId,
      siteId: payload.siteId,
      day: payload.day,
      units: payload.units,
    },
  };
}

/** "Réservation du mercredi 14 octobre 2026 pour DUPONT Léa (ALSH mercredis) : Matin, Après-midi". */
export function describeSetDay(store: DeskStore, payload: BookingSetDayV1): string {
  const person = store.bookings.person(payload.personId);
  const activity = store.bookings.activity(payload.activityId);
  const who = person ? ` pour ${displayName(person)}` : '';
  const what = activity ? ` (${activity.name})` : '';
  if (payload.units.length === 0) return `Annulation du ${formatDayFr(payload.day)}${who}${what}`;
  const units = payload.units.map((code) => UNIT_LONG_LABELS[code]).join(', ');
  return `Réservation du ${formatDayFr(payload.day)}${who}${what} : ${units}`;
}
