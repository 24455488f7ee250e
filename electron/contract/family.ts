// Desk contract, family commands: argument and result types shared by the backend and renderer/desk.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface FamilyApi {}

export const FAMILY_COMMANDS = [] as const satisfies readonly (keyof FamilyApi)[];
