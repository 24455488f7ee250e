// Typed repositories: small async functions over Kysely<Database>, one file per area.
export * from './agents';
export * from './households';
export * from './town';
