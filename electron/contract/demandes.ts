// Desk contract, demandes commands: argument and result types shared by the backend and renderer/desk.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DemandesApi {}

export const DEMANDES_COMMANDS = [] as const satisfies readonly (keyof DemandesApi)[];
