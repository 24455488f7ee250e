/**
 * A child's inscription to an activity at a site for a period, the bookings
 * (child × unit × day) it allows, the attendance recorded by staff (pointage),
 * and absences signalled by parents.
 */
import { bool, enumOf, indexes, ordered, primaryId, ref, required } from './helpers';
import type { MigrationDb } from './helpers';

const AGE_GROUPS = ['maternelle', 'elementaire'];

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('inscriptions')
    .addColumn('id', 'text', primaryId)
    .addColumn('person_id', 'text', ref('persons'))
    .addColumn('household_id', 'text', ref('households'))
    .addColumn('activity_id', 'text', ref('activities'))
    .addColumn('site_id', 'text', ref('sites'))
    .addColumn('period_id', 'text', ref('periods'))
    .addColumn('age_group', 'text', enumOf('age_group', AGE_GROUPS))
    .addColumn(
      'status',
      'text',
      enumOf('status', ['demandee', 'validee', 'refusee'], { default: 'demandee' }),
    )
    .addColumn('demande_id', 'text', ref('demandes', { nullable: true }))
    .addColumn('requested_at', 'text', required)
    .addColumn('decided_at', 'text')
    .addColumn('decided_by_agent_id', 'text', ref('agents', { nullable: true }))
    .addColumn('refusal_reason', 'text')
    .addColumn('updated_at', 'text', required)
    .execute();
  await indexes(db, 'inscriptions', [
    ['person_id', 'activity_id', 'period_id'],
    'household_id',
    'activity_id',
    'site_id',
    'period_id',
    'demande_id',
    'decided_by_agent_id',
  ]);

  // One row per child × unit × day: cancelling and re-booking update the same row.
  // `origin_op_id`: the outbox op (sync command) that last wrote it.
  await db.schema
    .createTable('bookings')
    .addColumn('id', 'text', primaryId)
    .addColumn('person_id', 'text', ref('persons'))
    .addColumn('household_id', 'text', ref('households'))
    .addColumn('inscription_id', 'text', ref('inscriptions'))
    .addColumn('activity_id', 'text', ref('activities'))
    .addColumn('site_id', 'text', ref('sites'))
    .addColumn('unit_id', 'text', ref('units'))
    .addColumn('day', 'text', required)
    .addColumn('age_group', 'text', enumOf('age_group', AGE_GROUPS))
    .addColumn(
      'state',
      'text',
      enumOf('state', ['reservee', 'en_attente', 'refusee', 'annulee'], { default: 'en_attente' }),
    )
    .addColumn('source', 'text', enumOf('source', ['desk', 'portal', 'import']))
    .addColumn('demande_id', 'text', ref('demandes', { nullable: true }))
    .addColumn('origin_op_id', 'text')
    .addColumn('reason', 'text')
    .addColumn('created_at', 'text', required)
    .addColumn('updated_at', 'text', required)
    .addUniqueConstraint('bookings_person_unit_day_unique', ['person_id', 'unit_id', 'day'])
    .execute();
  await indexes(db, 'bookings', [
    ['site_id', 'unit_id', 'day'],
    ['household_id', 'day'],
    'inscription_id',
    'activity_id',
    ['unit_id', 'day'],
    'demande_id',
    'origin_op_id',
  ]);

  // Pointage. `booking_id` is NULL for "présent sans réservation".
  await db.schema
    .createTable('attendance')
    .addColumn('id', 'text', primaryId)
    .addColumn('person_id', 'text', ref('persons'))
    .addColumn('booking_id', 'text', ref('bookings', { nullable: true }))
    .addColumn('site_id', 'text', ref('sites'))
    .addColumn('unit_id', 'text', ref('units'))
    .addColumn('day', 'text', required)
    .addColumn(
      'status',
      'text',
      enumOf('status', [
        'present',
        'absent_justifie',
        'absent_non_justifie',
        'present_sans_reservation',
        'retard',
      ]),
    )
    .addColumn('comment', 'text')
    .addColumn('recorded_by_agent_id', 'text', ref('agents'))
    .addColumn('recorded_at', 'text', required)
    .addColumn('updated_at', 'text', required)
    .addUniqueConstraint('attendance_person_unit_day_unique', ['person_id', 'unit_id', 'day'])
    .execute();
  await indexes(db, 'attendance', [
    'booking_id',
    ['site_id', 'day'],
    ['unit_id', 'day'],
    'recorded_by_agent_id',
  ]);

  // In time, an absence cancels the bookings; out of time, an agent decides
  // whether the charge is cancelled (justified, with a justificatif).
  await db.schema
    .createTable('absences')
    .addColumn('id', 'text', primaryId)
    .addColumn('person_id', 'text', ref('persons'))
    .addColumn('household_id', 'text', ref('households'))
    .addColumn('start_day', 'text', required)
    .addColumn('end_day', 'text', required)
    .addColumn('comment', 'text')
    .addColumn('justified', 'integer', bool('justified', 0))
    .addColumn('charge_cancelled', 'integer', bool('charge_cancelled', 0))
    .addColumn('demande_id', 'text', ref('demandes', { nullable: true }))
    .addColumn('decided_by_agent_id', 'text', ref('agents', { nullable: true }))
    .addColumn('decided_at', 'text')
    .addColumn('created_at', 'text', required)
    .addColumn('updated_at', 'text', required)
    .addCheckConstraint('absences_days_ordered', ordered('start_day', 'end_day'))
    .execute();
  await indexes(db, 'absences', [
    ['person_id', 'start_day'],
    ['household_id', 'start_day'],
    'demande_id',
    'decided_by_agent_id',
  ]);
}
