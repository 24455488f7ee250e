/**
 * Void receipts. A receipt printed at the counter is a fact even when the server refuses the payment command
 * that printed it (the family unknown to the server, an agent whose role was withdrawn while the desk was
 * offline): its number is kept as a void receipt, with no payment and the reason, so every desk's numbers stay
 * gapless and the régisseur sees why one was cancelled.
 *
 * `payment_id` becomes nullable and `void_reason` is added; a receipt has exactly one of the two. SQLite cannot
 * drop a NOT NULL, so the table is rebuilt (nothing references receipts); PostgreSQL alters it in place.
 */
import { PostgresAdapter, sql } from 'kysely';
import { indexes, primaryId, ref, required } from './helpers';
import type { MigrationDb } from './helpers';

const COLUMNS = ['id', 'number', 'payment_id', 'desk_id', 'issued_at', 'updated_at'] as const;
const oneOfPaymentOrReason = sql`(payment_id is null) <> (void_reason is null)`;

export async function up(db: MigrationDb): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await db.schema
      .alterTable('receipts')
      .alterColumn('payment_id', (c) => c.dropNotNull())
      .execute();
    await db.schema.alterTable('receipts').addColumn('void_reason', 'text').execute();
    await db.schema
      .alterTable('receipts')
      .addCheckConstraint('receipts_payment_or_void_reason', oneOfPaymentOrReason)
      .execute();
    return;
  }
  await db.schema
    .createTable('receipts_v2')
    .addColumn('id', 'text', primaryId)
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('payment_id', 'text', (c) => c.unique().references('payments.id'))
    .addColumn('desk_id', 'text', ref('desks', { nullable: true }))
    .addColumn('issued_at', 'text', required)
    .addColumn('updated_at', 'text', required)
    .addColumn('void_reason', 'text')
    .addCheckConstraint('receipts_payment_or_void_reason', oneOfPaymentOrReason)
    .execute();
  const list = sql.join(COLUMNS.map((c) => sql.ref(c)));
  await sql`INSERT INTO receipts_v2 (${list}) SELECT ${list} FROM receipts`.execute(db);
  await db.schema.dropTable('receipts').execute();
  await db.schema.alterTable('receipts_v2').renameTo('receipts').execute();
  await indexes(db, 'receipts', [['desk_id', 'issued_at']]);
}
