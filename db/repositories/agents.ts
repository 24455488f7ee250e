/** Agents (town staff using the desk) and their roles. */
import type { Kysely } from 'kysely';
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
