// Desk contract, planning commands: argument and result types shared by the backend and renderer/desk.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface PlanningApi {}

export const PLANNING_COMMANDS = [] as const satisfies readonly (keyof PlanningApi)[];
