// Desk contract, agent commands: argument and result types shared by the backend and renderer/desk.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface AgentApi {}

export const AGENT_COMMANDS = [] as const satisfies readonly (keyof AgentApi)[];
