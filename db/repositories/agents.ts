/** Agents (town staff using the desk) and their roles, and the password check shared by the server and the desk. */
import type { Kysely } from 'kysely';
import { hashPasswordSync, verifyPassword } from '../seed/passwords';
import type { AgentRole, Database, Row } from '../schema';

export interface AgentWithRoles extends Row<'agents'> {
  roles: AgentRole[];
}

/**
 * The agent with this login (exact match after trimming; logins are unique),
 * active or not, with their roles; null if none. The caller checks `active`
 * and the password hash.
 */
export async function findAgentByLogin(db: Kysely<Database>, login: string): Promise<AgentWithRoles | null> {
  const agent = await db
    .selectFrom('agents')
    .selectAll()
    .where('login', '=', login.trim())
    .executeTakeFirst();
  if (agent === undefined) return null;
  const roles = await db
    .selectFrom('agent_roles')
    .select('role')
    .where('agent_id', '=', agent.id)
    .orderBy('role')
    .execute();
  return { ...agent, roles: roles.map((r) => r.role) };
}

let dummyHash: string | undefined;

/**
 * True when `password` matches `storedHash` (the scrypt format of db/seed/passwords.ts). With no stored hash
 * (unknown login) a dummy hash is checked anyway, so a wrong login takes as long as a wrong password.
 * The one password check: the server (agents, parents) and the desk (agents, offline, against the hashes
 * replicated with the `agents` table) both use it.
 */
export async function checkPassword(
  password: string,
  storedHash: string | null | undefined,
): Promise<boolean> {
  if (storedHash) return verifyPassword(password, storedHash);
  dummyHash ??= hashPasswordSync('guichet-famille-dummy-password');
  await verifyPassword(password, dummyHash);
  return false;
}
