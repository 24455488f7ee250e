/**
 * Sync bookkeeping. On a desk: the outbox of commands not yet decided by the
 * server, and sync_state (cursor, identity, schema version). On the server:
 * applied_ops (idempotency of pushed commands) and the change log desks pull.
 */
import { sql } from 'kysely';
import { enumOf, indexes, ref, required } from './helpers';
import type { MigrationDb } from './helpers';

export async function up(db: MigrationDb): Promise<void> {
  // `seq` is gapless per desk: assigned max(seq)+1 in the transaction that makes
  // the local change (INTEGER PRIMARY KEY, no AUTOINCREMENT).
  await db.schema
    .createTable('outbox')
    .addColumn('seq', 'integer', (c) => c.primaryKey().notNull())
    .addColumn('op_id', 'text', (c) => c.notNull().unique())
    .addColumn('command', 'text', required)
    .addColumn('command_version', 'integer', required)
    .addColumn('payload_json', 'text', required)
    .addColumn('agent_id', 'text', ref('agents'))
    .addColumn('created_at', 'text', required)
    .addColumn(
      'status',
      'text',
      enumOf('status', ['pending', 'sent', 'accepted', 'rejected', 'waitlisted'], { default: 'pending' }),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('result_json', 'text')
    .addColumn('sent_at', 'text')
    .addColumn('decided_at', 'text')
    .execute();
  await indexes(db, 'outbox', ['agent_id', ['status', 'seq']]);

  // One row per command the server ran: a repeat of `op_id` returns `result_json`.
  // desk_id/desk_seq are NULL for commands from the portal.
  await db.schema
    .createTable('applied_ops')
    .addColumn('op_id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('desk_id', 'text', ref('desks', { nullable: true }))
    .addColumn('desk_seq', 'integer')
    .addColumn('command', 'text', required)
    .addColumn('payload_hash', 'text', required)
    .addColumn('result_json', 'text', required)
    .addColumn('change_seq', 'integer')
    .addColumn('applied_at', 'text', required)
    .addUniqueConstraint('applied_ops_desk_seq_unique', ['desk_id', 'desk_seq'])
    .execute();

  // Hole-free: `seq` = max(seq)+1 inside the writing transaction, so a reader that
  // saw seq N has seen every change ≤ N. `household_id` scopes visibility (NULL =
  // reference data everyone may see); a soft reference, like audit_log's.
  // `row_json` is the full row after the change (NULL for a delete). For a table
  // with a composite key (household_members, agent_roles, activity_sites,
  // desk_counters) `entity_id` is the key values joined by '|' in key order.
  await db.schema
    .createTable('change_log')
    .addColumn('seq', 'integer', (c) => c.primaryKey().notNull())
    .addColumn('entity', 'text', required)
    .addColumn('entity_id', 'text', required)
    .addColumn('op', 'text', enumOf('op', ['upsert', 'delete']))
    .addColumn('household_id', 'text')
    .addColumn('row_json', 'text')
    .addColumn('at', 'text', required)
    .addCheckConstraint('change_log_upsert_has_row', sql`op = 'delete' or row_json is not null`)
    .execute();
  await indexes(db, 'change_log', [
    ['entity', 'entity_id'],
    ['household_id', 'seq'],
  ]);

  // Keys: 'desk_id', 'cursor' (last pulled change seq), 'schema_version', …
  await db.schema
    .createTable('sync_state')
    .addColumn('key', 'text', (c) => c.primaryKey().notNull())
    .addColumn('value', 'text', required)
    .execute();
}
