// French strings of the desk's cashier screens.
export const frCashier = {} as const;
