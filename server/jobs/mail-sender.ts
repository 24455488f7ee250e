/**
 * Sends the mail outbox (mail_outbox) after commit: each due mail is handed to the transport, then marked sent;
 * a failure (SMTP down, refused) is recorded and retried with exponential backoff (30 s → 1 h by default),
 * forever — a mail is never dropped. At-least-once: a crash between the SMTP server's answer and the mark may
 * send a mail twice, never zero times.
 *
 * Wakes up when the server commits changes (the change feed: a decision writes its mail with its change rows),
 * when a retry falls due, and every `pollMs` anyway.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { mailOutboxStatements } from '../../db/repositories/mail-outbox';
import type { MailRow } from '../../db/repositories/mail-outbox';
import type { MailTransport } from '../mail/transport';
import { changeFeedOf } from '../sync/change-log';

export interface MailSenderOptions {
  sqlite: BetterSqlite3.Database;
  transport: MailTransport;
  /** Sender address ("Mairie de … <enfance@…>"); read at each send (the town may change it). */
  from: () => string;
  now?: () => Date;
  /** Check the outbox at least this often (default 30 s). */
  pollMs?: number;
  /** First retry delay (default 30 s), doubled per failed attempt up to `retryMaxMs` (default 1 h). */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Mails per round (default 20). */
  batchSize?: number;
  logError?: (message: string, details: Record<string, unknown>) => void;
}

export interface MailRound {
  sent: number;
  failed: number;
}

export class MailSender {
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private running: Promise<MailRound> | null = null;
  private again = false;
  private stopped = true;

  constructor(private readonly options: MailSenderOptions) {}

  /** Starts watching the outbox (sends what is already due at once). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.unsubscribe = changeFeedOf(this.options.sqlite).subscribe(() => this.kick());
    this.kick();
  }

  /** Stops the timers; waits for a round in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
    this.options.transport.close?.();
  }

  /** Asks for a round soon (after a commit that may have queued mail). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  /** Sends every mail due now; resolves with what happened (tests and the timer call it). */
  runOnce(): Promise<MailRound> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const round = this.round().finally(() => {
      this.running = null;
      if (this.stopped) return;
      if (this.again) {
        this.again = false;
        this.schedule(0);
      } else this.scheduleNext();
    });
    this.running = round;
    return round;
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.runOnce();
    }, ms);
    this.timer.unref();
  }

  /** Next round: when the next retry falls due, at the latest after `pollMs`. */
  private scheduleNext(): void {
    if (!this.options.sqlite.open) return;
    const poll = this.options.pollMs ?? 30_000;
    const nextDue = mailOutboxStatements(this.options.sqlite).nextDueAt();
    const untilDue = nextDue === null ? poll : Date.parse(nextDue) - this.now().getTime();
    this.schedule(Math.max(0, Math.min(poll, untilDue)));
  }

  private retryDelay(attempts: number): number {
    const base = this.options.retryBaseMs ?? 30_000;
    const max = this.options.retryMaxMs ?? 3_600_000;
    return Math.min(max, base * 2 ** Math.min(attempts, 20));
  }

  private async round(): Promise<MailRound> {
    try {
      return await this.sendDue();
    } catch (error) {
      // The database was closed under the job, or is busy: nothing is lost, the next round retries.
      if (this.options.sqlite.open && !this.stopped) {
        (this.options.logError ?? ((m, d) => console.warn(`[mail] ${m}`, d)))('Tour d’envoi interrompu', {
          error: error instanceof Error ? error.message : String(error),
        });
      }
      return { sent: 0, failed: 0 };
    }
  }

  private async sendDue(): Promise<MailRound> {
    if (!this.options.sqlite.open) return { sent: 0, failed: 0 };
    const q = mailOutboxStatements(this.options.sqlite);
    const result: MailRound = { sent: 0, failed: 0 };
    const due = q.due(this.now().toISOString(), this.options.batchSize ?? 20);
    for (const mail of due) {
      if (this.stopped) break;
      if (await this.send(mail)) result.sent += 1;
      else result.failed += 1;
    }
    if (due.length === (this.options.batchSize ?? 20) && result.failed === 0) this.again = true;
    return result;
  }

  private async send(mail: MailRow): Promise<boolean> {
    const q = mailOutboxStatements(this.options.sqlite);
    try {
      const info = await this.options.transport.sendMail({
        from: this.options.from(),
        to: mail.to_address,
        subject: mail.subject,
        text: mail.text_body,
        ...(mail.html_body ? { html: mail.html_body } : {}),
      });
      q.markSent(mail.id, this.now().toISOString(), info.messageId ?? null);
      return true;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const next = new Date(this.now().getTime() + this.retryDelay(mail.attempts)).toISOString();
      q.markFailed(mail.id, next, message.slice(0, 500));
      (this.options.logError ?? ((m, d) => console.warn(`[mail] ${m}`, d)))(
        'Envoi du courriel impossible, nouvel essai plus tard',
        { mailId: mail.id, to: mail.to_address, attempts: mail.attempts + 1, next, error: message },
      );
      return false;
    }
  }
}
