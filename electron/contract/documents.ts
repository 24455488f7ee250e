// Desk contract, documents commands: argument and result types shared by the backend and renderer/desk.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DocumentsApi {}

export const DOCUMENTS_COMMANDS = [] as const satisfies readonly (keyof DocumentsApi)[];
