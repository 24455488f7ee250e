// French strings of the desk's documents screens.
export const frDocuments = {} as const;
