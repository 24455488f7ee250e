// Password checks for agents and parents: one function, shared with the desk (db/repositories/agents.ts).
export { checkPassword } from '../../db/repositories/agents';
