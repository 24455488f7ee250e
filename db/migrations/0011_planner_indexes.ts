/**
 * Indexes for the booking path (`booking.set_day` on the server and on a desk): a child's bookings of one
 * activity on one day, and the child's inscription to an activity at a site.
 *
 * Without planner statistics SQLite weighs every single-column index alike and picked
 * `bookings_activity_id_idx` (every booking of the activity: ~10⁵ rows in the demo town) and
 * `inscriptions_site_id_idx` (3 sites!). These composite indexes match the queries' equality columns
 * exactly, so they win with or without `sqlite_stat1`.
 *
 * `inscriptions_person_id_activity_id_period_id_idx` is superseded by the new inscriptions index (same two
 * leading columns; a child has a handful of inscriptions per activity) and dropped. The single-column
 * foreign-key indexes stay: deleting a parent row needs them.
 */
import type { MigrationDb } from './helpers';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createIndex('bookings_person_id_activity_id_day_idx')
    .on('bookings')
    .columns(['person_id', 'activity_id', 'day'])
    .execute();
  await db.schema
    .createIndex('inscriptions_person_id_activity_id_site_id_idx')
    .on('inscriptions')
    .columns(['person_id', 'activity_id', 'site_id'])
    .execute();
  await db.schema.dropIndex('inscriptions_person_id_activity_id_period_id_idx').execute();
}
