/**
 * The booking grid's reads (command `booking/grid`): for one child × activity × site × range of days, the
 * units, opening days and closures, the deadline rule, the child's bookings (with the pending flag of this
 * desk's undecided commands), places left per day and unit for the child's age group, and the household's
 * unit prices. Synchronous better-sqlite3 statements, prepared once per connection; the days themselves are
 * assembled by core (`buildGridDays`). Every statement is an index lookup or a short index range (see
 * EXPLAIN QUERY PLAN in tests/integration/desk/planning.test.ts).
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { ActivityKind } from '../../core/activities';
import { daysBetween, isValidDay } from '../../core/calendar/paris';
import { deadlineRuleFromJson, describeDeadlineRule } from '../../core/booking/deadline';
import type { DeadlineRule } from '../../core/booking/deadline';
import { buildGridDays } from '../../core/booking/grid-build';
import type {
  BookingGridData,
  GridAgeGroup,
  GridBookingState,
  GridInscription,
} from '../../core/booking/grid';
import type { UnitCode } from '../../core/booking/units';
import { UNIT_LABELS } from '../../core/booking/units';
import { DomainError } from '../../core/errors';
import { ageGroupFor, schoolYearStartOf } from '../../core/inscriptions';
import { findBracket, RESIDENCY_LABELS } from '../../core/tariffs/lookup';
import type { Residency } from '../../core/tariffs/lookup';
import { preparedFor } from './sync-server';

export interface BookingGridArgs {
  personId: string;
  activityId: string;
  siteId: string;
  /** YYYY-MM-DD, both included. */
  from: string;
  to: string;
}

/** The longest range one grid may cover (a school year and a summer). */
export const MAX_GRID_DAYS = 400;

interface PersonRow {
  id: string;
  first_names: string;
  usage_last_name: string;
  birth_date: string | null;
  school_level: GridAgeGroup | null;
}

interface ActivityRow {
  id: string;
  name: string;
  kind: ActivityKind;
  deadline_json: string;
  waitlist_allowed: number;
}

interface InscriptionRow {
  id: string;
  status: GridInscription['status'];
  age_group: GridAgeGroup;
  household_id: string;
  period_id: string;
  label: string;
  start_day: string;
  end_day: string;
}

export const bookingGridStatements = preparedFor((sqlite) => {
  const p = (sql: string): BetterSqlite3.Statement => sqlite.prepare(sql);
  return {
    person: p('SELECT id, first_names, usage_last_name, birth_date, school_level FROM persons WHERE id = ?'),
    activity: p('SELECT id, name, kind, deadline_json, waitlist_allowed FROM activities WHERE id = ?'),
    site: p('SELECT id, name, kind FROM sites WHERE id = ?'),
    units: p('SELECT id, code, label FROM units WHERE activity_id = ? ORDER BY position, id'),
    inscriptions: p(
      `SELECT i.id, i.status, i.age_group, i.household_id, i.period_id, p.label, p.start_day, p.end_day
         FROM inscriptions i JOIN periods p ON p.id = i.period_id
        WHERE i.person_id = ? AND i.activity_id = ? AND i.site_id = ? AND p.start_day <= ? AND p.end_day >= ?
        ORDER BY CASE i.status WHEN 'validee' THEN 0 WHEN 'demandee' THEN 1 ELSE 2 END, p.start_day, i.id`,
    ),
    openingDays: p(
      `SELECT o.day, o.period_id FROM opening_days o JOIN periods p ON p.id = o.period_id
        WHERE o.site_id = ? AND o.day BETWEEN ? AND ? AND p.activity_id = ?`,
    ),
    closures: p(
      `SELECT start_day, end_day, label FROM closures
        WHERE (site_id IS NULL OR site_id = ?) AND (activity_id IS NULL OR activity_id = ?)
          AND start_day <= ? AND end_day >= ?`,
    ),
    capacities: p(
      `SELECT unit_id, day, places, taken FROM capacities
        WHERE site_id = ? AND unit_id = ? AND day BETWEEN ? AND ? AND age_group = ?`,
    ),
    bookings: p(
      `SELECT b.unit_id, b.day, b.state, b.reason, o.seq IS NOT NULL AS pending
         FROM bookings b LEFT JOIN outbox o ON o.op_id = b.origin_op_id AND o.settled_at IS NULL
        WHERE b.person_id = ? AND b.activity_id = ? AND b.day BETWEEN ? AND ?`,
    ),
    // This desk's new bookings the server has not decided: they will take a place (none on the server). CROSS
    // JOIN keeps the live ops (a handful) as the outer loop: SQLite otherwise walks every booking of the site.
    pendingTaken: p(
      `SELECT b.unit_id, b.day, COUNT(*) AS count
         FROM outbox o CROSS JOIN bookings b ON b.origin_op_id = o.op_id
        WHERE o.settled_at IS NULL AND o.status IN ('pending', 'sent') AND b.state = 'en_attente'
          AND b.site_id = ? AND b.activity_id = ? AND b.age_group = ? AND b.day BETWEEN ? AND ?
        GROUP BY b.unit_id, b.day`,
    ),
    childHousehold: p(
      `SELECT household_id FROM household_members WHERE person_id = ? AND role = 'enfant'
        ORDER BY household_id LIMIT 1`,
    ).pluck(),
    residency: p('SELECT residency FROM households WHERE id = ?').pluck(),
    qf: p(
      `SELECT value FROM qf_records WHERE household_id = ? AND valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?)
        ORDER BY valid_from DESC LIMIT 1`,
    ).pluck(),
    tariffVersion: p(
      `SELECT id FROM tariff_versions WHERE activity_id = ? AND valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?)
        ORDER BY valid_from DESC LIMIT 1`,
    ).pluck(),
    brackets: p(
      'SELECT id, qf_min, qf_max FROM tariff_brackets WHERE tariff_version_id = ? ORDER BY position',
    ),
    prices: p(
      `SELECT bracket_id, price_code, amount_cents FROM tariff_prices
        WHERE tariff_version_id = ? AND residency = ?`,
    ),
  };
});

/** The activity's deadline rule; null when none is set ('{}'). */
export function deadlineRuleOf(activity: { name: string; deadline_json: string }): DeadlineRule | null {
  return deadlineRuleFromJson(activity.deadline_json, activity.name);
}

function checkRange(from: string, to: string): void {
  if (!isValidDay(from) || !isValidDay(to)) {
    throw new DomainError('GRID_RANGE_INVALID', 'Période invalide : dates attendues au format AAAA-MM-JJ.');
  }
  const days = daysBetween(from, to);
  if (days < 0) throw new DomainError('GRID_RANGE_INVALID', 'La date de fin est avant la date de début.');
  if (days >= MAX_GRID_DAYS) {
    throw new DomainError('GRID_RANGE_TOO_LONG', `Une grille couvre au plus ${MAX_GRID_DAYS} jours.`);
  }
}

/** Loads a child's grid; `now` is the clock deadlines are judged with (the desk's estimate of server time). */
export function loadBookingGrid(
  sqlite: BetterSqlite3.Database,
  args: BookingGridArgs,
  now: Date,
): BookingGridData {
  const { personId, activityId, siteId, from, to } = args;
  checkRange(from, to);
  const q = bookingGridStatements(sqlite);
  const person = q.person.get(personId) as PersonRow | undefined;
  if (!person) throw new DomainError('PERSON_NOT_FOUND', 'Enfant introuvable.');
  const activity = q.activity.get(activityId) as ActivityRow | undefined;
  if (!activity) throw new DomainError('ACTIVITY_NOT_FOUND', "Cette activité n'existe pas ou plus.");
  const site = q.site.get(siteId) as { id: string; name: string } | undefined;
  if (!site) throw new DomainError('SITE_NOT_FOUND', "Ce lieu n'existe pas ou plus.");

  const units = (q.units.all(activityId) as { id: string; code: UnitCode; label: string }[]).map((u) => ({
    id: u.id,
    code: u.code,
    label: UNIT_LABELS[u.code] ?? u.label,
  }));
  const inscriptions = q.inscriptions.all(personId, activityId, siteId, to, from) as InscriptionRow[];
  const validated = inscriptions.filter((i) => i.status === 'validee');
  const ageGroup = validated[0]?.age_group ?? inscriptions[0]?.age_group ?? computedAgeGroup(person, from);

  const inscribed = new Set(validated.map((i) => i.period_id));
  const openingDays = new Map<string, string>();
  for (const row of q.openingDays.all(siteId, from, to, activityId) as { day: string; period_id: string }[]) {
    if (!openingDays.has(row.day) || inscribed.has(row.period_id)) openingDays.set(row.day, row.period_id);
  }
  const capacities: { unitId: string; day: string; places: number; taken: number }[] = [];
  const pendingTaken: { unitId: string; day: string; count: number }[] = [];
  if (ageGroup !== null) {
    for (const unit of units) {
      for (const row of q.capacities.all(siteId, unit.id, from, to, ageGroup) as {
        unit_id: string;
        day: string;
        places: number;
        taken: number;
      }[]) {
        capacities.push({ unitId: row.unit_id, day: row.day, places: row.places, taken: row.taken });
      }
    }
    for (const row of q.pendingTaken.all(siteId, activityId, ageGroup, from, to) as {
      unit_id: string;
      day: string;
      count: number;
    }[]) {
      pendingTaken.push({ unitId: row.unit_id, day: row.day, count: row.count });
    }
  }
  const bookings = (
    q.bookings.all(personId, activityId, from, to) as {
      unit_id: string;
      day: string;
      state: GridBookingState;
      reason: string | null;
      pending: number;
    }[]
  ).map((b) => ({
    unitId: b.unit_id,
    day: b.day,
    state: b.state,
    reason: b.reason,
    pending: b.pending === 1,
  }));

  const rule = deadlineRuleOf(activity);
  const days = buildGridDays({
    from,
    to,
    units,
    openingDays,
    inscribedPeriods: inscribed,
    closures: (
      q.closures.all(siteId, activityId, to, from) as {
        start_day: string;
        end_day: string;
        label: string;
      }[]
    ).map((c) => ({ start: c.start_day, end: c.end_day, label: c.label })),
    rule,
    now,
    capacities,
    pendingTaken,
    bookings,
  });

  const householdId =
    validated[0]?.household_id ??
    inscriptions[0]?.household_id ??
    (q.childHousehold.get(personId) as string | undefined);
  const prices = householdId ? unitPrices(sqlite, activityId, householdId, from, units) : null;
  return {
    personId,
    childName: `${person.first_names.split(' ')[0] ?? person.first_names} ${person.usage_last_name}`,
    activity: { id: activity.id, name: activity.name, kind: activity.kind },
    site: { id: site.id, name: site.name },
    from,
    to,
    ageGroup,
    inscriptions: inscriptions.map((i) => ({
      id: i.id,
      status: i.status,
      periodId: i.period_id,
      periodLabel: i.label,
      start: i.start_day,
      end: i.end_day,
    })),
    units: units.map((u) => ({ code: u.code, label: u.label })),
    days,
    deadlineRule: rule ? describeDeadlineRule(rule) : null,
    waitlistAllowed: activity.waitlist_allowed === 1,
    unitPrices: prices?.prices ?? {},
    priceBasis: prices?.basis ?? null,
    now: now.toISOString(),
  };
}

function computedAgeGroup(person: PersonRow, from: string): GridAgeGroup | null {
  const group = ageGroupFor(
    { firstName: person.first_names, birthDate: person.birth_date, schoolLevel: person.school_level },
    schoolYearStartOf(from),
  );
  return group.ok ? group.value : null;
}

/** The household's price of each unit (price code = unit code) on `day`: tariff in force, QF bracket, residency. */
function unitPrices(
  sqlite: BetterSqlite3.Database,
  activityId: string,
  householdId: string,
  day: string,
  units: readonly { code: UnitCode }[],
): { prices: Partial<Record<UnitCode, number>>; basis: string } | null {
  const q = bookingGridStatements(sqlite);
  const versionId = q.tariffVersion.get(activityId, day, day) as string | undefined;
  if (!versionId) return null;
  const residency = ((q.residency.get(householdId) as string | undefined) ?? 'resident') as Residency;
  const qf = (q.qf.get(householdId, day, day) as number | undefined) ?? null;
  const brackets = (q.brackets.all(versionId) as { id: string; qf_min: number; qf_max: number | null }[]).map(
    (b) => ({ id: b.id, qfMin: b.qf_min, qfMax: b.qf_max }),
  );
  const bracket = findBracket(brackets, qf);
  if (!bracket) return null;
  const prices: Partial<Record<UnitCode, number>> = {};
  const codes = new Set(units.map((u) => u.code as string));
  for (const row of q.prices.all(versionId, residency) as {
    bracket_id: string;
    price_code: string;
    amount_cents: number;
  }[]) {
    if (row.bracket_id === bracket.id && codes.has(row.price_code)) {
      prices[row.price_code as UnitCode] = row.amount_cents;
    }
  }
  const range = bracket.qfMax === null ? `${bracket.qfMin} et plus` : `${bracket.qfMin} – ${bracket.qfMax}`;
  const known = qf === null ? 'QF non renseigné' : `QF ${qf}`;
  return { prices, basis: `Tranche QF ${range} (${known}), ${RESIDENCY_LABELS[residency]}` };
}
