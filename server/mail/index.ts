// The server's mail service: the transport (SMTP from GF_SMTP_URL, else logged only) and the outbox sender job.
import type BetterSqlite3 from 'better-sqlite3';
import { demandeStatements } from '../../db/repositories/demande-records';
import { MailSender } from '../jobs/mail-sender';
import type { MailSenderOptions } from '../jobs/mail-sender';
import { mailTransportFromEnv } from './transport';
import type { MailTransport } from './transport';

export interface MailOptions {
  /** Default: SMTP from GF_SMTP_URL, else a transport that only logs (said once at start). */
  transport?: MailTransport;
  /** Sender; default GF_MAIL_FROM, else "<town> — Espace Famille <town e-mail>". */
  from?: string;
  /** False: mails are queued but not sent by this process. Default true. */
  send?: boolean;
  pollMs?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
}

function defaultFrom(sqlite: BetterSqlite3.Database): string {
  const env = process.env.GF_MAIL_FROM?.trim();
  if (env) return env;
  const town = demandeStatements(sqlite).town();
  const name = `${town?.name ?? 'Mairie'} — Espace Famille`.replace(/"/g, '');
  return `"${name}" <${town?.email ?? 'espace-famille@localhost'}>`;
}

/** Starts the mail sender (unless `send: false`); the caller stops it when the server closes. */
export function startMailService(
  sqlite: BetterSqlite3.Database,
  options: MailOptions = {},
  now?: () => Date,
): MailSender | null {
  if (options.send === false) return null;
  let transport = options.transport;
  if (!transport) {
    const chosen = mailTransportFromEnv();
    transport = chosen.transport;
    if (!chosen.delivers && !process.env.VITEST) console.info(`[mail] ${chosen.description}.`);
  }
  const senderOptions: MailSenderOptions = {
    sqlite,
    transport,
    from: () => options.from ?? defaultFrom(sqlite),
    ...(now ? { now } : {}),
    ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
    ...(options.retryBaseMs !== undefined ? { retryBaseMs: options.retryBaseMs } : {}),
    ...(options.retryMaxMs !== undefined ? { retryMaxMs: options.retryMaxMs } : {}),
  };
  const sender = new MailSender(senderOptions);
  sender.start();
  return sender;
}
