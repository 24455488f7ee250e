/**
 * The server's mail outbox (table mail_outbox): rows written in the transaction of the decision that causes
 * them, then sent after commit by server/jobs/mail-sender.ts. Prepared better-sqlite3 statements.
 */
import type { Row } from '../schema';
import { preparedFor } from './sync-server';

export interface NewMail {
  id: string;
  kind: string;
  refId: string | null;
  householdId: string | null;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  at: string;
}

export type MailRow = Row<'mail_outbox'>;

export const mailOutboxStatements = preparedFor((sqlite) => {
  const insert = sqlite.prepare(
    `INSERT INTO mail_outbox (id, kind, ref_id, household_id, to_address, subject, text_body, html_body, created_at,
       attempts, next_attempt_at)
     VALUES (@id, @kind, @refId, @householdId, @to, @subject, @text, @html, @at, 0, @at)`,
  );
  const due = sqlite.prepare(
    `SELECT * FROM mail_outbox WHERE sent_at IS NULL AND next_attempt_at <= ?
     ORDER BY next_attempt_at, created_at, id LIMIT ?`,
  );
  const nextDue = sqlite.prepare('SELECT MIN(next_attempt_at) AS at FROM mail_outbox WHERE sent_at IS NULL');
  const markSent = sqlite.prepare(
    `UPDATE mail_outbox SET sent_at = @at, next_attempt_at = NULL, attempts = attempts + 1, last_error = NULL,
       message_id = @messageId WHERE id = @id AND sent_at IS NULL`,
  );
  const markFailed = sqlite.prepare(
    `UPDATE mail_outbox SET attempts = attempts + 1, next_attempt_at = @next, last_error = @error
     WHERE id = @id AND sent_at IS NULL`,
  );
  const byRef = sqlite.prepare('SELECT * FROM mail_outbox WHERE ref_id = ? ORDER BY created_at, id');
  const unsent = sqlite.prepare('SELECT COUNT(*) AS n FROM mail_outbox WHERE sent_at IS NULL');
  return {
    insert: (mail: NewMail): void => void insert.run(mail),
    /** Unsent mails whose next attempt is due at `now`, oldest first. */
    due: (now: string, limit: number) => due.all(now, limit) as MailRow[],
    /** When the next unsent mail is due (null when none is waiting). */
    nextDueAt: (): string | null => (nextDue.get() as { at: string | null }).at,
    markSent: (id: string, at: string, messageId: string | null): void =>
      void markSent.run({ id, at, messageId }),
    markFailed: (id: string, next: string, error: string): void => void markFailed.run({ id, next, error }),
    byRef: (refId: string) => byRef.all(refId) as MailRow[],
    unsentCount: (): number => (unsent.get() as { n: number }).n,
  };
});
