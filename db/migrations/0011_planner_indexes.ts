/**
 * The index for the booking path's inscription lookup (`booking.set_day` on the server and on a desk): the
 * child's inscription to an activity at a site.
 *
 * Without planner statistics SQLite weighs single-column indexes alike and read the inscription through
 * `inscriptions_site_id_idx` (3 sites: a third of all inscriptions). This index matches the query's
 * equality columns exactly, so it wins with or without `sqlite_stat1`. It supersedes
 * `inscriptions_person_id_activity_id_period_id_idx` (same two leading columns; a child has a handful of
 * inscriptions per activity), dropped. The single-column foreign-key indexes stay: deleting a parent row
 * needs them.
 *
 * The bookings of a child for an activity on a day need no new index: the queries go through the activity's
 * units and the bookings' unique key (person_id, unit_id, day) (db/repositories/desk-bookings.ts,
 * booking-decisions.ts) instead of `bookings_activity_id_idx`.
 */
import type { MigrationDb } from './helpers';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createIndex('inscriptions_person_id_activity_id_site_id_idx')
    .on('inscriptions')
    .columns(['person_id', 'activity_id', 'site_id'])
    .execute();
  await db.schema.dropIndex('inscriptions_person_id_activity_id_period_id_idx').execute();
}
