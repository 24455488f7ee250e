// French strings of the desk's family screens.
export const frFamily = {} as const;
