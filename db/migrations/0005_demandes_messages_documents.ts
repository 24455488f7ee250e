/**
 * What parents ask (demandes, with their numbered history), the message threads
 * between a household and a service, and documents (pièces justificatives, the
 * parent's private store, the town's scans) with up to four files each.
 * Placed before bookings so absences and bookings can point at their demande.
 */
import { sql } from 'kysely';
import { enumOf, indexes, nonNegative, primaryId, ref, required } from './helpers';
import type { MigrationDb } from './helpers';

const DEMANDE_STATUSES = ['en_attente', 'en_cours', 'traitee_positivement', 'refusee'];

export async function up(db: MigrationDb): Promise<void> {
  // `number` ("DEMANDE N° 24") comes from the server's `counters`; NULL until the
  // server has numbered it (a demande recorded at an offline desk).
  await db.schema
    .createTable('demandes')
    .addColumn('id', 'text', primaryId)
    .addColumn('number', 'integer', (c) => c.unique())
    .addColumn('household_id', 'text', ref('households'))
    .addColumn('requester_person_id', 'text', ref('persons', { nullable: true }))
    .addColumn('requester_account_id', 'text', ref('citizen_accounts', { nullable: true }))
    .addColumn(
      'type',
      'text',
      enumOf('type', [
        'inscription',
        'reservation',
        'absence',
        'coordonnees',
        'qf',
        'prelevement',
        'facture_en_ligne',
        'document',
        'autre',
      ]),
    )
    .addColumn('status', 'text', enumOf('status', DEMANDE_STATUSES, { default: 'en_attente' }))
    .addColumn('subject', 'text', required)
    .addColumn('payload_json', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('assigned_agent_id', 'text', ref('agents', { nullable: true }))
    .addColumn('decided_at', 'text')
    .addColumn('created_at', 'text', required)
    .addColumn('updated_at', 'text', required)
    .execute();
  await indexes(db, 'demandes', [
    ['household_id', 'created_at'],
    'requester_person_id',
    'requester_account_id',
    'assigned_agent_id',
    ['status', 'created_at'],
  ]);

  // The numbered history of a demande: seq 1 is its creation. `actor_id` is an
  // account id, an agent id, or NULL for the system.
  await db.schema
    .createTable('demande_events')
    .addColumn('id', 'text', primaryId)
    .addColumn('demande_id', 'text', ref('demandes'))
    .addColumn('seq', 'integer', (c) => c.notNull().check(sql`seq >= 1`))
    .addColumn('status', 'text', enumOf('status', DEMANDE_STATUSES))
    .addColumn('comment', 'text')
    .addColumn('actor_kind', 'text', enumOf('actor_kind', ['citoyen', 'agent', 'systeme']))
    .addColumn('actor_id', 'text')
    .addColumn('at', 'text', required)
    .addColumn('updated_at', 'text', required)
    .addUniqueConstraint('demande_events_demande_seq_unique', ['demande_id', 'seq'])
    .execute();

  // `service`: who answers on the town's side (e.g. 'enfance', 'restauration', 'regie').
  await db.schema
    .createTable('message_threads')
    .addColumn('id', 'text', primaryId)
    .addColumn('household_id', 'text', ref('households'))
    .addColumn('demande_id', 'text', ref('demandes', { nullable: true }))
    .addColumn('service', 'text', required)
    .addColumn('subject', 'text', required)
    .addColumn('unread_household', 'integer', nonNegative('unread_household', { default: 0 }))
    .addColumn('unread_agents', 'integer', nonNegative('unread_agents', { default: 0 }))
    .addColumn('last_message_at', 'text', required)
    .addColumn('created_at', 'text', required)
    .addColumn('updated_at', 'text', required)
    .execute();
  await indexes(db, 'message_threads', [['household_id', 'last_message_at'], 'demande_id']);

  await db.schema
    .createTable('messages')
    .addColumn('id', 'text', primaryId)
    .addColumn('thread_id', 'text', ref('message_threads'))
    .addColumn('author_kind', 'text', enumOf('author_kind', ['citoyen', 'agent']))
    .addColumn('author_id', 'text')
    .addColumn('body', 'text', required)
    .addColumn('sent_at', 'text', required)
    .addColumn('read_at', 'text')
    .addColumn('updated_at', 'text', required)
    .execute();
  await indexes(db, 'messages', [['thread_id', 'sent_at']]);

  // space: famille (the family file, seen by agents), prive_citoyen (the parent's
  // private store: agents never see it; owner_account_id required), mairie (town's).
  // `qualification`: justificatif_absence, attestation_caf, avis_imposition,
  // justificatif_domicile, certificat_medical, vaccinations, scan, …
  await db.schema
    .createTable('documents')
    .addColumn('id', 'text', primaryId)
    .addColumn('household_id', 'text', ref('households', { nullable: true }))
    .addColumn('person_id', 'text', ref('persons', { nullable: true }))
    .addColumn('demande_id', 'text', ref('demandes', { nullable: true }))
    .addColumn('owner_account_id', 'text', ref('citizen_accounts', { nullable: true }))
    .addColumn('space', 'text', enumOf('space', ['famille', 'prive_citoyen', 'mairie']))
    .addColumn('qualification', 'text', required)
    .addColumn('title', 'text', required)
    .addColumn('number', 'text')
    .addColumn('issuing_authority', 'text')
    .addColumn('issued_on', 'text')
    .addColumn('valid_until', 'text')
    .addColumn('created_at', 'text', required)
    .addColumn('created_by_kind', 'text', enumOf('created_by_kind', ['citoyen', 'agent', 'systeme']))
    .addColumn('created_by_id', 'text')
    .addColumn('updated_at', 'text', required)
    .addCheckConstraint(
      'documents_private_has_owner',
      sql`space <> 'prive_citoyen' or owner_account_id is not null`,
    )
    .execute();
  await indexes(db, 'documents', [
    'household_id',
    'person_id',
    'demande_id',
    'owner_account_id',
    'valid_until',
  ]);

  await db.schema
    .createTable('document_files')
    .addColumn('id', 'text', primaryId)
    .addColumn('document_id', 'text', ref('documents'))
    .addColumn('blob_hash', 'text', ref('blobs.hash'))
    .addColumn('filename', 'text', required)
    .addColumn('content_type', 'text', required)
    .addColumn('position', 'integer', (c) => c.notNull().check(sql`${sql.ref('position')} between 1 and 4`))
    .addColumn('updated_at', 'text', required)
    .addUniqueConstraint('document_files_document_position_unique', ['document_id', 'position'])
    .execute();
  await indexes(db, 'document_files', ['blob_hash']);

  // The QF's supporting document (qf_records was created in 0002).
  await db.schema
    .alterTable('qf_records')
    .addColumn('document_id', 'text', ref('documents', { nullable: true }))
    .execute();
  await indexes(db, 'qf_records', ['document_id']);
}
