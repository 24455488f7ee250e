// French strings of the desk's demandes screens.
export const frDemandes = {} as const;
