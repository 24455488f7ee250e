// French strings of the desk's planning screens.
export const frPlanning = {} as const;
