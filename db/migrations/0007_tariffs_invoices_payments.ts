/**
 * Money, in integer cents: dated tariffs by QF bracket, monthly invoices and
 * their lines, payments with their allocations and receipts, SEPA mandates,
 * and the counters that number invoices, demandes and receipts without gaps.
 */
import { sql } from 'kysely';
import { enumOf, indexes, nonNegative, ordered, primaryId, ref, required } from './helpers';
import type { MigrationDb } from './helpers';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('tariff_versions')
    .addColumn('id', 'text', primaryId)
    .addColumn('activity_id', 'text', ref('activities'))
    .addColumn('label', 'text', required)
    .addColumn('valid_from', 'text', required)
    .addColumn('valid_to', 'text')
    .addColumn('updated_at', 'text', required)
    .addCheckConstraint('tariff_versions_validity_ordered', ordered('valid_from', 'valid_to'))
    .execute();
  await indexes(db, 'tariff_versions', [['activity_id', 'valid_from']]);

  // QF in whole euros, qf_min inclusive, qf_max inclusive (NULL = no ceiling).
  await db.schema
    .createTable('tariff_brackets')
    .addColumn('id', 'text', primaryId)
    .addColumn('tariff_version_id', 'text', ref('tariff_versions'))
    .addColumn('position', 'integer', required)
    .addColumn('label', 'text')
    .addColumn('qf_min', 'integer', nonNegative('qf_min'))
    .addColumn('qf_max', 'integer')
    .addColumn('updated_at', 'text', required)
    .addUniqueConstraint('tariff_brackets_version_position_unique', ['tariff_version_id', 'position'])
    .addCheckConstraint('tariff_brackets_range_ordered', ordered('qf_min', 'qf_max'))
    .execute();

  // price_code: MATIN, APRES_MIDI, REPAS_AV, DEMI_JOURNEE_SANS_REPAS, JOURNEE, AMENDE_RETARD, …
  await db.schema
    .createTable('tariff_prices')
    .addColumn('id', 'text', primaryId)
    .addColumn('tariff_version_id', 'text', ref('tariff_versions'))
    .addColumn('bracket_id', 'text', ref('tariff_brackets'))
    .addColumn('price_code', 'text', required)
    .addColumn('label', 'text')
    .addColumn('residency', 'text', enumOf('residency', ['resident', 'exterieur']))
    .addColumn('amount_cents', 'integer', nonNegative('amount_cents'))
    .addColumn('updated_at', 'text', required)
    .addUniqueConstraint('tariff_prices_bracket_code_residency_unique', [
      'bracket_id',
      'price_code',
      'residency',
    ])
    .execute();
  await indexes(db, 'tariff_prices', ['tariff_version_id']);

  // `number` is assigned by the server at issue time (counter 'invoice'), never
  // reused, no gaps; only a draft (or a cancelled draft) may lack one.
  // paid_cents may exceed total_cents: the overpayment is the household's credit.
  await db.schema
    .createTable('invoices')
    .addColumn('id', 'text', primaryId)
    .addColumn('number', 'text', (c) => c.unique())
    .addColumn('household_id', 'text', ref('households'))
    .addColumn('payer_person_id', 'text', ref('persons'))
    .addColumn('label', 'text', required)
    .addColumn('month', 'text', (c) => c.notNull().check(sql`length(${sql.ref('month')}) = 7`))
    .addColumn('issued_on', 'text')
    .addColumn('due_on', 'text')
    .addColumn('total_cents', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('paid_cents', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn(
      'status',
      'text',
      enumOf('status', ['brouillon', 'non_reglee', 'partiellement_reglee', 'reglee', 'annulee'], {
        default: 'brouillon',
      }),
    )
    .addColumn('pdf_blob_hash', 'text', ref('blobs.hash', { nullable: true }))
    .addColumn('sent_at', 'text')
    .addColumn('created_at', 'text', required)
    .addColumn('updated_at', 'text', required)
    .addCheckConstraint(
      'invoices_issued_have_number',
      sql`number is not null or status in ('brouillon', 'annulee')`,
    )
    .execute();
  await indexes(db, 'invoices', [
    ['household_id', 'month'],
    'payer_person_id',
    ['month', 'status'],
    'pdf_blob_hash',
  ]);

  await db.schema
    .createTable('invoice_lines')
    .addColumn('id', 'text', primaryId)
    .addColumn('invoice_id', 'text', ref('invoices'))
    .addColumn('person_id', 'text', ref('persons'))
    .addColumn('activity_id', 'text', ref('activities'))
    .addColumn('unit_id', 'text', ref('units', { nullable: true }))
    .addColumn('price_code', 'text', required)
    .addColumn('label', 'text', required)
    .addColumn('quantity', 'integer', required)
    .addColumn('unit_price_cents', 'integer', required)
    .addColumn('amount_cents', 'integer', required)
    .addColumn('position', 'integer', required)
    .addColumn('updated_at', 'text', required)
    .addUniqueConstraint('invoice_lines_invoice_position_unique', ['invoice_id', 'position'])
    .execute();
  await indexes(db, 'invoice_lines', ['person_id', 'activity_id', 'unit_id']);

  // A payment is a fact: never deleted, never edited in amount; a mistake is
  // corrected by a reversal (negative amount pointing at the reversed payment).
  // `origin_op_id` makes a payment pushed twice by a desk land once.
  await db.schema
    .createTable('payments')
    .addColumn('id', 'text', primaryId)
    .addColumn('household_id', 'text', ref('households'))
    .addColumn(
      'mode',
      'text',
      enumOf('mode', ['especes', 'cheque', 'carte', 'cesu', 'ancv', 'en_ligne', 'prelevement']),
    )
    .addColumn('amount_cents', 'integer', required)
    .addColumn('received_at', 'text', required)
    .addColumn('payer_name', 'text')
    .addColumn('desk_id', 'text', ref('desks', { nullable: true }))
    .addColumn('agent_id', 'text', ref('agents', { nullable: true }))
    .addColumn('bank', 'text')
    .addColumn('cheque_number', 'text')
    .addColumn('tpe_reference', 'text')
    .addColumn('provider', 'text')
    .addColumn('provider_reference', 'text')
    .addColumn('reversal_of_payment_id', 'text', ref('payments', { nullable: true }))
    .addColumn('origin_op_id', 'text', (c) => c.unique())
    .addColumn('created_at', 'text', required)
    .addColumn('updated_at', 'text', required)
    .addCheckConstraint(
      'payments_negative_only_reversal',
      sql`amount_cents >= 0 or reversal_of_payment_id is not null`,
    )
    .execute();
  await indexes(db, 'payments', [
    ['household_id', 'received_at'],
    ['desk_id', 'received_at'],
    'agent_id',
    'reversal_of_payment_id',
    ['provider', 'provider_reference'],
  ]);

  await db.schema
    .createTable('payment_allocations')
    .addColumn('id', 'text', primaryId)
    .addColumn('payment_id', 'text', ref('payments'))
    .addColumn('invoice_id', 'text', ref('invoices'))
    .addColumn('amount_cents', 'integer', required)
    .addColumn('updated_at', 'text', required)
    .addUniqueConstraint('payment_allocations_payment_invoice_unique', ['payment_id', 'invoice_id'])
    .execute();
  await indexes(db, 'payment_allocations', ['invoice_id']);

  // Reçu / quittance. A desk numbers its own receipts offline: `<receipt_prefix>-<n>`
  // from desk_counters, so numbers never clash between desks.
  await db.schema
    .createTable('receipts')
    .addColumn('id', 'text', primaryId)
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('payment_id', 'text', (c) => c.notNull().unique().references('payments.id'))
    .addColumn('desk_id', 'text', ref('desks', { nullable: true }))
    .addColumn('issued_at', 'text', required)
    .addColumn('updated_at', 'text', required)
    .execute();
  await indexes(db, 'receipts', [['desk_id', 'issued_at']]);

  await db.schema
    .createTable('sepa_mandates')
    .addColumn('id', 'text', primaryId)
    .addColumn('household_id', 'text', ref('households'))
    .addColumn('rum', 'text', (c) => c.notNull().unique())
    .addColumn('iban', 'text', required)
    .addColumn('bic', 'text')
    .addColumn('holder_name', 'text', required)
    .addColumn('signed_on', 'text', required)
    .addColumn('status', 'text', enumOf('status', ['actif', 'revoque'], { default: 'actif' }))
    .addColumn('revoked_on', 'text')
    .addColumn('created_at', 'text', required)
    .addColumn('updated_at', 'text', required)
    .execute();
  await indexes(db, 'sepa_mandates', ['household_id']);

  // Server-side numbering ('invoice', 'demande', …): read and bumped in the
  // transaction that uses the number, so a rollback leaves no gap.
  await db.schema
    .createTable('counters')
    .addColumn('name', 'text', (c) => c.primaryKey().notNull())
    .addColumn('value', 'integer', nonNegative('value', { default: 0 }))
    .execute();

  // Per-desk gapless numbering (receipts), kept on the desk and mirrored on the server.
  await db.schema
    .createTable('desk_counters')
    .addColumn('desk_id', 'text', ref('desks'))
    .addColumn('name', 'text', required)
    .addColumn('value', 'integer', nonNegative('value', { default: 0 }))
    .addPrimaryKeyConstraint('desk_counters_pk', ['desk_id', 'name'])
    .execute();
}
