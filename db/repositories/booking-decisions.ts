/**
 * SQL behind the server's booking decisions (command booking.set_day): what a
 * child is registered to, whether a site is open, the bookings of a day and the
 * atomic capacity guard. Prepared better-sqlite3 statements, run inside the
 * caller's transaction.
 */
import type { AgeGroup, BookingSource, BookingState } from '../schema';
import { preparedFor } from './sync-server';

export interface BookableActivity {
  id: string;
  name: string;
  kind: string;
  deadline_json: string;
  waitlist_allowed: number;
}

export interface ActivityUnit {
  id: string;
  code: string;
  label: string;
  position: number;
}

export interface CoveringInscription {
  id: string;
  household_id: string;
  period_id: string;
  age_group: AgeGroup;
}

export interface DayBooking {
  id: string;
  unit_id: string;
  household_id: string;
  site_id: string;
  age_group: AgeGroup;
  state: BookingState;
}

export interface CapacityKey {
  siteId: string;
  unitId: string;
  day: string;
  ageGroup: AgeGroup;
}

export interface BookingWrite {
  id: string;
  personId: string;
  householdId: string;
  inscriptionId: string;
  activityId: string;
  siteId: string;
  unitId: string;
  day: string;
  ageGroup: AgeGroup;
  state: BookingState;
  source: BookingSource;
  originOpId: string;
  reason: string | null;
  at: string;
}

/**
 * The reads on the booking path, exported so that tests can check their plans (EXPLAIN QUERY PLAN). Their
 * equalities cover a whole index, which SQLite prefers with or without `sqlite_stat1`: the inscription
 * index of migration 0011 (person_id, activity_id, site_id); for a child's bookings of one activity on one
 * day, the activity's units (unique (activity_id, code)) then one probe per unit in the bookings' unique key
 * (person_id, unit_id, day) — not `bookings_activity_id_idx`, every booking of the activity. CROSS JOIN fixes
 * the join order (the period is read by primary key).
 */
export const BOOKING_DECISION_SQL = {
  coveringInscription: `SELECT i.id, i.household_id, i.period_id, i.age_group
       FROM inscriptions i CROSS JOIN periods p ON p.id = i.period_id
      WHERE i.person_id = ? AND i.activity_id = ? AND i.site_id = ? AND i.status = 'validee'
        AND p.start_day <= ? AND p.end_day >= ?
      ORDER BY i.updated_at DESC LIMIT 1`,
  bookingsOfDay: `SELECT b.id, b.unit_id, b.household_id, b.site_id, b.age_group, b.state
       FROM units u CROSS JOIN bookings b ON b.unit_id = u.id
      WHERE b.person_id = ? AND b.day = ? AND u.activity_id = ?`,
  bookingsOfActivityDay: `SELECT b.*, u.code AS unit_code FROM units u CROSS JOIN bookings b ON b.unit_id = u.id
      WHERE b.person_id = ? AND b.day = ? AND u.activity_id = ? ORDER BY u.position`,
} as const;

export const bookingStatements = preparedFor((sqlite) => {
  const activity = sqlite.prepare(
    'SELECT id, name, kind, deadline_json, waitlist_allowed FROM activities WHERE id = ?',
  );
  const units = sqlite.prepare(
    'SELECT id, code, label, position FROM units WHERE activity_id = ? ORDER BY position, code',
  );
  const inscription = sqlite.prepare(BOOKING_DECISION_SQL.coveringInscription);
  const openingDay = sqlite.prepare(
    'SELECT 1 FROM opening_days WHERE period_id = ? AND site_id = ? AND day = ?',
  );
  const closure = sqlite.prepare(
    `SELECT label FROM closures
      WHERE (site_id IS NULL OR site_id = ?) AND (activity_id IS NULL OR activity_id = ?)
        AND start_day <= ? AND end_day >= ? LIMIT 1`,
  );
  const bookingsOfDay = sqlite.prepare(BOOKING_DECISION_SQL.bookingsOfDay);
  const takePlace = sqlite.prepare(
    `UPDATE capacities SET taken = taken + 1, updated_at = ?
      WHERE site_id = ? AND unit_id = ? AND day = ? AND age_group = ? AND taken < places RETURNING id`,
  );
  const releasePlace = sqlite.prepare(
    `UPDATE capacities SET taken = taken - 1, updated_at = ?
      WHERE site_id = ? AND unit_id = ? AND day = ? AND age_group = ? AND taken > 0 RETURNING id`,
  );
  const insertBooking = sqlite.prepare(
    `INSERT INTO bookings (id, person_id, household_id, inscription_id, activity_id, site_id, unit_id, day, age_group,
       state, source, demande_id, origin_op_id, reason, created_at, updated_at)
     VALUES (@id, @personId, @householdId, @inscriptionId, @activityId, @siteId, @unitId, @day, @ageGroup,
       @state, @source, NULL, @originOpId, @reason, @at, @at)`,
  );
  const rebook = sqlite.prepare(
    `UPDATE bookings SET household_id = @householdId, inscription_id = @inscriptionId, activity_id = @activityId,
       site_id = @siteId, age_group = @ageGroup, state = @state, source = @source, origin_op_id = @originOpId,
       reason = @reason, updated_at = @at
     WHERE id = @id`,
  );
  const cancel = sqlite.prepare(
    `UPDATE bookings SET state = 'annulee', source = ?, origin_op_id = ?, reason = ?, updated_at = ? WHERE id = ?`,
  );
  const firstNames = sqlite.prepare('SELECT first_names FROM persons WHERE id = ?').pluck();
  const siteName = sqlite.prepare('SELECT name FROM sites WHERE id = ?').pluck();
  const isMember = sqlite.prepare('SELECT 1 FROM household_members WHERE household_id = ? AND person_id = ?');
  const bookingsOfActivityDay = sqlite.prepare(BOOKING_DECISION_SQL.bookingsOfActivityDay);

  const capacityArgs = (key: CapacityKey): string[] => [key.siteId, key.unitId, key.day, key.ageGroup];
  return {
    activity: (id: string): BookableActivity | undefined => activity.get(id) as BookableActivity | undefined,
    units: (activityId: string): ActivityUnit[] => units.all(activityId) as ActivityUnit[],
    /** The validated inscription of the child to this activity at this site whose period covers `day`. */
    coveringInscription: (personId: string, activityId: string, siteId: string, day: string) =>
      inscription.get(personId, activityId, siteId, day, day) as CoveringInscription | undefined,
    isOpeningDay: (periodId: string, siteId: string, day: string): boolean =>
      openingDay.get(periodId, siteId, day) !== undefined,
    closureLabel: (siteId: string, activityId: string, day: string): string | undefined =>
      (closure.get(siteId, activityId, day, day) as { label: string } | undefined)?.label,
    bookingsOfDay: (personId: string, day: string, activityId: string): DayBooking[] =>
      bookingsOfDay.all(personId, day, activityId) as DayBooking[],
    /** The atomic guard: the capacity row's id when a place was taken, undefined when full (or no row). */
    takePlace: (key: CapacityKey, at: string): string | undefined =>
      (takePlace.get(at, ...capacityArgs(key)) as { id: string } | undefined)?.id,
    releasePlace: (key: CapacityKey, at: string): string | undefined =>
      (releasePlace.get(at, ...capacityArgs(key)) as { id: string } | undefined)?.id,
    insertBooking: (row: BookingWrite): void => {
      insertBooking.run(row);
    },
    rebook: (row: BookingWrite): void => {
      rebook.run(row);
    },
    cancel: (
      id: string,
      source: BookingSource,
      originOpId: string,
      reason: string | null,
      at: string,
    ): void => {
      cancel.run(source, originOpId, reason, at, id);
    },
    firstNames: (personId: string): string | undefined => firstNames.get(personId) as string | undefined,
    siteName: (siteId: string): string | undefined => siteName.get(siteId) as string | undefined,
    isHouseholdMember: (householdId: string, personId: string): boolean =>
      isMember.get(householdId, personId) !== undefined,
    /** Every booking row (any state) of a child for one activity and day, with its unit code. */
    bookingsOfActivityDay: (personId: string, day: string, activityId: string) =>
      bookingsOfActivityDay.all(personId, day, activityId) as (Record<string, unknown> & {
        unit_code: string;
      })[],
  };
});
