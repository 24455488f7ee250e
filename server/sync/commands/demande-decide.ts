/**
 * demande.decide v1 — an agent accepts or refuses a parent's demande, with a message to the family. In the op's
 * transaction: the demande's state, the next step of its numbered history, the agent's message in the family's
 * thread for this demande (created on first use), the audit row, and the e-mail to the family in the mail
 * outbox (sent after commit by server/jobs/mail-sender.ts). A demande already decided is refused.
 */
import { formatShortFr, parisDay } from '../../../core/calendar/paris';
import { newId } from '../../../core/ids';
import {
  DEMANDE_STATUS_LABELS,
  SERVICE_LABELS,
  isOpenDemande,
  serviceOfDemande,
  statusAfterDecision,
} from '../../../core/demandes/labels';
import type { DemandeStatusCode } from '../../../core/demandes/labels';
import type { DemandeDecideV1 } from '../../../core/sync/commands-demandes';
import { demandeStatements } from '../../../db/repositories/demande-records';
import { queueMail } from '../../mail/outbox';
import { demandeDecisionMail } from '../../mail/templates';
import { auditCommand } from './audit';
import { accepted, rejected } from './context';
import type { CommandHandler } from './context';

/** The subject of a demande's message thread. */
export function demandeThreadSubject(number: number | null, subject: string): string {
  return `${number === null ? 'Demande' : `Demande N° ${number}`} — ${subject}`;
}

export const decideDemande: CommandHandler<DemandeDecideV1> = (ctx, payload, actor) => {
  const q = demandeStatements(ctx.sqlite);
  const demande = q.demande(payload.demandeId);
  if (!demande) {
    return rejected(
      'DEMANDE_NOT_FOUND',
      "Cette demande n'existe pas sur le serveur : votre décision n'a pas été enregistrée.",
    );
  }
  if (!isOpenDemande(demande.status)) {
    const when = demande.decided_at ? ` le ${formatShortFr(parisDay(demande.decided_at))}` : '';
    return rejected(
      'DEMANDE_ALREADY_DECIDED',
      `La demande N° ${demande.number ?? '?'} a déjà été ${
        demande.status === 'refusee' ? 'refusée' : 'traitée'
      }${when} (${DEMANDE_STATUS_LABELS[demande.status as DemandeStatusCode]}) : votre décision n'a pas été enregistrée.`,
    );
  }
  const at = ctx.changes.at;
  const agentId = actor.kind === 'agent' ? actor.agentId : null;
  const status = statusAfterDecision(payload.decision);

  q.decide({ id: demande.id, status, agentId, at });
  ctx.changes.upsert('demandes', demande.id);

  const eventId = newId();
  q.insertEvent({
    id: eventId,
    demandeId: demande.id,
    seq: q.nextEventSeq(demande.id),
    status,
    comment: payload.message,
    actorKind: actor.kind === 'agent' ? 'agent' : 'citoyen',
    actorId: actor.kind === 'agent' ? actor.agentId : actor.accountId,
    at,
  });
  ctx.changes.upsert('demande_events', eventId, demande.household_id);

  let thread = q.threadOfDemande(demande.id);
  if (!thread) {
    const threadId = newId();
    q.insertThread({
      id: threadId,
      householdId: demande.household_id,
      demandeId: demande.id,
      service: serviceOfDemande(demande.type),
      subject: demandeThreadSubject(demande.number, demande.subject),
      at,
    });
    thread = q.threadOfDemande(demande.id);
  }
  if (!thread) throw new Error('message thread not written');
  const messageId = newId();
  q.insertMessage({
    id: messageId,
    threadId: thread.id,
    authorKind: 'agent',
    authorId: agentId,
    body: payload.message,
    at,
  });
  q.afterAgentMessage(thread.id, at);
  ctx.changes.upsert('message_threads', thread.id);
  ctx.changes.upsert('messages', messageId, demande.household_id);

  const recipient = q.recipient(demande.id);
  const town = q.town();
  let mailed: string | null = null;
  if (recipient?.email) {
    const mail = demandeDecisionMail({
      decision: payload.decision,
      number: demande.number,
      type: demande.type,
      subject: demande.subject,
      createdAt: demande.created_at,
      message: payload.message,
      townName: town?.name ?? 'La mairie',
      firstNames: recipient.firstNames,
      lastName: recipient.lastName,
    });
    queueMail(
      ctx.sqlite,
      {
        kind: 'demande_decision',
        refId: demande.id,
        householdId: demande.household_id,
        to: recipient.email,
        ...mail,
      },
      at,
    );
    mailed = recipient.email;
  }

  auditCommand(ctx, actor, {
    action: 'demande.decide',
    householdId: demande.household_id,
    entity: 'demandes',
    entityId: demande.id,
    reason: null,
    details: { number: demande.number, decision: payload.decision, status, mailedTo: mailed },
  });

  const verdict = payload.decision === 'accepter' ? 'traitée positivement' : 'refusée';
  const service = SERVICE_LABELS[serviceOfDemande(demande.type)] ?? '';
  return accepted(ctx, {
    message: mailed
      ? `Demande N° ${demande.number ?? '?'} ${verdict} ; le message est dans l'espace de la famille (${service}) et un courriel part à ${mailed}.`
      : `Demande N° ${demande.number ?? '?'} ${verdict} ; le message est dans l'espace de la famille, qui n'a pas d'adresse électronique : prévenez-la autrement.`,
    ...(mailed ? {} : { code: 'NO_EMAIL' }),
  });
};
