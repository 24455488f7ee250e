/**
 * SQL behind demandes and their messages, shared by the server (parents create them, demande.decide decides
 * them) and the desk (the optimistic preview of demande.decide, the queue and the detail screen).
 * Prepared better-sqlite3 statements, run inside the caller's transaction.
 */
import type { ActorKind, DemandeStatus, DemandeType, MessageAuthorKind, Row } from '../schema';
import { preparedFor } from './sync-server';

export interface NewDemandeRow {
  id: string;
  number: number | null;
  householdId: string;
  requesterPersonId: string | null;
  requesterAccountId: string | null;
  type: DemandeType;
  subject: string;
  payloadJson: string;
  at: string;
}

export interface NewDemandeEvent {
  id: string;
  demandeId: string;
  seq: number;
  status: DemandeStatus;
  comment: string | null;
  actorKind: ActorKind;
  actorId: string | null;
  at: string;
}

export interface NewThread {
  id: string;
  householdId: string;
  demandeId: string | null;
  service: string;
  subject: string;
  at: string;
}

export interface NewMessage {
  id: string;
  threadId: string;
  authorKind: MessageAuthorKind;
  authorId: string | null;
  body: string;
  at: string;
}

/** Whom to tell about a demande: the requester's account e-mail, else the titulaire's. */
export interface DemandeRecipient {
  email: string | null;
  /** "Prénom NOM" of the requester (or titulaire), for the greeting. */
  firstNames: string | null;
  lastName: string | null;
}

export const demandeStatements = preparedFor((sqlite) => {
  const demande = sqlite.prepare('SELECT * FROM demandes WHERE id = ?');
  const nextNumber = sqlite.prepare(
    `INSERT INTO counters (name, value) VALUES ('demande', (SELECT COALESCE(MAX(number), 0) + 1 FROM demandes))
     ON CONFLICT (name) DO UPDATE SET value = MAX(value, (SELECT COALESCE(MAX(number), 0) FROM demandes)) + 1
     RETURNING value`,
  );
  const insertDemande = sqlite.prepare(
    `INSERT INTO demandes (id, number, household_id, requester_person_id, requester_account_id, type, status,
       subject, payload_json, assigned_agent_id, decided_at, created_at, updated_at)
     VALUES (@id, @number, @householdId, @requesterPersonId, @requesterAccountId, @type, 'en_attente', @subject,
       @payloadJson, NULL, NULL, @at, @at)`,
  );
  const nextEventSeq = sqlite.prepare(
    'SELECT COALESCE(MAX(seq), 0) + 1 AS seq FROM demande_events WHERE demande_id = ?',
  );
  const insertEvent = sqlite.prepare(
    `INSERT INTO demande_events (id, demande_id, seq, status, comment, actor_kind, actor_id, at, updated_at)
     VALUES (@id, @demandeId, @seq, @status, @comment, @actorKind, @actorId, @at, @at)`,
  );
  const decide = sqlite.prepare(
    `UPDATE demandes SET status = @status, decided_at = @at, assigned_agent_id = COALESCE(@agentId, assigned_agent_id),
       updated_at = @at WHERE id = @id`,
  );
  const threadOfDemande = sqlite.prepare(
    'SELECT * FROM message_threads WHERE demande_id = ? ORDER BY created_at, id LIMIT 1',
  );
  const insertThread = sqlite.prepare(
    `INSERT INTO message_threads (id, household_id, demande_id, service, subject, unread_household, unread_agents,
       last_message_at, created_at, updated_at)
     VALUES (@id, @householdId, @demandeId, @service, @subject, 0, 0, @at, @at, @at)`,
  );
  const insertMessage = sqlite.prepare(
    `INSERT INTO messages (id, thread_id, author_kind, author_id, body, sent_at, read_at, updated_at)
     VALUES (@id, @threadId, @authorKind, @authorId, @body, @at, NULL, @at)`,
  );
  const afterAgentMessage = sqlite.prepare(
    `UPDATE message_threads SET last_message_at = @at, unread_household = unread_household + 1, updated_at = @at
     WHERE id = @id`,
  );
  const afterCitizenMessage = sqlite.prepare(
    `UPDATE message_threads SET last_message_at = @at, unread_agents = unread_agents + 1, updated_at = @at
     WHERE id = @id`,
  );
  const recipient = sqlite.prepare(
    `SELECT COALESCE(a.email, p.email, t.email) AS email,
            COALESCE(p.first_names, t.first_names) AS firstNames,
            COALESCE(p.usage_last_name, t.usage_last_name) AS lastName
     FROM demandes d
     LEFT JOIN citizen_accounts a ON a.id = d.requester_account_id
     LEFT JOIN persons p ON p.id = COALESCE(d.requester_person_id, a.person_id)
     LEFT JOIN household_members m ON m.household_id = d.household_id AND m.role = 'titulaire'
     LEFT JOIN persons t ON t.id = m.person_id
     WHERE d.id = ?`,
  );
  const townName = sqlite.prepare('SELECT name, email FROM towns ORDER BY created_at LIMIT 1');
  return {
    demande: (id: string) => demande.get(id) as Row<'demandes'> | undefined,
    /** The next "DEMANDE N°" (server only): counter 'demande', never below the highest number given. */
    nextNumber: (): number => (nextNumber.get() as { value: number }).value,
    insertDemande: (row: NewDemandeRow): void => void insertDemande.run(row),
    nextEventSeq: (demandeId: string): number => (nextEventSeq.get(demandeId) as { seq: number }).seq,
    insertEvent: (row: NewDemandeEvent): void => void insertEvent.run(row),
    decide: (row: { id: string; status: DemandeStatus; agentId: string | null; at: string }): void =>
      void decide.run(row),
    threadOfDemande: (demandeId: string) =>
      threadOfDemande.get(demandeId) as Row<'message_threads'> | undefined,
    insertThread: (row: NewThread): void => void insertThread.run(row),
    insertMessage: (row: NewMessage): void => void insertMessage.run(row),
    /** The thread's last message is the agent's: the family has one more to read. */
    afterAgentMessage: (threadId: string, at: string): void =>
      void afterAgentMessage.run({ id: threadId, at }),
    afterCitizenMessage: (threadId: string, at: string): void =>
      void afterCitizenMessage.run({ id: threadId, at }),
    recipient: (demandeId: string) => recipient.get(demandeId) as DemandeRecipient | undefined,
    town: () => townName.get() as { name: string; email: string | null } | undefined,
  };
});
