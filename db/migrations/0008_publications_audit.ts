/**
 * The public side (actualités, infos pratiques, menus, the town's documents)
 * and the audit trail of what agents, desks and parents did.
 */
import { enumOf, indexes, primaryId, ref, required } from './helpers';
import type { MigrationDb } from './helpers';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('publications')
    .addColumn('id', 'text', primaryId)
    .addColumn('kind', 'text', enumOf('kind', ['actualite', 'info_pratique']))
    .addColumn('title', 'text', required)
    .addColumn('body', 'text', required)
    .addColumn('published_on', 'text', required)
    .addColumn('expires_on', 'text')
    .addColumn('created_at', 'text', required)
    .addColumn('updated_at', 'text', required)
    .execute();
  await indexes(db, 'publications', [['kind', 'published_on']]);

  // A menu with no site is the town-wide menu of the day.
  await db.schema
    .createTable('menus')
    .addColumn('id', 'text', primaryId)
    .addColumn('site_id', 'text', ref('sites', { nullable: true }))
    .addColumn('day', 'text', required)
    .addColumn('starter', 'text')
    .addColumn('main', 'text')
    .addColumn('dessert', 'text')
    .addColumn('dairy', 'text')
    .addColumn('notes', 'text')
    .addColumn('updated_at', 'text', required)
    .addUniqueConstraint('menus_site_day_unique', ['site_id', 'day'])
    .execute();
  await indexes(db, 'menus', ['day']);

  await db.schema
    .createTable('town_documents')
    .addColumn('id', 'text', primaryId)
    .addColumn('title', 'text', required)
    .addColumn(
      'category',
      'text',
      enumOf('category', ['tarifs', 'reglement', 'fiche_inscription', 'menu', 'autre']),
    )
    .addColumn('blob_hash', 'text', ref('blobs.hash'))
    .addColumn('filename', 'text', required)
    .addColumn('published_on', 'text', required)
    .addColumn('updated_at', 'text', required)
    .execute();
  await indexes(db, 'town_documents', ['blob_hash', ['category', 'published_on']]);

  // Append-only. The actors (agent, desk) are real foreign keys: they are never
  // deleted. The subject (account, household, entity) is a soft reference, so the
  // trail outlives what it describes (an erased household keeps its history).
  // `reason` is required by the services when an agent overrides a rule.
  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'text', primaryId)
    .addColumn('at', 'text', required)
    .addColumn('agent_id', 'text', ref('agents', { nullable: true }))
    .addColumn('desk_id', 'text', ref('desks', { nullable: true }))
    .addColumn('account_id', 'text')
    .addColumn('household_id', 'text')
    .addColumn('action', 'text', required)
    .addColumn('entity', 'text', required)
    .addColumn('entity_id', 'text')
    .addColumn('reason', 'text')
    .addColumn('details_json', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('updated_at', 'text', required)
    .execute();
  await indexes(db, 'audit_log', [
    ['household_id', 'at'],
    ['agent_id', 'at'],
    ['desk_id', 'at'],
    ['entity', 'entity_id'],
  ]);
}
