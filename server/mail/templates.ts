// French e-mails to families. Plain text first (what every mail client shows), a simple HTML twin.
import { formatDayFr, parisDay } from '../../core/calendar/paris';
import { SERVICE_LABELS, serviceOfDemande } from '../../core/demandes/labels';
import type { DemandeDecision } from '../../core/demandes/labels';

export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

function greeting(firstNames: string | null, lastName: string | null): string {
  const first = firstNames?.trim().split(/\s+/)[0] ?? '';
  const name = [first, lastName?.toLocaleUpperCase('fr-FR') ?? ''].filter(Boolean).join(' ');
  return name ? `Bonjour ${name},` : 'Bonjour,';
}

export interface DemandeDecisionMail {
  decision: DemandeDecision;
  number: number | null;
  type: string;
  subject: string;
  createdAt: string;
  message: string;
  townName: string;
  firstNames: string | null;
  lastName: string | null;
}

/** The mail telling a family its demande was accepted or refused, with the agent's message. */
export function demandeDecisionMail(input: DemandeDecisionMail): MailContent {
  const reference = input.number === null ? 'Votre demande' : `Votre demande N° ${input.number}`;
  const verdict = input.decision === 'accepter' ? 'a été traitée positivement' : 'a été refusée';
  const service = SERVICE_LABELS[serviceOfDemande(input.type)] ?? 'Le service Enfance';
  const madeOn = formatDayFr(parisDay(input.createdAt));
  const lines = [
    greeting(input.firstNames, input.lastName),
    '',
    `${reference} « ${input.subject} » du ${madeOn} ${verdict}.`,
    '',
    `Message du service (${service}) :`,
    input.message,
    '',
    'Vous retrouvez cette demande, son historique et ce message dans votre Espace Famille, rubrique « Mes demandes » ; vous pouvez y répondre au service.',
    '',
    'Cordialement,',
    `${input.townName} — Espace Famille`,
    '',
    'Ce courriel est envoyé automatiquement : merci de ne pas y répondre.',
  ];
  const subject = `${input.number === null ? 'Votre demande' : `Demande N° ${input.number}`} : ${
    input.decision === 'accepter' ? 'traitée positivement' : 'refusée'
  } — ${input.subject}`;
  const html = [
    `<p>${escapeHtml(greeting(input.firstNames, input.lastName))}</p>`,
    `<p>${escapeHtml(`${reference} « ${input.subject} » du ${madeOn}`)} <strong>${escapeHtml(verdict)}</strong>.</p>`,
    `<p>Message du service (${escapeHtml(service)}) :</p>`,
    `<blockquote style="border-left:3px solid #1565c0;margin:0;padding-left:12px">${escapeHtml(input.message).replace(/\n/g, '<br>')}</blockquote>`,
    '<p>Vous retrouvez cette demande, son historique et ce message dans votre Espace Famille, rubrique « Mes demandes » ; vous pouvez y répondre au service.</p>',
    `<p>Cordialement,<br>${escapeHtml(input.townName)} — Espace Famille</p>`,
    '<p style="color:#666;font-size:12px">Ce courriel est envoyé automatiquement : merci de ne pas y répondre.</p>',
  ].join('\n');
  return { subject, text: lines.join('\n'), html };
}
