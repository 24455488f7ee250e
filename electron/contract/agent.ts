// Desk contract, agent commands: sign-in, lock, sign-out (works offline against the agents' password hashes the
// desk replicates) and the audit trail of a family. Every command but `session/*` (and `town/get`, `sync/status`)
// is refused with NOT_SIGNED_IN while nobody is signed in, and SESSION_LOCKED while the desk is locked.

export type AgentRoleDto = 'accueil' | 'regisseur' | 'administrateur';

export interface SessionAgent {
  id: string;
  login: string;
  displayName: string;
  roles: AgentRoleDto[];
}

/** What the signed-in agent's roles allow, for screens to hide what they cannot do (the backend checks again). */
export interface SessionPermissions {
  /** Bookings, inscriptions, families, payments at the counter: every role. */
  counter: boolean;
  /** Reversing a payment (régie): régisseur, administrateur. */
  reversePayment: boolean;
  /** Desk settings, agents: administrateur. */
  administer: boolean;
}

export interface SessionState {
  /** Null: nobody is signed in (the sign-in screen shows). */
  agent: SessionAgent | null;
  /** The desk is locked: only the same agent's password (or another agent's sign-in) opens it. */
  locked: boolean;
  lockReason: 'manuel' | 'inactivite' | null;
  signedInAt: string | null;
  permissions: SessionPermissions;
  /** Idle minutes before the desk locks itself (0: never). */
  autoLockMinutes: number;
  desk: { id: string; name: string } | null;
}

export interface SignInArgs {
  login: string;
  password: string;
}

/** One line of a family's history. */
export interface FamilyAuditEntry {
  id: string;
  /** ISO instant. */
  at: string;
  /** The agent, "Famille (portail)" for a parent, or null for the system. */
  who: string | null;
  desk: string | null;
  action: string;
  /** The action in French ("Réservation", "Paiement", …). */
  actionLabel: string;
  /** What was done, in French. */
  detail: string;
  /** Why a rule was overridden (past the deadline…) or a payment reversed. */
  reason: string | null;
  /** A desk action the server has not recorded yet. */
  pending: boolean;
}

export interface AgentApi {
  'session/current': { args: void; result: SessionState };
  /** Identifiant + mot de passe; one French message for any wrong pair; 5 failures block the login 15 minutes. */
  'session/sign-in': { args: SignInArgs; result: SessionState };
  /** The signed-in agent's password on the lock screen. */
  'session/unlock': { args: { password: string }; result: SessionState };
  'session/lock': { args: { reason?: 'manuel' | 'inactivite' }; result: SessionState };
  'session/sign-out': { args: void; result: SessionState };
  /** The agent is working (keyboard / pointer input): postpones the idle lock. */
  'session/touch': { args: void; result: SessionState };
  'audit/family': { args: { householdId: string; limit?: number }; result: FamilyAuditEntry[] };
}

export const AGENT_COMMANDS = [
  'session/current',
  'session/sign-in',
  'session/unlock',
  'session/lock',
  'session/sign-out',
  'session/touch',
  'audit/family',
] as const satisfies readonly (keyof AgentApi)[];
