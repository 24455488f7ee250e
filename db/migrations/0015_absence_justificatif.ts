/**
 * An absence's justificatif: the document (certificat médical, dérogation…) the agent attached when recording
 * it at the desk, already on file for the household. NULL when none was attached.
 */
import { indexes, ref } from './helpers';
import type { MigrationDb } from './helpers';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .alterTable('absences')
    .addColumn('document_id', 'text', ref('documents', { nullable: true }))
    .execute();
  await indexes(db, 'absences', ['document_id']);
}
