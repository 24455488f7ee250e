// db/: the only place SQL lives — opening and migrating a database, the schema types, the repositories.
export * from './open';
export * from './migrate';
export * from './schema';
export * from './repositories';
