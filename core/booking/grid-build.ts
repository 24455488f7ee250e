/**
 * Assembling a booking grid's days from the facts a store holds (opening days, closures, capacities, the
 * child's bookings) and the rules of core: public holidays, the activity's deadline, places left.
 * Used by the desk backend (and the server's API for the portal); the grid component only reads the result.
 */
import { assertDay, formatShortFr } from '../calendar/paris';
import type { IsoDay } from '../calendar/paris';
import { frenchPublicHolidays } from '../calendar/public-holidays';
import { bookingDeadline } from './deadline';
import type { DeadlineRule } from './deadline';
import { remainingPlaces } from './capacity';
import type { GridBooking, GridBookingState, GridCell, GridDay, GridUnit } from './grid';
import type { UnitCode } from './units';

export interface GridFacts {
  from: IsoDay;
  to: IsoDay;
  units: readonly (GridUnit & { id: string })[];
  /** Days the site opens for the activity → the period they belong to. */
  openingDays: ReadonlyMap<IsoDay, string>;
  /** Periods the child has a validated inscription to: only their opening days can be booked. */
  inscribedPeriods: ReadonlySet<string>;
  closures: readonly { start: IsoDay; end: IsoDay; label: string }[];
  rule: DeadlineRule | null;
  now: Date;
  /** Capacity rows for the child's age group: unit id → day → places / taken. */
  capacities: readonly { unitId: string; day: IsoDay; places: number; taken: number }[];
  /** This desk's undecided new bookings (any child) per unit id and day, counted as taken. */
  pendingTaken: readonly { unitId: string; day: IsoDay; count: number }[];
  /** The child's booking rows in the range. */
  bookings: readonly {
    unitId: string;
    day: IsoDay;
    state: GridBookingState;
    pending: boolean;
    reason: string | null;
  }[];
}

const key = (unitId: string, day: IsoDay): string => `${unitId}|${day}`;

const DAY_MS = 86_400_000;

/**
 * The days from `from` to `to` with their weekday (1 = lundi … 7 = dimanche), by plain UTC arithmetic: a grid
 * covers up to a school year, and this runs on every grid load (the calendar helpers parse each day with luxon).
 */
function daysOf(from: IsoDay, to: IsoDay): { day: IsoDay; weekday: number }[] {
  assertDay(from);
  assertDay(to);
  const days: { day: IsoDay; weekday: number }[] = [];
  for (
    let ms = Date.parse(`${from}T00:00:00Z`), end = Date.parse(`${to}T00:00:00Z`);
    ms <= end;
    ms += DAY_MS
  ) {
    const date = new Date(ms);
    days.push({ day: date.toISOString().slice(0, 10), weekday: ((date.getUTCDay() + 6) % 7) + 1 });
  }
  return days;
}

const holidaysByYear = new Map<number, ReadonlyMap<IsoDay, string>>();

/** The public holidays of a year, day → name (pure: computed once per year). */
function holidaysOf(year: number): ReadonlyMap<IsoDay, string> {
  let names = holidaysByYear.get(year);
  if (!names) {
    names = new Map(frenchPublicHolidays(year).map((h) => [h.day, h.name]));
    holidaysByYear.set(year, names);
  }
  return names;
}

/** Deadlines are a pure function of (rule, day): computed once per process (bounded), then read. */
const deadlineCache = new Map<string, number>();
const DEADLINE_CACHE_MAX = 50_000;

function deadlineOf(rule: DeadlineRule, ruleKey: string, day: IsoDay): number {
  const cacheKey = `${ruleKey}|${day}`;
  let at = deadlineCache.get(cacheKey);
  if (at === undefined) {
    at = bookingDeadline(rule, day).getTime();
    if (deadlineCache.size >= DEADLINE_CACHE_MAX) deadlineCache.clear();
    deadlineCache.set(cacheKey, at);
  }
  return at;
}

/** Why a day that is not an opening day is closed, in French. */
function closedReason(
  weekday: number,
  closure: string | null,
  opening: boolean,
  holiday: string | undefined,
): string {
  if (closure) return closure;
  if (holiday) return `Jour férié : ${holiday}`;
  if (weekday >= 6) return 'Week-end';
  if (opening) return 'Hors inscription';
  return 'Pas d’accueil ce jour-là';
}

export function buildGridDays(facts: GridFacts): GridDay[] {
  const capacity = new Map(facts.capacities.map((c) => [key(c.unitId, c.day), c]));
  const pending = new Map(facts.pendingTaken.map((p) => [key(p.unitId, p.day), p.count]));
  const bookings = new Map(
    facts.bookings.map((b): [string, GridBooking] => [
      key(b.unitId, b.day),
      { state: b.state, pending: b.pending, reason: b.reason },
    ]),
  );
  const ruleKey = facts.rule ? JSON.stringify(facts.rule) : '';
  const holidays = new Map<string, string>();
  for (let year = Number(facts.from.slice(0, 4)); year <= Number(facts.to.slice(0, 4)); year += 1) {
    for (const [day, name] of holidaysOf(year)) holidays.set(day, name);
  }
  const now = facts.now.getTime();
  return daysOf(facts.from, facts.to).map(({ day, weekday }): GridDay => {
    const closure = facts.closures.find((c) => c.start <= day && day <= c.end)?.label ?? null;
    const period = facts.openingDays.get(day);
    const inscribed = period !== undefined && facts.inscribedPeriods.has(period);
    const holiday = holidays.get(day);
    const open = closure === null && inscribed && holiday === undefined;
    const deadline = facts.rule ? deadlineOf(facts.rule, ruleKey, day) : null;
    const cells = facts.units.map((unit): GridCell => {
      const row = capacity.get(key(unit.id, day));
      const places = row?.places ?? null;
      const placesLeft =
        row === undefined
          ? null
          : remainingPlaces(row.places, row.taken + (pending.get(key(unit.id, day)) ?? 0));
      return {
        unit: unit.code as UnitCode,
        places,
        placesLeft,
        booking: bookings.get(key(unit.id, day)) ?? null,
      };
    });
    return {
      day,
      open,
      closedReason: open ? null : closedReason(weekday, closure, period !== undefined, holiday),
      deadline: deadline === null ? null : new Date(deadline).toISOString(),
      deadlinePassed: deadline !== null && now >= deadline,
      cells,
    };
  });
}

/** "Réservations du 19/10/2020 au 02/11/2020" (the grid's heading, as on the portal). */
export function gridRangeLabel(from: IsoDay, to: IsoDay): string {
  return `Réservations du ${formatShortFr(from)} au ${formatShortFr(to)}`;
}
