// Desk contract, cashier commands: argument and result types shared by the backend and renderer/desk.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface CashierApi {}

export const CASHIER_COMMANDS = [] as const satisfies readonly (keyof CashierApi)[];
