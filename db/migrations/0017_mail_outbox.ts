/**
 * The server's outbox of e-mails to families (a demande decided, …). A row is written in the same transaction
 * as the decision that causes it, so a committed decision always has its mail; the mail sender
 * (server/jobs/mail-sender.ts) sends rows after commit and marks them sent, retrying with backoff — a mail is
 * never lost when the SMTP server is down. Server only: never replicated, stripped from desk snapshots.
 *
 * `kind`: what the mail is about ('demande_decision', …); `ref_id`: the row it is about (the demande's id);
 * `next_attempt_at`: when to try next (NULL once sent).
 */
import { sql } from 'kysely';
import { indexes, nonNegative, primaryId, required } from './helpers';
import type { MigrationDb } from './helpers';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('mail_outbox')
    .addColumn('id', 'text', primaryId)
    .addColumn('kind', 'text', required)
    .addColumn('ref_id', 'text')
    .addColumn('household_id', 'text')
    .addColumn('to_address', 'text', required)
    .addColumn('subject', 'text', required)
    .addColumn('text_body', 'text', required)
    .addColumn('html_body', 'text')
    .addColumn('created_at', 'text', required)
    .addColumn('attempts', 'integer', nonNegative('attempts', { default: 0 }))
    .addColumn('next_attempt_at', 'text')
    .addColumn('last_error', 'text')
    .addColumn('sent_at', 'text')
    .addColumn('message_id', 'text')
    .addCheckConstraint('mail_outbox_sent_or_due', sql`sent_at is not null or next_attempt_at is not null`)
    .execute();
  await indexes(db, 'mail_outbox', [['sent_at', 'next_attempt_at'], 'ref_id']);
}
