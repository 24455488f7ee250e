// demande.decide at the desk: the same checks as the server (the demande exists and is still open), then the
// optimistic preview — the demande's new state, the next step of its history, the agent's message in the
// family's thread — every touched row captured for undo. The server numbers nothing here; it sends the e-mail.
import { DomainError } from '../../../core/errors';
import { newId } from '../../../core/ids';
import {
  DEMANDE_STATUS_LABELS,
  DEMANDE_TYPE_LABELS,
  isOpenDemande,
  serviceOfDemande,
  statusAfterDecision,
} from '../../../core/demandes/labels';
import type { DemandeStatusCode, DemandeTypeCode } from '../../../core/demandes/labels';
import type { DemandeDecideV1 } from '../../../core/sync/commands-demandes';
import { demandeStatements } from '../../../db/repositories/demande-records';
import type { DeskStore } from '../desk-store';
import type { ApplyContext, AuditFacts } from './command-context';

/** Refuses at once what the server would refuse; returns the household concerned. */
export function checkDecideDemande(store: DeskStore, payload: DemandeDecideV1): { householdId: string } {
  const demande = demandeStatements(store.sqlite).demande(payload.demandeId);
  if (!demande) throw new DomainError('DEMANDE_NOT_FOUND', 'Demande introuvable sur ce poste.');
  if (!isOpenDemande(demande.status)) {
    throw new DomainError(
      'DEMANDE_ALREADY_DECIDED',
      `La demande N° ${demande.number ?? '?'} est déjà ${DEMANDE_STATUS_LABELS[
        demande.status as DemandeStatusCode
      ].toLocaleLowerCase('fr-FR')} : elle ne peut plus être acceptée ni refusée.`,
    );
  }
  return { householdId: demande.household_id };
}

/** The optimistic preview (also when re-applied over fresh server truth: what is gone is skipped). */
export function applyDecideDemande(ctx: ApplyContext, payload: DemandeDecideV1): void {
  const q = demandeStatements(ctx.store.sqlite);
  const demande = q.demande(payload.demandeId);
  if (!demande || !isOpenDemande(demande.status)) return;
  const status = statusAfterDecision(payload.decision);
  ctx.effects.capture('demandes', [demande.id]);
  q.decide({ id: demande.id, status, agentId: ctx.agentId, at: ctx.at });

  const eventId = newId();
  ctx.effects.capture('demande_events', [eventId]);
  q.insertEvent({
    id: eventId,
    demandeId: demande.id,
    seq: q.nextEventSeq(demande.id),
    status,
    comment: payload.message,
    actorKind: 'agent',
    actorId: ctx.agentId,
    at: ctx.at,
  });

  let threadId = q.threadOfDemande(demande.id)?.id;
  if (threadId === undefined) {
    threadId = newId();
    ctx.effects.capture('message_threads', [threadId]);
    q.insertThread({
      id: threadId,
      householdId: demande.household_id,
      demandeId: demande.id,
      service: serviceOfDemande(demande.type),
      subject: `${demande.number === null ? 'Demande' : `Demande N° ${demande.number}`} — ${demande.subject}`,
      at: ctx.at,
    });
  } else ctx.effects.capture('message_threads', [threadId]);
  const messageId = newId();
  ctx.effects.capture('messages', [messageId]);
  q.insertMessage({
    id: messageId,
    threadId,
    authorKind: 'agent',
    authorId: ctx.agentId,
    body: payload.message,
    at: ctx.at,
  });
  q.afterAgentMessage(threadId, ctx.at);
}

/** "Refus de la demande N° 12 (Changement de coordonnées — Changement d'adresse)". */
export function describeDecideDemande(store: DeskStore, payload: DemandeDecideV1): string {
  const demande = demandeStatements(store.sqlite).demande(payload.demandeId);
  const what = payload.decision === 'accepter' ? 'Acceptation' : 'Refus';
  if (!demande) return `${what} d'une demande`;
  const type = DEMANDE_TYPE_LABELS[demande.type as DemandeTypeCode] ?? demande.type;
  return `${what} de la demande N° ${demande.number ?? '?'} (${type} — ${demande.subject})`;
}

export function decideDemandeAudit(store: DeskStore, payload: DemandeDecideV1): AuditFacts {
  const demande = demandeStatements(store.sqlite).demande(payload.demandeId);
  return {
    householdId: demande?.household_id ?? null,
    entity: 'demandes',
    entityId: payload.demandeId,
    reason: null,
    details: { number: demande?.number ?? null, decision: payload.decision },
  };
}
