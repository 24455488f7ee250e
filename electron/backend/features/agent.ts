// Desk backend handlers for the agent commands: sign-in (offline, against the scrypt hashes the desk replicates
// with the `agents` table), lock / unlock, sign-out, and a family's audit trail.
import type {
  AgentApi,
  AgentRoleDto,
  FamilyAuditEntry,
  SessionPermissions,
  SessionState,
} from '../../contract/agent';
import { formatDayFr } from '../../../core/calendar/paris';
import { UNIT_LONG_LABELS } from '../../../core/booking/units';
import type { UnitCode } from '../../../core/booking/units';
import { DomainError } from '../../../core/errors';
import { formatEuros } from '../../../core/money';
import type { DeskPaymentMode } from '../../../core/sync/commands';
import { checkPassword, findAgentByLogin } from '../../../db/repositories/agents';
import { displayName } from '../../../db/repositories/households';
import type { DeskStore } from '../desk-store';
import type { FeatureHandlers, HandlerDeps } from '../handler-deps';
import { SESSION_EVENT_LABELS } from '../sync/audit-session';
import { PAYMENT_MODE_LABELS } from '../sync/payment-record';

/** One message for an unknown login, a wrong password or a disabled account: nothing to learn from it. */
export const WRONG_CREDENTIALS_MESSAGE = 'Identifiant ou mot de passe incorrect.';

const NO_PERMISSIONS: SessionPermissions = { counter: false, reversePayment: false, administer: false };

export function permissionsOf(roles: readonly AgentRoleDto[]): SessionPermissions {
  return {
    counter: roles.length > 0,
    reversePayment: roles.includes('regisseur') || roles.includes('administrateur'),
    administer: roles.includes('administrateur'),
  };
}

/** The session as the renderer sees it. */
export function sessionState(deps: HandlerDeps): SessionState {
  const { agentSession } = deps;
  const current = agentSession.current();
  const autoLockMinutes = Math.round(agentSession.autoLockMs / 60_000);
  let store: DeskStore | null = null;
  try {
    store = deps.session().store;
  } catch {
    // Desk not started yet: nobody can sign in, the renderer shows the sign-in screen with the error.
  }
  const deskId = store?.deskId() ?? null;
  const deskRow = deskId ? store?.state.desk(deskId) : undefined;
  const desk = deskRow ? { id: deskRow.id, name: deskRow.name } : null;
  const agentRow = current && store ? store.state.agent(current.agentId) : undefined;
  if (!current || !store || !agentRow) {
    return {
      agent: null,
      locked: false,
      lockReason: null,
      signedInAt: null,
      permissions: NO_PERMISSIONS,
      autoLockMinutes,
      desk,
    };
  }
  const roles = store.state.agentRoles(agentRow.id);
  return {
    agent: { id: agentRow.id, login: agentRow.login, displayName: agentRow.display_name, roles },
    locked: current.locked,
    lockReason: current.lockReason,
    signedInAt: current.signedInAtMs === null ? null : new Date(current.signedInAtMs).toISOString(),
    permissions: permissionsOf(roles),
    autoLockMinutes,
    desk,
  };
}

export function createAgentHandlers(deps: HandlerDeps): FeatureHandlers<AgentApi> {
  const { agentSession } = deps;
  const state = (): SessionState => sessionState(deps);

  return {
    'session/current': async () => state(),

    'session/sign-in': async ({ login, password }) => {
      const trimmed = typeof login === 'string' ? login.trim() : '';
      if (!trimmed || typeof password !== 'string' || password.length === 0)
        throw new DomainError('CREDENTIALS_REQUIRED', 'Saisissez votre identifiant et votre mot de passe.');
      agentSession.checkThrottle(trimmed);
      const { store } = deps.session();
      const agent = await findAgentByLogin(store.database.db, trimmed);
      const valid = await checkPassword(password, agent?.password_hash);
      if (!agent || !valid || agent.active !== 1 || agent.roles.length === 0) {
        agentSession.failed(trimmed);
        throw new DomainError('AUTH_FAILED', WRONG_CREDENTIALS_MESSAGE);
      }
      agentSession.signIn(agent.id, trimmed);
      deps.changed(true);
      return state();
    },

    'session/unlock': async ({ password }) => {
      const current = agentSession.current();
      if (!current)
        throw new DomainError('NOT_SIGNED_IN', "Aucun agent n'est connecté à ce poste : identifiez-vous.");
      const { store } = deps.session();
      const agent = store.state.agent(current.agentId);
      const login = agent?.login ?? current.agentId;
      agentSession.checkThrottle(login);
      const valid = typeof password === 'string' && (await checkPassword(password, agent?.password_hash));
      if (!agent || !valid || agent.active !== 1) {
        agentSession.failed(login);
        throw new DomainError('AUTH_FAILED', 'Mot de passe incorrect.');
      }
      agentSession.signIn(agent.id, login);
      deps.changed(true);
      return state();
    },

    'session/lock': async ({ reason } = {}) => {
      agentSession.lock(reason === 'inactivite' ? 'inactivite' : 'manuel');
      deps.changed(true);
      return state();
    },

    'session/sign-out': async () => {
      agentSession.signOut('manuel');
      deps.changed(true);
      return state();
    },

    'session/touch': async () => {
      agentSession.touch();
      return state();
    },

    'audit/family': async ({ householdId, limit }) => {
      const { store } = deps.session();
      return familyAudit(store, householdId, Math.min(Math.max(limit ?? 200, 1), 1000));
    },
  };
}

// --- A family's audit trail ---------------------------------------------------------------------------------

/** French names of the audited actions; an unknown action shows its `details.summary` (or its code). */
export const AUDIT_ACTION_LABELS: Readonly<Record<string, string>> = {
  'booking.set_day': 'Réservation',
  'payment.record': 'Paiement',
  'payment.reverse': 'Annulation de paiement',
  'receipt.number_conflict': 'Numéro de reçu en conflit',
  'household.create': 'Création du dossier',
  'household.update': 'Modification du dossier',
  'household.issue_access_key': 'Clé d’accès au portail',
  'inscription.create': 'Inscription',
  'inscription.decide': 'Décision d’inscription',
  'absence.record': 'Absence',
  'document.attach': 'Pièce justificative',
  'demande.decide': 'Demande traitée',
  ...Object.fromEntries(
    Object.entries(SESSION_EVENT_LABELS).map(([event, label]) => [`session.${event}`, label]),
  ),
};

interface AuditRow {
  id: string;
  at: string;
  action: string;
  entity_id: string | null;
  reason: string | null;
  details_json: string;
  account_id: string | null;
  agent_name: string | null;
  desk_name: string | null;
}

function familyAudit(store: DeskStore, householdId: string, limit: number): FamilyAuditEntry[] {
  const rows = store.sqlite
    .prepare(
      `SELECT l.id, l.at, l.action, l.entity_id, l.reason, l.details_json, l.account_id,
              a.display_name AS agent_name, d.name AS desk_name
       FROM audit_log l
       LEFT JOIN agents a ON a.id = l.agent_id
       LEFT JOIN desks d ON d.id = l.desk_id
       WHERE l.household_id = ?
       ORDER BY l.at DESC, l.id DESC
       LIMIT ?`,
    )
    .all(householdId, limit) as AuditRow[];
  const previews = new Set(
    (
      store.sqlite
        .prepare("SELECT pk_json FROM outbox_effects WHERE table_name = 'audit_log'")
        .pluck()
        .all() as string[]
    ).map((pk) => (JSON.parse(pk) as string[])[0]),
  );
  return rows.map((row) => {
    const details = parseDetails(row.details_json);
    return {
      id: row.id,
      at: row.at,
      who: row.agent_name ?? (row.account_id ? 'Famille (portail)' : null),
      desk: row.desk_name,
      action: row.action,
      actionLabel: actionLabel(row.action, details),
      detail: auditDetail(store, row, details),
      reason: row.reason,
      pending: previews.has(row.id),
    };
  });
}

function parseDetails(json: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(json);
    return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const cents = (value: unknown): number | null => (typeof value === 'number' ? value : null);

function actionLabel(action: string, details: Record<string, unknown>): string {
  if (action === 'booking.set_day' && Array.isArray(details.units) && details.units.length === 0)
    return 'Annulation de réservation';
  return AUDIT_ACTION_LABELS[action] ?? text(details.label) ?? action;
}

function auditDetail(store: DeskStore, row: AuditRow, details: Record<string, unknown>): string {
  switch (row.action) {
    case 'booking.set_day': {
      const person = row.entity_id ? store.bookings.person(row.entity_id) : undefined;
      const activityId = text(details.activityId);
      const activity = activityId ? store.bookings.activity(activityId) : undefined;
      const day = text(details.day);
      const units = Array.isArray(details.units)
        ? (details.units as string[]).map((code) => UNIT_LONG_LABELS[code as UnitCode] ?? code)
        : [];
      const parts = [
        day ? formatDayFr(day) : null,
        person ? displayName(person) : null,
        activity ? activity.name : null,
      ].filter((part): part is string => part !== null);
      const what = units.length > 0 ? units.join(', ') : 'aucune unité';
      const waitlisted = details.state === 'en_attente' ? ' (liste d’attente)' : '';
      return `${parts.join(' — ')} : ${what}${waitlisted}`;
    }
    case 'payment.record': {
      const amount = cents(details.amountCents);
      const mode = text(details.mode) as DeskPaymentMode | null;
      const receipt = text(details.receiptNumber);
      return [
        amount === null ? null : formatEuros(amount),
        mode ? (PAYMENT_MODE_LABELS[mode] ?? mode) : null,
        receipt ? `reçu ${receipt}` : null,
      ]
        .filter((part): part is string => part !== null)
        .join(' — ');
    }
    case 'payment.reverse': {
      const original = row.entity_id ? store.payments.payment(row.entity_id) : undefined;
      const receipt = text(details.receiptNumber);
      return [
        original ? `Paiement de ${formatEuros(original.amount_cents)} annulé` : 'Paiement annulé',
        receipt ? `reçu ${receipt}` : null,
      ]
        .filter((part): part is string => part !== null)
        .join(' — ');
    }
    default:
      return text(details.summary) ?? '';
  }
}
