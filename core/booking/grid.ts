/**
 * The booking grid (réservations of one child for one activity at one site over a range of days): the data
 * the desk backend and the portal's API hand to the grid component, and the pure rules the component applies
 * as the user ticks — unit combinations (core/booking/units), *Tout cocher / Tout décocher*, *Appliquer une
 * périodicité*, the changes to send (récapitulatif) and their estimated price. No I/O.
 */
import type { ActivityKind } from '../activities';
import { isAlshKind } from '../activities';
import { addDays, eachDay, weekday } from '../calendar/paris';
import type { IsoDay } from '../calendar/paris';
import { UNITS_OFFERED, validateDayUnits } from './units';
import type { UnitCode } from './units';

export type GridBookingState = 'reservee' | 'en_attente' | 'refusee' | 'annulee';
export type GridAgeGroup = 'maternelle' | 'elementaire';

/** The child's booking of one unit on one day, as the replica (or the server) holds it. */
export interface GridBooking {
  state: GridBookingState;
  /** Written by a command the server has not decided yet: shown « en attente d'instruction ». */
  pending: boolean;
  /** Why it was refused, waitlisted or changed late (server or agent). */
  reason: string | null;
}

export interface GridCell {
  unit: UnitCode;
  /** Places offered for this site × unit × day × age group; null when none is set (no place). */
  places: number | null;
  /** Places still free (never below 0), this desk's undecided bookings counted as taken. */
  placesLeft: number | null;
  booking: GridBooking | null;
}

export interface GridDay {
  day: IsoDay;
  /** An opening day of the child's period at this site, not closed: units may be booked. */
  open: boolean;
  /** Why the day cannot be booked ("Jour férié : Noël", a closure's label, "Pas d'accueil ce jour-là"…). */
  closedReason: string | null;
  /** The instant booking or cancelling this day closes (UTC ISO), null when the activity has no deadline. */
  deadline: string | null;
  /** True once the deadline has passed: parents cannot change the day; an agent must give a reason. */
  deadlinePassed: boolean;
  /** One cell per unit of the activity, in grid order. */
  cells: GridCell[];
}

export interface GridUnit {
  code: UnitCode;
  label: string;
}

export interface GridInscription {
  id: string;
  status: 'demandee' | 'validee' | 'refusee';
  periodId: string;
  periodLabel: string;
  start: IsoDay;
  end: IsoDay;
}

/** Everything the grid shows for one child × activity × site × range of days. */
export interface BookingGridData {
  personId: string;
  childName: string;
  activity: { id: string; name: string; kind: ActivityKind };
  site: { id: string; name: string };
  from: IsoDay;
  to: IsoDay;
  ageGroup: GridAgeGroup | null;
  /** The child's inscriptions to this activity at this site overlapping the range (validated first). */
  inscriptions: GridInscription[];
  units: GridUnit[];
  days: GridDay[];
  /** The deadline rule in one French sentence, null when none. */
  deadlineRule: string | null;
  waitlistAllowed: boolean;
  /** The household's price per unit (cents) for the range's tariff, QF and residency; empty when unknown. */
  unitPrices: Partial<Record<UnitCode, number>>;
  /** "Tranche QF 451 – 700, résident" or null. */
  priceBasis: string | null;
  /** The clock the deadlines were judged with (UTC ISO). */
  now: string;
}

/** What the user has ticked: day → units (only days that differ from the data need to be present). */
export type GridSelection = Readonly<Record<IsoDay, readonly UnitCode[]>>;

const ACTIVE: ReadonlySet<GridBookingState> = new Set(['reservee', 'en_attente']);

/** The units booked (or waiting) on a day: what a fresh grid shows ticked. */
export function bookedUnits(day: GridDay): UnitCode[] {
  return day.cells.filter((c) => c.booking !== null && ACTIVE.has(c.booking.state)).map((c) => c.unit);
}

/** The ticked units of a day: the selection's if it has the day, else what is booked. */
export function unitsOf(selection: GridSelection, day: GridDay): readonly UnitCode[] {
  return selection[day.day] ?? bookedUnits(day);
}

/** Whether the user may change a day: open, and in time unless an agent overrides (with a reason, later). */
export function isEditable(day: GridDay, options: { agent: boolean }): boolean {
  return day.open && (!day.deadlinePassed || options.agent);
}

/** Grid order of a set of units (as the activity lists them), without duplicates. */
export function inGridOrder(units: Iterable<UnitCode>, order: readonly GridUnit[]): UnitCode[] {
  const set = new Set(units);
  return order.map((u) => u.code).filter((code) => set.has(code));
}

export interface TickResult {
  units: UnitCode[];
  /** False when the tick was refused (the day keeps its units). */
  accepted: boolean;
  /** A French sentence explaining a refusal or an automatic change; null when none. */
  notice: string | null;
}

const MEALS: readonly UnitCode[] = ['REPAS_AV', 'REPAS_SV'];
const HALF_DAYS: readonly UnitCode[] = ['MATIN', 'APRES_MIDI'];

/**
 * Ticks or unticks one unit of a day, keeping the day valid (core/booking/units):
 * ticking a meal swaps the other meal out (AV and SV exclude each other); ticking a meal with neither the
 * morning nor the afternoon is refused (no meal alone); unticking the last half-day also drops the meal.
 */
export function tickUnit(
  kind: ActivityKind,
  current: readonly UnitCode[],
  unit: UnitCode,
  checked: boolean,
  order: readonly GridUnit[],
): TickResult {
  const next = new Set(current);
  let notice: string | null = null;
  if (checked) {
    next.add(unit);
    if (isAlshKind(kind) && MEALS.includes(unit)) {
      const other = MEALS.find((meal) => meal !== unit) as UnitCode;
      if (next.delete(other)) {
        notice = 'Le repas avec viande et le repas sans viande s’excluent : le choix a été remplacé.';
      }
    }
  } else {
    next.delete(unit);
    if (isAlshKind(kind) && HALF_DAYS.includes(unit) && !HALF_DAYS.some((h) => next.has(h))) {
      const dropped = MEALS.filter((meal) => next.delete(meal));
      if (dropped.length > 0) notice = 'Un repas ne peut pas être réservé seul : le repas a été décoché.';
    }
  }
  const units = inGridOrder(next, order);
  const valid = validateDayUnits(kind, units);
  if (!valid.ok) return { units: [...current], accepted: false, notice: valid.error.message };
  return { units, accepted: true, notice };
}

/**
 * The units *Tout cocher* ticks on a day: ALSH — matin, one meal (sans viande when the child eats no meat),
 * après-midi; other activities — every unit offered. Only units the activity really has.
 */
export function fullDayUnits(
  kind: ActivityKind,
  order: readonly GridUnit[],
  options: { noMeat?: boolean } = {},
): UnitCode[] {
  const has = new Set(order.map((u) => u.code));
  const offered = UNITS_OFFERED[kind].filter((code) => has.has(code));
  if (!isAlshKind(kind)) return inGridOrder(offered, order);
  const meal: UnitCode = options.noMeat && has.has('REPAS_SV') ? 'REPAS_SV' : 'REPAS_AV';
  return inGridOrder(
    offered.filter((code) => !MEALS.includes(code) || code === meal),
    order,
  );
}

/** Days in [from, to] whose weekday (1 = lundi … 7 = dimanche) is chosen, in order. */
export function expandPeriodicity(rule: { weekdays: readonly number[]; from: IsoDay; to: IsoDay }): IsoDay[] {
  if (rule.to < rule.from) return [];
  const wanted = new Set(rule.weekdays);
  return eachDay(rule.from, rule.to).filter((day) => wanted.has(weekday(day)));
}

export interface BulkResult {
  selection: GridSelection;
  /** Days changed by the action. */
  changed: IsoDay[];
  /** Days of the action's range left as they were, with why (closed, deadline passed, units not valid). */
  skipped: { day: IsoDay; reason: string }[];
}

/**
 * Sets `units` on the bookable days among `days` (open and in time; days past the deadline are left for the
 * agent to tick one by one, with a reason). An empty `units` unticks them.
 */
export function setUnitsOn(
  data: BookingGridData,
  selection: GridSelection,
  days: readonly IsoDay[],
  units: readonly UnitCode[],
): BulkResult {
  const byDay = new Map(data.days.map((d) => [d.day, d]));
  const wanted = inGridOrder(units, data.units);
  const valid = validateDayUnits(data.activity.kind, wanted);
  const next: Record<IsoDay, readonly UnitCode[]> = { ...selection };
  const changed: IsoDay[] = [];
  const skipped: { day: IsoDay; reason: string }[] = [];
  for (const day of days) {
    const gridDay = byDay.get(day);
    if (!gridDay) continue;
    if (!gridDay.open) {
      skipped.push({ day, reason: gridDay.closedReason ?? 'Fermé' });
      continue;
    }
    if (gridDay.deadlinePassed) {
      skipped.push({ day, reason: 'Délai dépassé' });
      continue;
    }
    if (!valid.ok) {
      skipped.push({ day, reason: valid.error.message });
      continue;
    }
    const before = unitsOf(next, gridDay);
    if (sameUnits(before, wanted)) continue;
    next[day] = wanted;
    changed.push(day);
  }
  return { selection: next, changed, skipped };
}

/** *Tout cocher*: the full day on every bookable day of the range shown. */
export function tickAll(
  data: BookingGridData,
  selection: GridSelection,
  range: { from: IsoDay; to: IsoDay },
  options: { noMeat?: boolean } = {},
): BulkResult {
  const days = data.days.filter((d) => d.day >= range.from && d.day <= range.to).map((d) => d.day);
  const result = setUnitsOn(data, selection, days, fullDayUnits(data.activity.kind, data.units, options));
  return { ...result, skipped: result.skipped.filter((s) => byDayOpen(data, s.day)) };
}

/** *Tout décocher*: nothing on every bookable day of the range shown. */
export function untickAll(
  data: BookingGridData,
  selection: GridSelection,
  range: { from: IsoDay; to: IsoDay },
): BulkResult {
  const days = data.days.filter((d) => d.day >= range.from && d.day <= range.to).map((d) => d.day);
  const result = setUnitsOn(data, selection, days, []);
  return { ...result, skipped: result.skipped.filter((s) => byDayOpen(data, s.day)) };
}

/** *Appliquer une périodicité*: `units` on the chosen weekdays between two days (bookable days only). */
export function applyPeriodicity(
  data: BookingGridData,
  selection: GridSelection,
  rule: { weekdays: readonly number[]; from: IsoDay; to: IsoDay; units: readonly UnitCode[] },
): BulkResult {
  const days = expandPeriodicity(rule).filter((day) => day >= data.from && day <= data.to);
  const result = setUnitsOn(data, selection, days, rule.units);
  // Weekends and days without any opening are not worth listing as skipped.
  return { ...result, skipped: result.skipped.filter((s) => byDayOpen(data, s.day) || weekday(s.day) <= 5) };
}

function byDayOpen(data: BookingGridData, day: IsoDay): boolean {
  return data.days.find((d) => d.day === day)?.open ?? false;
}

export function sameUnits(a: readonly UnitCode[], b: readonly UnitCode[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((unit) => set.has(unit));
}

/** One day of the récapitulatif. */
export interface GridChange {
  day: IsoDay;
  before: UnitCode[];
  after: UnitCode[];
  added: UnitCode[];
  removed: UnitCode[];
  /** Past the deadline: an agent's reason is required. */
  late: boolean;
  /** Added units with no place left (the server will waitlist or refuse them). */
  full: UnitCode[];
}

/** The days whose ticked units differ from what is booked, in day order. */
export function gridChanges(data: BookingGridData, selection: GridSelection): GridChange[] {
  const changes: GridChange[] = [];
  for (const day of data.days) {
    const after = selection[day.day];
    if (after === undefined) continue;
    const before = bookedUnits(day);
    if (sameUnits(before, after)) continue;
    const added = inGridOrder(
      after.filter((u) => !before.includes(u)),
      data.units,
    );
    const removed = inGridOrder(
      before.filter((u) => !after.includes(u)),
      data.units,
    );
    const full = added.filter((u) => {
      const cell = day.cells.find((c) => c.unit === u);
      return cell === undefined || cell.placesLeft === null || cell.placesLeft <= 0;
    });
    changes.push({
      day: day.day,
      before,
      after: inGridOrder(after, data.units),
      added,
      removed,
      late: day.deadlinePassed,
      full,
    });
  }
  return changes;
}

/**
 * The same changes for a sibling's grid (*appliquer à un autre enfant*): each changed day gets the same
 * units, when the sibling's day is bookable; the others are listed as skipped with why.
 */
export function changesForSibling(
  changes: readonly GridChange[],
  sibling: BookingGridData,
  options: { agent: boolean },
): { selection: GridSelection; skipped: { day: IsoDay; reason: string }[] } {
  const byDay = new Map(sibling.days.map((d) => [d.day, d]));
  const selection: Record<IsoDay, readonly UnitCode[]> = {};
  const skipped: { day: IsoDay; reason: string }[] = [];
  for (const change of changes) {
    const day = byDay.get(change.day);
    if (!day || !day.open) {
      skipped.push({ day: change.day, reason: day?.closedReason ?? 'Pas d’accueil ce jour-là' });
      continue;
    }
    if (!isEditable(day, options)) {
      skipped.push({ day: change.day, reason: 'Délai dépassé' });
      continue;
    }
    const units = inGridOrder(change.after, sibling.units);
    if (!validateDayUnits(sibling.activity.kind, units).ok) {
      skipped.push({ day: change.day, reason: 'Unités non proposées' });
      continue;
    }
    selection[change.day] = units;
  }
  return { selection, skipped };
}

/** Estimated price of the changes: units added minus units removed, at the household's unit prices. */
export function estimateCents(
  changes: readonly GridChange[],
  prices: Partial<Record<UnitCode, number>>,
): number | null {
  if (Object.keys(prices).length === 0) return null;
  let total = 0;
  for (const change of changes) {
    for (const unit of change.added) total += prices[unit] ?? 0;
    for (const unit of change.removed) total -= prices[unit] ?? 0;
  }
  return total;
}

/** Mondays of the weeks covering [from, to], for the week-by-week layout. */
export function weekStarts(from: IsoDay, to: IsoDay): IsoDay[] {
  const first = addDays(from, 1 - weekday(from));
  const starts: IsoDay[] = [];
  for (let monday = first; monday <= to; monday = addDays(monday, 7)) starts.push(monday);
  return starts;
}

/** The seven days of the week starting `monday`. */
export function weekDays(monday: IsoDay): IsoDay[] {
  return eachDay(monday, addDays(monday, 6));
}
