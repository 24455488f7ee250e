// Agent sign-in with HTTP Basic (administration calls such as desk enrolment): login + password + a required role.
import type { Kysely } from 'kysely';
import { findAgentByLogin } from '../../db/repositories/agents';
import type { AgentWithRoles } from '../../db/repositories/agents';
import type { AgentRole, Database } from '../../db/schema';
import type { LoginThrottle } from './login-throttle';
import { tooManyAttemptsMessage } from './login-throttle';
import { checkPassword } from './passwords';

export type AgentAuthResult =
  { ok: true; agent: AgentWithRoles } | { ok: false; status: 401 | 403 | 429; code: string; message: string };

function parseBasic(authorization: string | undefined): { login: string; password: string } | null {
  if (!authorization?.startsWith('Basic ')) return null;
  const decoded = Buffer.from(authorization.slice('Basic '.length).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return null;
  return { login: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

const WRONG_CREDENTIALS = {
  ok: false,
  status: 401,
  code: 'AGENT_AUTH_FAILED',
  message: 'Identifiant ou mot de passe incorrect.',
} as const;

export async function authenticateAgent(
  db: Kysely<Database>,
  authorization: string | undefined,
  role: AgentRole,
  throttle: LoginThrottle,
  now: Date,
): Promise<AgentAuthResult> {
  const credentials = parseBasic(authorization);
  if (!credentials) return WRONG_CREDENTIALS;
  const wait = throttle.retryAfterMs(`agent:${credentials.login}`, now.getTime());
  if (wait > 0)
    return { ok: false, status: 429, code: 'TOO_MANY_ATTEMPTS', message: tooManyAttemptsMessage(wait) };
  const agent = await findAgentByLogin(db, credentials.login);
  const valid = await checkPassword(credentials.password, agent?.password_hash);
  if (!agent || !valid || agent.active !== 1) {
    throttle.fail(`agent:${credentials.login}`, now.getTime());
    return WRONG_CREDENTIALS;
  }
  throttle.succeed(`agent:${credentials.login}`);
  if (!agent.roles.includes(role)) {
    return {
      ok: false,
      status: 403,
      code: 'ROLE_REQUIRED',
      message: `Cette action est réservée au rôle « ${role} ».`,
    };
  }
  return { ok: true, agent };
}
