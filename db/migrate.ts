/**
 * Brings a database to the latest schema with Kysely's Migrator over the static
 * migration list (db/migrations/index.ts). Safe to run at every start.
 * With a database from `openDatabase`, one call runs in one transaction: on
 * failure nothing of that call stays applied.
 */
import { Migrator } from 'kysely';
import type { Kysely, MigrationProvider } from 'kysely';
import { DomainError } from '../core/errors';
import { SCHEMA_VERSION, staticMigrationProvider } from './migrations';
import type { Database } from './schema';

export { SCHEMA_VERSION };

/** A migration failed. `applied`: what this call left applied (empty when it ran in one transaction). */
export class MigrationError extends DomainError {
  constructor(
    readonly migrationName: string | undefined,
    readonly applied: readonly string[],
    override readonly cause: unknown,
  ) {
    super(
      'DB_MIGRATION_FAILED',
      migrationName === undefined
        ? 'La mise à jour de la base de données a échoué.'
        : `La mise à jour de la base de données a échoué (étape ${migrationName}).`,
      { migrationName, applied: [...applied], cause: cause instanceof Error ? cause.message : String(cause) },
    );
    this.name = 'MigrationError';
  }
}

export function createMigrator(
  db: Kysely<Database>,
  provider: MigrationProvider = staticMigrationProvider,
): Migrator {
  return new Migrator({ db, provider });
}

async function executedNames(migrator: Migrator): Promise<Set<string>> {
  const all = await migrator.getMigrations();
  return new Set(all.filter((m) => m.executedAt !== undefined).map((m) => m.name));
}

/**
 * Applies every pending migration, in order; returns the names applied by this
 * call (empty when already up to date). `provider` is for tests only.
 */
export async function migrateToLatest(
  db: Kysely<Database>,
  provider: MigrationProvider = staticMigrationProvider,
): Promise<{ applied: string[] }> {
  const migrator = createMigrator(db, provider);
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error === undefined) {
    return { applied: results.filter((r) => r.status === 'Success').map((r) => r.migrationName) };
  }
  const failed = results.find((r) => r.status === 'Error')?.migrationName;
  let applied: string[] = [];
  try {
    const after = await executedNames(migrator);
    applied = results.map((r) => r.migrationName).filter((name) => name !== failed && after.has(name));
  } catch {
    // The migration table itself may be unreadable; report nothing as applied.
  }
  throw new MigrationError(failed, applied, error);
}

/** The names of the migrations already applied to `db`, in order. */
export async function appliedMigrations(db: Kysely<Database>): Promise<string[]> {
  const all = await createMigrator(db).getMigrations();
  return all.filter((m) => m.executedAt !== undefined).map((m) => m.name);
}
