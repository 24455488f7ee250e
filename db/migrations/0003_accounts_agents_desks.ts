/**
 * Who logs in: parents (citizen accounts, access keys, sessions), agents with
 * their roles, and the enrolled desks (counters) with their receipt prefix.
 * Secrets are stored only as hashes.
 */
import { bool, enumOf, indexes, nonNegative, primaryId, ref, required } from './helpers';
import type { MigrationDb } from './helpers';

export async function up(db: MigrationDb): Promise<void> {
  // `household_id` is NULL while an account made with "Créer mon espace" is not yet
  // linked to a family record (by an access key or by an agent).
  await db.schema
    .createTable('citizen_accounts')
    .addColumn('id', 'text', primaryId)
    .addColumn('household_id', 'text', ref('households', { nullable: true }))
    .addColumn('person_id', 'text', ref('persons', { nullable: true }))
    .addColumn('login', 'text', (c) => c.notNull().unique())
    .addColumn('email', 'text', required)
    .addColumn('password_hash', 'text', required)
    .addColumn(
      'status',
      'text',
      enumOf('status', ['en_attente_activation', 'actif', 'desactive'], { default: 'en_attente_activation' }),
    )
    .addColumn('activation_token_hash', 'text', (c) => c.unique())
    .addColumn('activation_expires_at', 'text')
    .addColumn('password_reset_token_hash', 'text', (c) => c.unique())
    .addColumn('password_reset_expires_at', 'text')
    .addColumn('failed_login_count', 'integer', nonNegative('failed_login_count', { default: 0 }))
    .addColumn('locked_until', 'text')
    .addColumn('last_login_at', 'text')
    .addColumn('created_at', 'text', required)
    .addColumn('updated_at', 'text', required)
    .execute();
  await indexes(db, 'citizen_accounts', ['household_id', 'person_id']);

  // "Clé Espace Citoyens Enfance: 18456-N0OBOES", mailed by the town; single use.
  await db.schema
    .createTable('household_access_keys')
    .addColumn('id', 'text', primaryId)
    .addColumn('household_id', 'text', ref('households'))
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('key_hint', 'text', required)
    .addColumn('issued_at', 'text', required)
    .addColumn('expires_at', 'text')
    .addColumn('used_at', 'text')
    .addColumn('used_by_account_id', 'text', ref('citizen_accounts', { nullable: true }))
    .addColumn('updated_at', 'text', required)
    .execute();
  await indexes(db, 'household_access_keys', ['household_id', 'used_by_account_id']);

  // Server only (portal cookie sessions); never replicated.
  await db.schema
    .createTable('citizen_sessions')
    .addColumn('id', 'text', primaryId)
    .addColumn('account_id', 'text', ref('citizen_accounts'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', required)
    .addColumn('expires_at', 'text', required)
    .addColumn('last_seen_at', 'text')
    .execute();
  await indexes(db, 'citizen_sessions', ['account_id', 'expires_at']);

  await db.schema
    .createTable('agents')
    .addColumn('id', 'text', primaryId)
    .addColumn('login', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', required)
    .addColumn('email', 'text')
    .addColumn('password_hash', 'text', required)
    .addColumn('active', 'integer', bool('active', 1))
    .addColumn('failed_login_count', 'integer', nonNegative('failed_login_count', { default: 0 }))
    .addColumn('locked_until', 'text')
    .addColumn('last_login_at', 'text')
    .addColumn('created_at', 'text', required)
    .addColumn('updated_at', 'text', required)
    .execute();

  await db.schema
    .createTable('agent_roles')
    .addColumn('agent_id', 'text', ref('agents'))
    .addColumn('role', 'text', enumOf('role', ['accueil', 'regisseur', 'administrateur']))
    .addColumn('updated_at', 'text', required)
    .addPrimaryKeyConstraint('agent_roles_pk', ['agent_id', 'role'])
    .execute();

  // A counter's workstation. Enrolment gives it a token (stored hashed); revoking
  // it stops its sync. Desks are never deleted: receipts and ops point at them.
  await db.schema
    .createTable('desks')
    .addColumn('id', 'text', primaryId)
    .addColumn('name', 'text', required)
    .addColumn('receipt_prefix', 'text', (c) => c.notNull().unique())
    .addColumn('token_hash', 'text', (c) => c.unique())
    .addColumn('enrolled_at', 'text')
    .addColumn('revoked_at', 'text')
    .addColumn('last_seen_at', 'text')
    .addColumn('created_at', 'text', required)
    .addColumn('updated_at', 'text', required)
    .execute();
}
