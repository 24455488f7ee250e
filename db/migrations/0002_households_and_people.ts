/**
 * Households (foyers), persons, who belongs where, family ties, and what a
 * child needs at the counter: authorisations, health notes. QF records too
 * (their supporting document column arrives with the documents, in 0005).
 */
import { sql } from 'kysely';
import { bool, enumOf, indexes, nonNegative, ordered, primaryId, ref, required } from './helpers';
import type { MigrationDb } from './helpers';

export async function up(db: MigrationDb): Promise<void> {
  // `search_text` and `sort_name` are derived (see db/repositories/households.ts,
  // refreshHouseholdSearchText): whoever writes a household or a member refreshes them.
  await db.schema
    .createTable('households')
    .addColumn('id', 'text', primaryId)
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('numero', 'text')
    .addColumn('voie', 'text')
    .addColumn('batiment', 'text')
    .addColumn('appartement', 'text')
    .addColumn('complement', 'text')
    .addColumn('postcode', 'text')
    .addColumn('city', 'text')
    .addColumn('country', 'text', (c) => c.notNull().defaultTo('France'))
    .addColumn('residency', 'text', enumOf('residency', ['resident', 'exterieur'], { default: 'resident' }))
    .addColumn('paperless_invoices', 'integer', bool('paperless_invoices', 0))
    .addColumn('family_situation', 'text')
    .addColumn('caf_number', 'text')
    .addColumn('notes', 'text')
    .addColumn('search_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('sort_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', required)
    .addColumn('updated_at', 'text', required)
    .execute();
  await indexes(db, 'households', [['sort_name', 'code']]);

  await db.schema
    .createTable('persons')
    .addColumn('id', 'text', primaryId)
    .addColumn('civility', 'text', enumOf('civility', ['m', 'mme'], { nullable: true }))
    .addColumn('usage_last_name', 'text', required)
    .addColumn('birth_last_name', 'text')
    .addColumn('first_names', 'text', required)
    .addColumn('birth_date', 'text')
    .addColumn('birth_country', 'text')
    .addColumn('birth_department', 'text')
    .addColumn('birth_commune', 'text')
    .addColumn('sex', 'text', enumOf('sex', ['f', 'm'], { nullable: true }))
    .addColumn('photo_blob_hash', 'text', ref('blobs.hash', { nullable: true }))
    .addColumn('phone', 'text')
    .addColumn('mobile', 'text')
    .addColumn('email', 'text')
    .addColumn(
      'preferred_contact',
      'text',
      enumOf('preferred_contact', ['telephone', 'mobile', 'email', 'courrier'], { nullable: true }),
    )
    .addColumn('employer_phone', 'text')
    // Own address, when it differs from the household's (separated parents…).
    .addColumn('numero', 'text')
    .addColumn('voie', 'text')
    .addColumn('batiment', 'text')
    .addColumn('appartement', 'text')
    .addColumn('complement', 'text')
    .addColumn('postcode', 'text')
    .addColumn('city', 'text')
    .addColumn('country', 'text')
    // Children.
    .addColumn('school_name', 'text')
    .addColumn(
      'school_level',
      'text',
      enumOf('school_level', ['maternelle', 'elementaire'], { nullable: true }),
    )
    .addColumn('class_level', 'text')
    .addColumn('doctor_name', 'text')
    .addColumn('doctor_phone', 'text')
    .addColumn('search_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', required)
    .addColumn('updated_at', 'text', required)
    .execute();
  await indexes(db, 'persons', ['photo_blob_hash', 'usage_last_name']);

  // At most one titulaire and one co-titulaire per household (partial unique indexes).
  await db.schema
    .createTable('household_members')
    .addColumn('household_id', 'text', ref('households'))
    .addColumn('person_id', 'text', ref('persons'))
    .addColumn('role', 'text', enumOf('role', ['titulaire', 'co_titulaire', 'enfant', 'entourage']))
    .addColumn('relationship', 'text')
    .addColumn('can_pick_up', 'integer', bool('can_pick_up', 0))
    .addColumn('emergency_contact', 'integer', bool('emergency_contact', 0))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', required)
    .addColumn('updated_at', 'text', required)
    .addPrimaryKeyConstraint('household_members_pk', ['household_id', 'person_id'])
    .execute();
  await indexes(db, 'household_members', ['person_id']);
  for (const role of ['titulaire', 'co_titulaire']) {
    await db.schema
      .createIndex(`household_members_one_${role}_idx`)
      .on('household_members')
      .column('household_id')
      .unique()
      .where(sql.ref('role'), '=', role)
      .execute();
  }

  // `related_person_id` is `relation` of `person_id` (e.g. the mother of the child),
  // and may hold parental authority over them.
  await db.schema
    .createTable('person_relations')
    .addColumn('id', 'text', primaryId)
    .addColumn('person_id', 'text', ref('persons'))
    .addColumn('related_person_id', 'text', ref('persons'))
    .addColumn('relation', 'text', required)
    .addColumn('parental_authority', 'integer', bool('parental_authority', 0))
    .addColumn('updated_at', 'text', required)
    .addUniqueConstraint('person_relations_pair_unique', ['person_id', 'related_person_id'])
    .addCheckConstraint('person_relations_not_self', sql`person_id <> related_person_id`)
    .execute();
  await indexes(db, 'person_relations', ['related_person_id']);

  await db.schema
    .createTable('authorisations')
    .addColumn('id', 'text', primaryId)
    .addColumn('person_id', 'text', ref('persons'))
    .addColumn(
      'kind',
      'text',
      enumOf('kind', ['droit_image', 'sortie_seul', 'transport', 'soins_urgence', 'autre']),
    )
    .addColumn('granted', 'integer', bool('granted', 0))
    .addColumn('valid_from', 'text')
    .addColumn('valid_to', 'text')
    .addColumn('details', 'text')
    .addColumn('updated_at', 'text', required)
    .addCheckConstraint('authorisations_validity_ordered', ordered('valid_from', 'valid_to'))
    .execute();
  await indexes(db, 'authorisations', ['person_id']);

  await db.schema
    .createTable('health_notes')
    .addColumn('id', 'text', primaryId)
    .addColumn('person_id', 'text', ref('persons'))
    .addColumn('kind', 'text', enumOf('kind', ['allergie', 'pai', 'regime', 'traitement', 'autre']))
    .addColumn('label', 'text', required)
    .addColumn('details', 'text')
    .addColumn('updated_at', 'text', required)
    .execute();
  await indexes(db, 'health_notes', ['person_id']);

  // Quotient familial, in whole euros. No valid record on a day = highest bracket.
  await db.schema
    .createTable('qf_records')
    .addColumn('id', 'text', primaryId)
    .addColumn('household_id', 'text', ref('households'))
    .addColumn('value', 'integer', nonNegative('value'))
    .addColumn('source', 'text', enumOf('source', ['caf', 'msa', 'avis_imposition', 'autre']))
    .addColumn('valid_from', 'text', required)
    .addColumn('valid_to', 'text')
    .addColumn('created_at', 'text', required)
    .addColumn('updated_at', 'text', required)
    .addCheckConstraint('qf_records_validity_ordered', ordered('valid_from', 'valid_to'))
    .execute();
  await indexes(db, 'qf_records', [['household_id', 'valid_from']]);
}
