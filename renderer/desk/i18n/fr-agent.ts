// French strings of the desk's agent screens.
export const frAgent = {} as const;
