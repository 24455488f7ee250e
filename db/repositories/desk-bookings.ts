/**
 * What the desk's `booking.set_day` command reads and writes, as synchronous better-sqlite3 statements:
 * the child's inscription for the day, the activity's kind and deadline, its units, opening days and
 * closures, and the child's booking rows (one per child × unit × day).
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { BookingState, Row } from '../schema';

export interface BookingWrite {
  id: string;
  personId: string;
  householdId: string;
  inscriptionId: string;
  activityId: string;
  siteId: string;
  unitId: string;
  day: string;
  ageGroup: string;
  state: BookingState;
  originOpId: string;
  reason: string | null;
  at: string;
}

/**
 * The reads on the booking path, exported so that tests can check their plans (EXPLAIN QUERY PLAN). Their
 * equalities cover a whole index, which SQLite prefers with or without `sqlite_stat1`: the inscription
 * index of migration 0011 (person_id, activity_id, site_id), the bookings' unique key (person_id, unit_id,
 * day). CROSS JOIN fixes the join order (the period is then read by primary key).
 */
export const DESK_BOOKING_SQL = {
  validatedInscription: `SELECT i.* FROM inscriptions i CROSS JOIN periods p ON p.id = i.period_id
       WHERE i.person_id = ? AND i.activity_id = ? AND i.site_id = ? AND i.status = 'validee'
         AND p.start_day <= ? AND p.end_day >= ?
       ORDER BY i.updated_at DESC, i.id LIMIT 1`,
  anyInscription: `SELECT i.* FROM inscriptions i CROSS JOIN periods p ON p.id = i.period_id
       WHERE i.person_id = ? AND i.activity_id = ? AND i.site_id = ? AND p.start_day <= ? AND p.end_day >= ?
       ORDER BY i.updated_at DESC, i.id LIMIT 1`,
  // Through the activity's units (its unique (activity_id, code) index), then one lookup per unit in the
  // bookings' own unique key (person_id, unit_id, day): a handful of index probes, no extra index to keep.
  bookingsOfDay: `SELECT b.* FROM units u CROSS JOIN bookings b ON b.unit_id = u.id
       WHERE b.person_id = ? AND u.activity_id = ? AND b.day = ?
       ORDER BY u.position, u.id`,
} as const;

function prepare(sqlite: BetterSqlite3.Database) {
  const p = (sql: string): BetterSqlite3.Statement => sqlite.prepare(sql);
  return {
    person: p('SELECT * FROM persons WHERE id = ?'),
    activity: p('SELECT * FROM activities WHERE id = ?'),
    site: p('SELECT * FROM sites WHERE id = ?'),
    inscription: p(DESK_BOOKING_SQL.validatedInscription),
    anyInscription: p(DESK_BOOKING_SQL.anyInscription),
    units: p('SELECT * FROM units WHERE activity_id = ? ORDER BY position, id'),
    openingDay: p('SELECT 1 FROM opening_days WHERE period_id = ? AND site_id = ? AND day = ?'),
    closure: p(
      `SELECT label FROM closures
       WHERE start_day <= ? AND end_day >= ? AND (site_id IS NULL OR site_id = ?)
         AND (activity_id IS NULL OR activity_id = ?)
       LIMIT 1`,
    ),
    bookingsOfDay: p(DESK_BOOKING_SQL.bookingsOfDay),
    insertBooking: p(
      `INSERT INTO bookings (id, person_id, household_id, inscription_id, activity_id, site_id, unit_id, day,
         age_group, state, source, origin_op_id, reason, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'desk', ?, ?, ?, ?)`,
    ),
    rebook: p(
      `UPDATE bookings SET state = ?, household_id = ?, inscription_id = ?, site_id = ?, age_group = ?,
         source = 'desk', origin_op_id = ?, reason = ?, updated_at = ?
       WHERE id = ?`,
    ),
    setState: p('UPDATE bookings SET state = ?, origin_op_id = ?, reason = ?, updated_at = ? WHERE id = ?'),
  };
}

export class DeskBookings {
  private readonly s: ReturnType<typeof prepare>;

  constructor(sqlite: BetterSqlite3.Database) {
    this.s = prepare(sqlite);
  }

  person(personId: string): Row<'persons'> | undefined {
    return this.s.person.get(personId) as Row<'persons'> | undefined;
  }

  activity(activityId: string): Row<'activities'> | undefined {
    return this.s.activity.get(activityId) as Row<'activities'> | undefined;
  }

  site(siteId: string): Row<'sites'> | undefined {
    return this.s.site.get(siteId) as Row<'sites'> | undefined;
  }

  /** The child's validated inscription covering `day` (activity × site), if any. */
  validatedInscription(
    personId: string,
    activityId: string,
    siteId: string,
    day: string,
  ): Row<'inscriptions'> | undefined {
    return this.s.inscription.get(personId, activityId, siteId, day, day) as Row<'inscriptions'> | undefined;
  }

  /** Any inscription covering `day`, whatever its status (to explain a refusal). */
  anyInscription(
    personId: string,
    activityId: string,
    siteId: string,
    day: string,
  ): Row<'inscriptions'> | undefined {
    return this.s.anyInscription.get(personId, activityId, siteId, day, day) as
      Row<'inscriptions'> | undefined;
  }

  units(activityId: string): Row<'units'>[] {
    return this.s.units.all(activityId) as Row<'units'>[];
  }

  isOpeningDay(periodId: string, siteId: string, day: string): boolean {
    return this.s.openingDay.get(periodId, siteId, day) !== undefined;
  }

  /** The label of a closure covering the day for this site and activity, or null. */
  closure(siteId: string, activityId: string, day: string): string | null {
    return (this.s.closure.get(day, day, siteId, activityId) as { label: string } | undefined)?.label ?? null;
  }

  /** The child's booking rows of one activity on one day, any state. */
  bookingsOfDay(personId: string, activityId: string, day: string): Row<'bookings'>[] {
    return this.s.bookingsOfDay.all(personId, activityId, day) as Row<'bookings'>[];
  }

  insert(b: BookingWrite): void {
    this.s.insertBooking.run(
      b.id,
      b.personId,
      b.householdId,
      b.inscriptionId,
      b.activityId,
      b.siteId,
      b.unitId,
      b.day,
      b.ageGroup,
      b.state,
      b.originOpId,
      b.reason,
      b.at,
      b.at,
    );
  }

  /** Books again an existing row (same child × unit × day), possibly under another inscription. */
  rebook(b: BookingWrite): void {
    this.s.rebook.run(
      b.state,
      b.householdId,
      b.inscriptionId,
      b.siteId,
      b.ageGroup,
      b.originOpId,
      b.reason,
      b.at,
      b.id,
    );
  }

  setState(id: string, state: BookingState, originOpId: string, reason: string | null, at: string): void {
    this.s.setState.run(state, originOpId, reason, at, id);
  }
}
