// Queuing a mail to a family inside the writing transaction: it is sent after commit by the mail sender job.
import type BetterSqlite3 from 'better-sqlite3';
import { newId } from '../../core/ids';
import { mailOutboxStatements } from '../../db/repositories/mail-outbox';
import type { MailContent } from './templates';

export interface QueuedMail extends MailContent {
  kind: string;
  refId: string | null;
  householdId: string | null;
  to: string;
}

/** Writes the mail into mail_outbox (call inside the transaction of the decision); returns its id. */
export function queueMail(sqlite: BetterSqlite3.Database, mail: QueuedMail, at: string): string {
  const id = newId();
  mailOutboxStatements(sqlite).insert({
    id,
    kind: mail.kind,
    refId: mail.refId,
    householdId: mail.householdId,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    at,
  });
  return id;
}
