/**
 * How the server sends e-mail: nodemailer over SMTP when configured (`GF_SMTP_URL`, e.g.
 * `smtp://user:pass@smtp.mairie.fr:587`; sender `GF_MAIL_FROM`, else the town's address), otherwise a JSON
 * transport that only logs each mail (demo / `npm start` without SMTP: nothing leaves the machine, and the
 * server says so when it starts).
 */
import nodemailer from 'nodemailer';

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
}

/** What the mail sender needs of a transport (nodemailer's Transporter fits; tests may pass their own). */
export interface MailTransport {
  sendMail(mail: OutgoingMail): Promise<{ messageId?: string }>;
  close?(): void;
}

export interface MailTransportChoice {
  transport: MailTransport;
  /** For the server log: where mail goes. */
  description: string;
  /** False when mails are only logged (no SMTP configured). */
  delivers: boolean;
}

export function smtpTransport(url: string): MailTransport {
  return nodemailer.createTransport(url) as unknown as MailTransport;
}

/** A transport that delivers nothing: each mail is logged (one line) and kept as JSON. */
export function loggingTransport(log: (line: string) => void = (line) => console.log(line)): MailTransport {
  const json = nodemailer.createTransport({ jsonTransport: true });
  return {
    async sendMail(mail) {
      const info = await json.sendMail(mail);
      log(`[mail] non envoyé (pas de serveur SMTP : GF_SMTP_URL) — à ${mail.to} : ${mail.subject}`);
      return { messageId: info.messageId };
    },
    close: () => json.close(),
  };
}

/** The transport from the environment: SMTP when `GF_SMTP_URL` is set, else the logging JSON transport. */
export function mailTransportFromEnv(env: NodeJS.ProcessEnv = process.env): MailTransportChoice {
  const url = env.GF_SMTP_URL?.trim();
  if (url) {
    const host = (() => {
      try {
        return new URL(url).host;
      } catch {
        return 'serveur SMTP';
      }
    })();
    return { transport: smtpTransport(url), description: `SMTP ${host}`, delivers: true };
  }
  return {
    transport: loggingTransport(),
    description:
      'aucun serveur SMTP (GF_SMTP_URL non défini) : les courriels sont seulement écrits dans le journal',
    delivers: false,
  };
}
