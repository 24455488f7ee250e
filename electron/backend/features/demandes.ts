// Desk backend handlers for the demandes commands of the contract: the queue (filter by type and age), one
// demande on one screen (details, history, messages, attachments, where the e-mail goes), the decision
// (synced command demande.decide v1) and the home screen's counters.
import { parisDay } from '../../../core/calendar/paris';
import { DomainError } from '../../../core/errors';
import {
  DEMANDE_STATUS_LABELS,
  DEMANDE_TYPES,
  DEMANDE_TYPE_LABELS,
  OPEN_DEMANDE_STATUSES,
} from '../../../core/demandes/labels';
import type { DemandeStatusCode, DemandeTypeCode } from '../../../core/demandes/labels';
import type { DemandeDecideV1 } from '../../../core/sync/commands-demandes';
import { formatPhone } from '../../../core/validation/phone';
import { demandeStatements } from '../../../db/repositories/demande-records';
import { documentStatements } from '../../../db/repositories/document-records';
import { displayName } from '../../../db/repositories/households';
import type {
  DemandeDetail,
  DemandeListItem,
  DemandesApi,
  DemandesListArgs,
  DemandeStatusDto,
  DemandeTypeDto,
} from '../../contract/demandes';
import type { DeskStore } from '../desk-store';
import type { FeatureHandlers, HandlerDeps } from '../handler-deps';
import { pendingDocumentIds, toDocumentDto } from './document-dto';

const HOUR_MS = 3_600_000;
const DEFAULT_LIMIT = 200;
const MAX_LIMIT = 1000;

interface DemandeRow {
  id: string;
  number: number | null;
  type: DemandeTypeCode;
  status: DemandeStatusCode;
  subject: string;
  created_at: string;
  decided_at: string | null;
  household_id: string;
  household_code: string;
  tit_last: string | null;
  tit_first: string | null;
  req_last: string | null;
  req_first: string | null;
  attachments: number;
}

const SELECT = `
  SELECT d.id, d.number, d.type, d.status, d.subject, d.created_at, d.decided_at, d.household_id,
         h.code AS household_code,
         t.usage_last_name AS tit_last, t.first_names AS tit_first,
         r.usage_last_name AS req_last, r.first_names AS req_first,
         (SELECT COUNT(*) FROM documents doc WHERE doc.demande_id = d.id AND doc.space <> 'prive_citoyen') AS attachments
  FROM demandes d
  JOIN households h ON h.id = d.household_id
  LEFT JOIN household_members tm ON tm.household_id = d.household_id AND tm.role = 'titulaire'
  LEFT JOIN persons t ON t.id = tm.person_id
  LEFT JOIN persons r ON r.id = d.requester_person_id`;

/** Human labels for the keys parents' forms put in `payload_json`. */
const DETAIL_LABELS: Record<string, string> = {
  numero: 'Numéro',
  voie: 'Voie',
  code_postal: 'Code postal',
  ville: 'Commune',
  mobile: 'Téléphone mobile',
  telephone: 'Téléphone',
  courriel: 'Courriel',
  source: 'Source',
  valeur: 'Valeur',
  annee: 'Année',
  service: 'Service',
  adhesion: 'Adhésion',
  enfant: 'Enfant',
  activite: 'Activité',
  du: 'Du',
  au: 'Au',
  motif: 'Motif',
  iban: 'IBAN',
  titulaire: 'Titulaire du compte',
};

function detailLines(payloadJson: string): { label: string; value: string }[] {
  let payload: unknown;
  try {
    payload = JSON.parse(payloadJson);
  } catch {
    return [];
  }
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return [];
  return Object.entries(payload as Record<string, unknown>)
    .filter(([, value]) => value !== null && value !== undefined && typeof value !== 'object')
    .map(([key, value]) => ({
      label: DETAIL_LABELS[key] ?? key.charAt(0).toLocaleUpperCase('fr-FR') + key.slice(1).replace(/_/g, ' '),
      value: typeof value === 'boolean' ? (value ? 'oui' : 'non') : String(value),
    }));
}

/** Demandes decided at this desk, not yet confirmed by the server. */
function pendingDemandeIds(store: DeskStore): Set<string> {
  const rows = store.sqlite
    .prepare(
      `SELECT payload_json FROM outbox WHERE settled_at IS NULL AND command = 'demande.decide'
         AND status IN ('pending', 'sent') ORDER BY seq`,
    )
    .all() as { payload_json: string }[];
  return new Set(rows.map((row) => (JSON.parse(row.payload_json) as DemandeDecideV1).demandeId));
}

function nameOf(last: string | null, first: string | null): string | null {
  return last === null ? null : displayName({ usage_last_name: last, first_names: first ?? '' });
}

function toItem(row: DemandeRow, nowMs: number, pending: ReadonlySet<string>): DemandeListItem {
  return {
    id: row.id,
    number: row.number,
    type: row.type,
    typeLabel: DEMANDE_TYPE_LABELS[row.type] ?? row.type,
    status: row.status,
    statusLabel: DEMANDE_STATUS_LABELS[row.status] ?? row.status,
    subject: row.subject,
    createdAt: row.created_at,
    ageHours: Math.max(0, Math.floor((nowMs - Date.parse(row.created_at)) / HOUR_MS)),
    decidedAt: row.decided_at,
    household: {
      id: row.household_id,
      code: row.household_code,
      titulaire: nameOf(row.tit_last, row.tit_first) ?? '',
    },
    requester: nameOf(row.req_last, row.req_first),
    attachments: row.attachments,
    pending: pending.has(row.id),
  };
}

function whereOf(args: DemandesListArgs, now: Date): { sql: string; params: (string | number)[] } {
  const clauses: string[] = [];
  const params: (string | number)[] = [];
  const state = args.state ?? 'open';
  if (state !== 'all') {
    clauses.push(
      `d.status ${state === 'open' ? '' : 'NOT '}IN (${OPEN_DEMANDE_STATUSES.map(() => '?').join(', ')})`,
    );
    params.push(...OPEN_DEMANDE_STATUSES);
  }
  const types = (args.types ?? []).filter((t) => (DEMANDE_TYPES as readonly string[]).includes(t));
  if (types.length > 0) {
    clauses.push(`d.type IN (${types.map(() => '?').join(', ')})`);
    params.push(...types);
  }
  if (args.olderThanHours !== undefined && Number.isFinite(args.olderThanHours) && args.olderThanHours > 0) {
    clauses.push('d.created_at <= ?');
    params.push(new Date(now.getTime() - args.olderThanHours * HOUR_MS).toISOString());
  }
  if (args.householdId) {
    clauses.push('d.household_id = ?');
    params.push(args.householdId);
  }
  return { sql: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

function actorName(store: DeskStore, kind: string, id: string | null): string | null {
  if (id === null) return kind === 'systeme' ? 'Traitement automatique' : null;
  if (kind === 'agent') {
    return (
      (
        store.sqlite.prepare('SELECT display_name FROM agents WHERE id = ?').get(id) as
          { display_name: string } | undefined
      )?.display_name ?? null
    );
  }
  const person = store.sqlite
    .prepare(
      `SELECT p.usage_last_name, p.first_names FROM citizen_accounts a JOIN persons p ON p.id = a.person_id
       WHERE a.id = ?`,
    )
    .get(id) as { usage_last_name: string; first_names: string } | undefined;
  return person ? displayName(person) : 'Famille';
}

export function createDemandesHandlers(deps: HandlerDeps): FeatureHandlers<DemandesApi> {
  const { session, changed, now } = deps;

  function detail(store: DeskStore, demandeId: string): DemandeDetail {
    const row = store.sqlite.prepare(`${SELECT} WHERE d.id = ?`).get(demandeId) as DemandeRow | undefined;
    if (!row) throw new DomainError('DEMANDE_NOT_FOUND', 'Demande introuvable sur ce poste.');
    const q = demandeStatements(store.sqlite);
    const demande = q.demande(demandeId)!;
    const nowDate = now();
    const item = toItem(row, nowDate.getTime(), pendingDemandeIds(store));
    const contact = store.sqlite
      .prepare(
        `SELECT p.mobile, p.phone, p.email FROM household_members m JOIN persons p ON p.id = m.person_id
         WHERE m.household_id = ? AND m.role = 'titulaire'`,
      )
      .get(row.household_id) as
      { mobile: string | null; phone: string | null; email: string | null } | undefined;
    const phone = contact?.mobile ?? contact?.phone ?? null;
    const history = (
      store.sqlite
        .prepare('SELECT * FROM demande_events WHERE demande_id = ? ORDER BY seq')
        .all(demandeId) as {
        seq: number;
        status: DemandeStatusCode;
        comment: string | null;
        actor_kind: 'citoyen' | 'agent' | 'systeme';
        actor_id: string | null;
        at: string;
      }[]
    ).map((e) => ({
      seq: e.seq,
      status: e.status as DemandeStatusDto,
      statusLabel: DEMANDE_STATUS_LABELS[e.status] ?? e.status,
      comment: e.comment,
      actorKind: e.actor_kind,
      actorName: actorName(store, e.actor_kind, e.actor_id),
      at: e.at,
    }));
    const messages = (
      store.sqlite
        .prepare(
          `SELECT m.* FROM messages m JOIN message_threads t ON t.id = m.thread_id
           WHERE t.demande_id = ? ORDER BY m.sent_at, m.id`,
        )
        .all(demandeId) as {
        id: string;
        author_kind: 'citoyen' | 'agent';
        author_id: string | null;
        body: string;
        sent_at: string;
      }[]
    ).map((m) => ({
      id: m.id,
      authorKind: m.author_kind,
      authorName: actorName(store, m.author_kind, m.author_id),
      body: m.body,
      sentAt: m.sent_at,
    }));
    const day = parisDay(nowDate);
    const pendingDocs = pendingDocumentIds(store);
    const pieces = documentStatements(store.sqlite)
      .ofDemande(demandeId)
      .map((doc) => toDocumentDto(store, doc, day, pendingDocs));
    return {
      ...item,
      household: {
        ...item.household,
        phone: phone ? formatPhone(phone) : null,
        email: contact?.email ?? null,
      },
      details: detailLines(demande.payload_json),
      history,
      messages,
      pieces,
      mailTo: q.recipient(demandeId)?.email ?? null,
      assignedAgent: demande.assigned_agent_id ? actorName(store, 'agent', demande.assigned_agent_id) : null,
    };
  }

  return {
    'demandes/list': async (args) => {
      const { store } = session();
      const nowDate = now();
      const where = whereOf(args ?? {}, nowDate);
      const limit = Math.min(Math.max(1, args?.limit ?? DEFAULT_LIMIT), MAX_LIMIT);
      // The queue is worked oldest first; decided demandes are looked up newest first.
      const order =
        (args?.state ?? 'open') === 'open' ? 'd.created_at ASC, d.id ASC' : 'd.created_at DESC, d.id DESC';
      const rows = store.sqlite
        .prepare(`${SELECT} ${where.sql} ORDER BY ${order} LIMIT ?`)
        .all(...where.params, limit) as DemandeRow[];
      const total = (
        store.sqlite.prepare(`SELECT COUNT(*) AS n FROM demandes d ${where.sql}`).get(...where.params) as {
          n: number;
        }
      ).n;
      const pending = pendingDemandeIds(store);
      return { items: rows.map((row) => toItem(row, nowDate.getTime(), pending)), total };
    },

    'demandes/get': async ({ demandeId }) => detail(session().store, demandeId),

    'demandes/decide': async ({ demandeId, decision, message }) => {
      const { commands } = session();
      const write = commands.decideDemande({ demandeId, decision, message });
      changed(true);
      return {
        opId: write.opId,
        seq: write.seq,
        status: decision === 'accepter' ? 'traitee_positivement' : 'refusee',
      };
    },

    'demandes/counts': async () => {
      const { store } = session();
      const placeholders = OPEN_DEMANDE_STATUSES.map(() => '?').join(', ');
      const byType = store.sqlite
        .prepare(`SELECT type, COUNT(*) AS n FROM demandes WHERE status IN (${placeholders}) GROUP BY type`)
        .all(...OPEN_DEMANDE_STATUSES) as { type: DemandeTypeDto; n: number }[];
      const cutoff = new Date(now().getTime() - 48 * HOUR_MS).toISOString();
      const old = (
        store.sqlite
          .prepare(`SELECT COUNT(*) AS n FROM demandes WHERE status IN (${placeholders}) AND created_at <= ?`)
          .get(...OPEN_DEMANDE_STATUSES, cutoff) as { n: number }
      ).n;
      return {
        open: byType.reduce((sum, t) => sum + t.n, 0),
        olderThan48h: old,
        byType: byType
          .map((t) => ({ type: t.type, label: DEMANDE_TYPE_LABELS[t.type] ?? t.type, open: t.n }))
          .sort((a, b) => b.open - a.open),
      };
    },
  };
}
