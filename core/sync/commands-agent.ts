// audit.session v1 — an agent's session at a desk (sign-in, sign-out, lock, unlock), sent to the server for the
// audit trail. The desk decides sign-ins offline (against the agents' scrypt hashes of its replica); the server only
// records what happened: this command is never refused once well-formed and the agent known.
import { z } from 'zod';

export const SESSION_EVENTS = ['sign_in', 'sign_out', 'lock', 'unlock'] as const;
export type SessionEvent = (typeof SESSION_EVENTS)[number];

/** Why a session was locked or ended: the agent asked, the desk was idle, another agent took the desk. */
export const SESSION_REASONS = ['manuel', 'inactivite', 'changement_agent', 'compte_desactive'] as const;
export type SessionReason = (typeof SESSION_REASONS)[number];

export const auditSessionV1 = z.object({
  event: z.enum(SESSION_EVENTS),
  /** When it happened, desk time corrected by the server offset (the desk may be offline for hours). */
  at: z.string().datetime(),
  reason: z.enum(SESSION_REASONS).optional(),
});
export type AuditSessionV1 = z.infer<typeof auditSessionV1>;

export const AGENT_COMMAND_SCHEMAS = {
  'audit.session': { version: 1, schema: auditSessionV1 },
} as const;
