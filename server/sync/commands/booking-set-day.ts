/**
 * booking.set_day v1 — the units a child should have for one activity on one day.
 * The server is the judge: inscription, opening day, unit rules, deadline (agents may
 * override with a logged reason, parents never), then places under the atomic guard,
 * all-or-nothing for the day (no place for one unit → waiting list or CAPACITY_FULL).
 */
import type { ActivityKind } from '../../../core/activities';
import {
  UNIT_LABELS,
  checkBookingChange,
  deadlineRuleFromJson,
  validateDayUnits,
} from '../../../core/booking';
import type { UnitCode } from '../../../core/booking';
import { formatDayFr } from '../../../core/calendar/paris';
import { newId } from '../../../core/ids';
import type { BookingSetDayV1 } from '../../../core/sync/commands';
import { bookingStatements } from '../../../db/repositories/booking-decisions';
import type {
  ActivityUnit,
  CapacityKey,
  CoveringInscription,
  DayBooking,
} from '../../../db/repositories/booking-decisions';
import type { AgeGroup, BookingState } from '../../../db/schema';
import { auditCommand } from './audit';
import { accepted, rejected, waitlisted } from './context';
import type { CommandActor, CommandContext, CommandHandler, CommandResult } from './context';

const ACTIVE_STATES: readonly BookingState[] = ['reservee', 'en_attente'];

/** The activity's deadline rule; null when none is set ('{}'). A malformed rule is a configuration bug: it throws. */
class NoPlaceLeft extends Error {
  constructor(readonly fullUnits: ActivityUnit[]) {
    super('no place left');
  }
}

const labelsOf = (units: readonly ActivityUnit[]): string =>
  units.map((unit) => UNIT_LABELS[unit.code as UnitCode] ?? unit.label).join(', ');

export const setBookingDay: CommandHandler<BookingSetDayV1> = (ctx, payload, actor) => {
  const q = bookingStatements(ctx.sqlite);
  const { personId, activityId, siteId, day } = payload;
  const activity = q.activity(activityId);
  if (!activity) return rejected('ACTIVITY_NOT_FOUND', "Cette activité n'existe pas ou plus.");
  const units = q.units(activityId);
  const wanted = [...new Set(payload.units)];
  const wantedUnits = wanted.map((code) => units.find((unit) => unit.code === code));
  const existing = q.bookingsOfDay(personId, day, activityId);
  const active = existing.filter((booking) => ACTIVE_STATES.includes(booking.state));
  const toAdd = wantedUnits.filter(
    (unit): unit is ActivityUnit =>
      unit !== undefined && !active.some((booking) => booking.unit_id === unit.id),
  );
  const toRemove = active.filter((booking) => !wantedUnits.some((unit) => unit?.id === booking.unit_id));

  if (actor.kind === 'parent' && existing.some((booking) => booking.household_id !== actor.householdId)) {
    return rejected('PERSON_NOT_IN_HOUSEHOLD', 'Cet enfant ne fait pas partie de votre foyer.');
  }
  let inscription: CoveringInscription | undefined;
  if (toAdd.length > 0) {
    const allowed = inscriptionAllowingNewUnits(ctx, activity.name, payload, actor);
    if ('outcome' in allowed) return allowed;
    inscription = allowed;
  }
  const formula = validateDayUnits(activity.kind as ActivityKind, wanted);
  if (!formula.ok) return rejected(formula.error.code, formula.error.message);
  if (wantedUnits.includes(undefined)) {
    return rejected(
      'UNITS_NOT_OFFERED',
      `Une des unités demandées n'est pas proposée pour « ${activity.name} ».`,
    );
  }
  if (toAdd.length === 0 && toRemove.length === 0) return accepted(ctx);

  const rule = deadlineRuleFromJson(activity.deadline_json, activity.name);
  let late = false;
  if (rule) {
    const decision = checkBookingChange({
      rule,
      day,
      now: ctx.now,
      actor: actor.kind === 'parent' ? 'parent' : 'agent',
      ...(actor.kind === 'agent' && payload.overrideReason ? { overrideReason: payload.overrideReason } : {}),
    });
    if (!decision.ok) return rejected(decision.error.code, decision.error.message);
    late = decision.value.late;
  }
  const overrideReason = late ? (payload.overrideReason ?? null) : null;
  const at = ctx.changes.at;
  const source = actor.kind === 'parent' ? 'portal' : 'desk';
  const capacityRows = new Set<string>();

  for (const booking of toRemove) {
    q.cancel(booking.id, source, ctx.opId, overrideReason, at);
    if (booking.state === 'reservee') {
      const released = q.releasePlace(capacityKeyOf(booking, day), at);
      if (released) capacityRows.add(released);
    }
  }

  let state: BookingState = 'reservee';
  let waitlistMessage: string | null = null;
  if (toAdd.length > 0 && inscription) {
    const ageGroup = inscription.age_group;
    try {
      takePlacesForDay(ctx, toAdd, { siteId, day, ageGroup }).forEach((id) => capacityRows.add(id));
    } catch (error) {
      if (!(error instanceof NoPlaceLeft)) throw error;
      const what = `${formatDayFr(day)} (${labelsOf(error.fullUnits)})`;
      const child = q.firstNames(personId) ?? "L'enfant";
      if (activity.waitlist_allowed !== 1) {
        return rejected(
          'CAPACITY_FULL',
          `Plus de place disponible le ${what} : la réservation de ${child} est refusée.`,
        );
      }
      state = 'en_attente';
      waitlistMessage = `Complet : le ${what} — ${child} inscrit(e) en liste d'attente.`;
    }
    for (const unit of toAdd) {
      const row = {
        id: existing.find((booking) => booking.unit_id === unit.id)?.id ?? newId(),
        personId,
        householdId: inscription.household_id,
        inscriptionId: inscription.id,
        activityId,
        siteId,
        unitId: unit.id,
        day,
        ageGroup,
        state,
        source,
        originOpId: ctx.opId,
        reason: waitlistMessage ?? overrideReason,
        at,
      } as const;
      if (existing.some((booking) => booking.id === row.id)) q.rebook(row);
      else q.insertBooking(row);
      ctx.changes.upsert('bookings', row.id);
    }
  }
  for (const booking of toRemove) ctx.changes.upsert('bookings', booking.id);
  for (const id of capacityRows) ctx.changes.upsert('capacities', id, null);
  auditCommand(ctx, actor, {
    action: 'booking.set_day',
    householdId: inscription?.household_id ?? toRemove[0]?.household_id ?? null,
    entity: 'persons',
    entityId: personId,
    reason: overrideReason,
    details: {
      activityId,
      siteId,
      day,
      units: wanted,
      added: toAdd.map((unit) => unit.code),
      removed: toRemove.map(
        (booking) => units.find((unit) => unit.id === booking.unit_id)?.code ?? booking.unit_id,
      ),
      state: toAdd.length > 0 ? state : null,
      deadlineOverridden: late,
    },
  });

  if (waitlistMessage) return waitlisted(ctx, 'WAITLISTED', waitlistMessage);
  return late
    ? accepted(ctx, {
        code: 'DEADLINE_OVERRIDDEN',
        message: `Modification hors délai enregistrée (motif : ${overrideReason}).`,
      })
    : accepted(ctx);
};

/** The validated inscription covering the day at an open site, or the refusal (INSCRIPTION_REQUIRED, SITE_CLOSED). */
function inscriptionAllowingNewUnits(
  ctx: CommandContext,
  activityName: string,
  { personId, activityId, siteId, day }: BookingSetDayV1,
  actor: CommandActor,
): CoveringInscription | CommandResult {
  const q = bookingStatements(ctx.sqlite);
  const inscription = q.coveringInscription(personId, activityId, siteId, day);
  if (!inscription) {
    return rejected(
      'INSCRIPTION_REQUIRED',
      `Aucune inscription validée à « ${activityName} » sur ce lieu ne couvre le ${formatDayFr(day)} : inscrivez d'abord l'enfant.`,
    );
  }
  if (actor.kind === 'parent' && inscription.household_id !== actor.householdId) {
    return rejected('PERSON_NOT_IN_HOUSEHOLD', 'Cet enfant ne fait pas partie de votre foyer.');
  }
  const closure = q.closureLabel(siteId, activityId, day);
  if (closure !== undefined || !q.isOpeningDay(inscription.period_id, siteId, day)) {
    const site = q.siteName(siteId) ?? 'Le lieu';
    return rejected(
      'SITE_CLOSED',
      `${site} n'accueille pas « ${activityName} » le ${formatDayFr(day)}${closure ? ` (${closure})` : ''}.`,
    );
  }
  return inscription;
}

function capacityKeyOf(booking: DayBooking, day: string): CapacityKey {
  return { siteId: booking.site_id, unitId: booking.unit_id, day, ageGroup: booking.age_group };
}

/**
 * One place per unit under the atomic guard, inside a savepoint: when any unit is
 * full, the places already taken for this day are given back and NoPlaceLeft lists
 * every full unit. A unit with no capacity row has no place.
 */
function takePlacesForDay(
  ctx: CommandContext,
  units: readonly ActivityUnit[],
  where: { siteId: string; day: string; ageGroup: AgeGroup },
): string[] {
  const q = bookingStatements(ctx.sqlite);
  return ctx.sqlite.transaction(() => {
    const taken: string[] = [];
    const full: ActivityUnit[] = [];
    for (const unit of units) {
      const id = q.takePlace({ ...where, unitId: unit.id }, ctx.changes.at);
      if (id) taken.push(id);
      else full.push(unit);
    }
    if (full.length > 0) throw new NoPlaceLeft(full);
    return taken;
  })();
}
