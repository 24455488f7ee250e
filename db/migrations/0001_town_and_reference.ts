/**
 * The town itself, its sites, the school holidays, and the content-addressed
 * blob store (first, because the town's logo already points into it).
 */
import { sql } from 'kysely';
import { blobType, bool, enumOf, indexes, nonNegative, ordered, primaryId, ref, required } from './helpers';
import type { MigrationDb } from './helpers';

export async function up(db: MigrationDb): Promise<void> {
  // Content-addressed files (scans, photos, PDFs, logo). `data` is NULL while the
  // content is known by its hash but not transferred yet (uploads and downloads
  // are resumable and travel apart from metadata). Not replicated row by row.
  await db.schema
    .createTable('blobs')
    .addColumn('hash', 'text', (c) =>
      c
        .primaryKey()
        .notNull()
        .check(sql`length(hash) = 64`),
    )
    .addColumn('size', 'integer', nonNegative('size'))
    .addColumn('content_type', 'text', required)
    .addColumn('data', blobType(db))
    .addColumn('created_at', 'text', required)
    .execute();

  // One row: the town running this installation.
  await db.schema
    .createTable('towns')
    .addColumn('id', 'text', primaryId)
    .addColumn('name', 'text', required)
    .addColumn('insee_code', 'text', required)
    .addColumn('street', 'text')
    .addColumn('postcode', 'text')
    .addColumn('city', 'text')
    .addColumn('phone', 'text')
    .addColumn('email', 'text')
    .addColumn('website', 'text')
    .addColumn('logo_blob_hash', 'text', ref('blobs.hash', { nullable: true }))
    .addColumn('settings_json', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'text', required)
    .addColumn('updated_at', 'text', required)
    .execute();
  await indexes(db, 'towns', ['logo_blob_hash']);

  await db.schema
    .createTable('sites')
    .addColumn('id', 'text', primaryId)
    .addColumn('name', 'text', required)
    .addColumn('kind', 'text', enumOf('kind', ['maternelle', 'elementaire', 'restaurant', 'autre']))
    .addColumn('address', 'text')
    .addColumn('postcode', 'text')
    .addColumn('city', 'text')
    .addColumn('phone', 'text')
    .addColumn('active', 'integer', bool('active', 1))
    .addColumn('created_at', 'text', required)
    .addColumn('updated_at', 'text', required)
    .execute();

  // Entered by an administrator each year (zone of the academy included in the label).
  await db.schema
    .createTable('school_holiday_periods')
    .addColumn('id', 'text', primaryId)
    .addColumn('label', 'text', required)
    .addColumn('code', 'text', required)
    .addColumn('start_day', 'text', required)
    .addColumn('end_day', 'text', required)
    .addColumn('updated_at', 'text', required)
    .addCheckConstraint('school_holiday_periods_days_ordered', ordered('start_day', 'end_day'))
    .addUniqueConstraint('school_holiday_periods_code_start_unique', ['code', 'start_day'])
    .execute();
}
