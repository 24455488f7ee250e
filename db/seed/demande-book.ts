// Demandes are drafted while the rest of the town is generated (an inscription,
// a portal booking, an absence each open one) and written at the end, numbered
// in the order they were made: "DEMANDE N° 1" is the oldest.
import type { ActorKind, DemandeStatus, DemandeType } from '../schema';
import type { SeedContext } from './context';

export interface DemandeEventDraft {
  status: DemandeStatus;
  actorKind: ActorKind;
  actorId: string | null;
  atMs: number;
  comment: string | null;
}

export interface DemandeDraft {
  id: string;
  householdId: string;
  requesterPersonId: string | null;
  requesterAccountId: string | null;
  type: DemandeType;
  subject: string;
  payload: Record<string, unknown>;
  assignedAgentId: string | null;
  createdMs: number;
  events: DemandeEventDraft[];
}

export type NewDemande = Omit<DemandeDraft, 'id' | 'events'> & {
  /** Later steps; the first one (en_attente, by the requester) is added for you. */
  then?: DemandeEventDraft[];
};

export class DemandeBook {
  private readonly drafts: DemandeDraft[] = [];

  constructor(private readonly ctx: SeedContext) {}

  /** Drafts a demande made at `createdMs`; returns its id (usable at once as a reference). */
  add(d: NewDemande): DemandeDraft {
    const { then, ...rest } = d;
    const draft: DemandeDraft = {
      ...rest,
      id: this.ctx.id(),
      events: [
        {
          status: 'en_attente',
          actorKind: d.requesterAccountId ? 'citoyen' : 'agent',
          actorId: d.requesterAccountId ?? d.assignedAgentId,
          atMs: d.createdMs,
          comment: null,
        },
        ...(then ?? []),
      ],
    };
    this.drafts.push(draft);
    return draft;
  }

  get size(): number {
    return this.drafts.length;
  }

  /** Writes every demande and its history, numbered by creation time; returns the last number. */
  flush(): number {
    const ctx = this.ctx;
    const ordered = [...this.drafts].sort((a, b) => a.createdMs - b.createdMs || (a.id < b.id ? -1 : 1));
    let number = 0;
    for (const d of ordered) {
      number++;
      const events = [...d.events].sort((a, b) => a.atMs - b.atMs);
      const last = events[events.length - 1]!;
      const final = last.status === 'traitee_positivement' || last.status === 'refusee';
      ctx.insert('demandes', {
        id: d.id,
        number,
        household_id: d.householdId,
        requester_person_id: d.requesterPersonId,
        requester_account_id: d.requesterAccountId,
        type: d.type,
        status: last.status,
        subject: d.subject,
        payload_json: JSON.stringify(d.payload),
        assigned_agent_id: d.assignedAgentId,
        decided_at: final ? ctx.iso(last.atMs) : null,
        created_at: ctx.iso(d.createdMs),
        updated_at: ctx.iso(last.atMs),
      });
      for (const [i, e] of events.entries()) {
        ctx.insert('demande_events', {
          id: ctx.id(),
          demande_id: d.id,
          seq: i + 1,
          status: e.status,
          comment: e.comment,
          actor_kind: e.actorKind,
          actor_id: e.actorId,
          at: ctx.iso(e.atMs),
          updated_at: ctx.iso(e.atMs),
        });
      }
    }
    this.drafts.length = 0;
    return number;
  }
}
