/**
 * A parent's demande from the portal (until the portal's own screens exist, the demo town and the tests use it
 * through POST /api/v1/demandes): numbered like the seed's ("DEMANDE N°", counter 'demande', in the same
 * transaction), first step of its history (en attente, by the parent), the parent's message in a thread for it,
 * and attached pieces (files checked by content, stored content-addressed). Change rows for the desks.
 * With an Idempotency-Key, a retry returns the demande created the first time.
 */
import { createHash } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import { newId } from '../../core/ids';
import { serviceOfDemande } from '../../core/demandes/labels';
import type { DemandeTypeCode } from '../../core/demandes/labels';
import { demandeStatements } from '../../db/repositories/demande-records';
import { documentStatements } from '../../db/repositories/document-records';
import { syncStatements } from '../../db/repositories/sync-server';
import { writeWithChanges } from './change-log';
import { demandeThreadSubject } from './commands/demande-decide';
import { payloadHash } from './op-runner';
import { IdempotencyKeyReusedError, portalOpId } from './portal-ops';

export interface CheckedAttachment {
  filename: string;
  contentType: string;
  bytes: Buffer;
  qualification: string;
  title: string;
}

export interface NewParentDemande {
  type: DemandeTypeCode;
  subject: string;
  details: Record<string, unknown>;
  message?: string;
  attachments: CheckedAttachment[];
}

export interface CreatedDemande {
  demandeId: string;
  number: number;
  status: 'en_attente';
  createdAt: string;
  attachments: number;
}

const CREATE_COMMAND = 'demande.create';

/** Creates the demande in one transaction; the caller checked the files (type by content, size, count). */
export function createParentDemande(
  sqlite: BetterSqlite3.Database,
  parent: { accountId: string; householdId: string; personId: string | null },
  input: NewParentDemande,
  options: { now: Date; idempotencyKey?: string },
): CreatedDemande {
  const opId = options.idempotencyKey ? portalOpId(parent.accountId, options.idempotencyKey) : null;
  const hash = payloadHash(CREATE_COMMAND, 1, {
    ...input,
    attachments: input.attachments.map((a) => ({
      filename: a.filename,
      qualification: a.qualification,
      sha256: createHash('sha256').update(a.bytes).digest('hex'),
    })),
  });
  return writeWithChanges(sqlite, options.now, (changes) => {
    if (opId) {
      const known = syncStatements(sqlite).appliedOp(opId);
      if (known) {
        if (known.payload_hash !== hash) throw new IdempotencyKeyReusedError();
        return JSON.parse(known.result_json) as CreatedDemande;
      }
    }
    const q = demandeStatements(sqlite);
    const docs = documentStatements(sqlite);
    const at = changes.at;
    const demandeId = newId();
    const number = q.nextNumber();
    q.insertDemande({
      id: demandeId,
      number,
      householdId: parent.householdId,
      requesterPersonId: parent.personId,
      requesterAccountId: parent.accountId,
      type: input.type,
      subject: input.subject,
      payloadJson: JSON.stringify(input.details),
      at,
    });
    changes.upsert('demandes', demandeId);
    const eventId = newId();
    q.insertEvent({
      id: eventId,
      demandeId,
      seq: 1,
      status: 'en_attente',
      comment: null,
      actorKind: 'citoyen',
      actorId: parent.accountId,
      at,
    });
    changes.upsert('demande_events', eventId, parent.householdId);

    if (input.message) {
      const threadId = newId();
      q.insertThread({
        id: threadId,
        householdId: parent.householdId,
        demandeId,
        service: serviceOfDemande(input.type),
        subject: demandeThreadSubject(number, input.subject),
        at,
      });
      const messageId = newId();
      q.insertMessage({
        id: messageId,
        threadId,
        authorKind: 'citoyen',
        authorId: parent.accountId,
        body: input.message,
        at,
      });
      q.afterCitizenMessage(threadId, at);
      changes.upsert('message_threads', threadId);
      changes.upsert('messages', messageId, parent.householdId);
    }

    for (const attachment of input.attachments) {
      const blobHash = createHash('sha256').update(attachment.bytes).digest('hex');
      docs.putBlob(blobHash, attachment.contentType, attachment.bytes, at);
      const documentId = newId();
      docs.insertDocument({
        id: documentId,
        householdId: parent.householdId,
        personId: null,
        demandeId,
        space: 'famille',
        qualification: attachment.qualification,
        title: attachment.title,
        number: null,
        issuingAuthority: null,
        issuedOn: null,
        validUntil: null,
        createdByKind: 'citoyen',
        createdById: parent.accountId,
        at,
      });
      changes.upsert('documents', documentId);
      const fileId = newId();
      docs.insertFile({
        id: fileId,
        documentId,
        blobHash,
        filename: attachment.filename,
        contentType: attachment.contentType,
        position: 1,
        at,
      });
      changes.upsert('document_files', fileId, parent.householdId);
    }

    const created: CreatedDemande = {
      demandeId,
      number,
      status: 'en_attente',
      createdAt: at,
      attachments: input.attachments.length,
    };
    if (opId) {
      syncStatements(sqlite).insertAppliedOp({
        op_id: opId,
        desk_id: null,
        desk_seq: null,
        command: CREATE_COMMAND,
        payload_hash: hash,
        result_json: JSON.stringify(created),
        change_seq: changes.lastSeq(),
        applied_at: at,
      });
    }
    return created;
  });
}
