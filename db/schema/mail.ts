import type { Defaulted, Id, Instant } from './common';

/** Server only: e-mails to families, written with the decision that causes them, sent after commit. */
export interface MailOutboxTable {
  id: Id;
  /** 'demande_decision', … */
  kind: string;
  /** The row the mail is about (a demande's id). */
  ref_id: Id | null;
  household_id: Id | null;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  created_at: Instant;
  attempts: Defaulted<number>;
  /** When to try next; NULL once sent. */
  next_attempt_at: Instant | null;
  last_error: string | null;
  sent_at: Instant | null;
  /** The SMTP server's message id. */
  message_id: string | null;
}
