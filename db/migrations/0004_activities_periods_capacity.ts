/**
 * What can be booked: activities run at sites over periods, their opening days
 * and closures, the bookable units of a day with the rules combining them, and
 * the places per site, unit, day and age group.
 */
import { bool, enumOf, indexes, nonNegative, ordered, primaryId, ref, required } from './helpers';
import type { MigrationDb } from './helpers';

const AGE_GROUPS = ['maternelle', 'elementaire'];

export async function up(db: MigrationDb): Promise<void> {
  // `deadline_json`: the booking notice rule read by core (e.g. {"kind":"hours_before","hours":48}).
  // `required_documents_json`: qualifications to attach to an inscription request.
  await db.schema
    .createTable('activities')
    .addColumn('id', 'text', primaryId)
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', required)
    .addColumn(
      'kind',
      'text',
      enumOf('kind', [
        'alsh_petites_vacances',
        'alsh_grandes_vacances',
        'alsh_mercredis',
        'periscolaire_matin',
        'periscolaire_soir',
        'restauration',
        'tap',
        'sejour',
      ]),
    )
    .addColumn('description', 'text')
    .addColumn('deadline_json', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('waitlist_allowed', 'integer', bool('waitlist_allowed', 1))
    .addColumn('required_documents_json', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('active', 'integer', bool('active', 1))
    .addColumn('created_at', 'text', required)
    .addColumn('updated_at', 'text', required)
    .execute();

  await db.schema
    .createTable('activity_sites')
    .addColumn('activity_id', 'text', ref('activities'))
    .addColumn('site_id', 'text', ref('sites'))
    .addColumn('updated_at', 'text', required)
    .addPrimaryKeyConstraint('activity_sites_pk', ['activity_id', 'site_id'])
    .execute();
  await indexes(db, 'activity_sites', ['site_id']);

  await db.schema
    .createTable('periods')
    .addColumn('id', 'text', primaryId)
    .addColumn('activity_id', 'text', ref('activities'))
    .addColumn('label', 'text', required)
    .addColumn('start_day', 'text', required)
    .addColumn('end_day', 'text', required)
    .addColumn('booking_opens_on', 'text', required)
    .addColumn('booking_closes_on', 'text')
    .addColumn('reinscription_from', 'text', required)
    .addColumn('reinscription_to', 'text', required)
    .addColumn('updated_at', 'text', required)
    .addCheckConstraint('periods_days_ordered', ordered('start_day', 'end_day'))
    .addCheckConstraint('periods_reinscription_ordered', ordered('reinscription_from', 'reinscription_to'))
    .execute();
  await indexes(db, 'periods', [['activity_id', 'start_day']]);

  await db.schema
    .createTable('opening_days')
    .addColumn('id', 'text', primaryId)
    .addColumn('period_id', 'text', ref('periods'))
    .addColumn('site_id', 'text', ref('sites'))
    .addColumn('day', 'text', required)
    .addColumn('updated_at', 'text', required)
    .addUniqueConstraint('opening_days_period_site_day_unique', ['period_id', 'site_id', 'day'])
    .execute();
  await indexes(db, 'opening_days', [['site_id', 'day']]);

  // A closure with no site closes every site; with no activity, every activity.
  await db.schema
    .createTable('closures')
    .addColumn('id', 'text', primaryId)
    .addColumn('site_id', 'text', ref('sites', { nullable: true }))
    .addColumn('activity_id', 'text', ref('activities', { nullable: true }))
    .addColumn('start_day', 'text', required)
    .addColumn('end_day', 'text', required)
    .addColumn('label', 'text', required)
    .addColumn('updated_at', 'text', required)
    .addCheckConstraint('closures_days_ordered', ordered('start_day', 'end_day'))
    .execute();
  await indexes(db, 'closures', ['site_id', 'activity_id', 'start_day']);

  // Times are local 'HH:MM' (Europe/Paris); NULL for a meal.
  await db.schema
    .createTable('units')
    .addColumn('id', 'text', primaryId)
    .addColumn('activity_id', 'text', ref('activities'))
    .addColumn(
      'code',
      'text',
      enumOf('code', ['MATIN', 'REPAS_AV', 'REPAS_SV', 'APRES_MIDI', 'REPAS', 'SOIR']),
    )
    .addColumn('label', 'text', required)
    .addColumn('position', 'integer', required)
    .addColumn('start_time', 'text')
    .addColumn('end_time', 'text')
    .addColumn('updated_at', 'text', required)
    .addUniqueConstraint('units_activity_code_unique', ['activity_id', 'code'])
    .execute();

  // excludes: `unit_id` never with any of the others (REPAS_AV vs REPAS_SV);
  // requires_any: `unit_id` needs at least one of the others (a meal needs MATIN or APRES_MIDI);
  // not_alone: `unit_id` cannot be the only unit booked that day.
  await db.schema
    .createTable('unit_rules')
    .addColumn('id', 'text', primaryId)
    .addColumn('activity_id', 'text', ref('activities'))
    .addColumn('kind', 'text', enumOf('kind', ['excludes', 'requires_any', 'not_alone']))
    .addColumn('unit_id', 'text', ref('units'))
    .addColumn('other_unit_ids_json', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('updated_at', 'text', required)
    .execute();
  await indexes(db, 'unit_rules', ['activity_id', 'unit_id']);

  // Places per site × unit × day × age group. `taken` may not exceed `places` in
  // the server's guarded UPDATE (… WHERE taken < places); the schema only forbids
  // negatives, so that lowering `places` below `taken` stays possible (waitlist).
  await db.schema
    .createTable('capacities')
    .addColumn('id', 'text', primaryId)
    .addColumn('site_id', 'text', ref('sites'))
    .addColumn('activity_id', 'text', ref('activities'))
    .addColumn('unit_id', 'text', ref('units'))
    .addColumn('day', 'text', required)
    .addColumn('age_group', 'text', enumOf('age_group', AGE_GROUPS))
    .addColumn('places', 'integer', nonNegative('places'))
    .addColumn('taken', 'integer', nonNegative('taken', { default: 0 }))
    .addColumn('updated_at', 'text', required)
    .addUniqueConstraint('capacities_site_unit_day_age_unique', ['site_id', 'unit_id', 'day', 'age_group'])
    .execute();
  await indexes(db, 'capacities', ['activity_id', ['unit_id', 'day']]);
}
