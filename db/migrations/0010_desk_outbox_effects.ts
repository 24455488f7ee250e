/**
 * Desk outbox, second step: the undo records of optimistic local writes, and what
 * the *À traiter* list needs.
 *
 * - `outbox_effects`: for each op still waiting for the server's truth, every row its
 *   local write touched, captured just before (`prior_row_json` NULL = the row did not
 *   exist). Applying pulled changes undoes them (reverse op seq, reverse position),
 *   writes the server's rows, then re-applies the ops still pending (fresh records).
 * - `outbox.household_id`: the family concerned (to call back when the server refused
 *   or waitlisted an offline action); a soft reference, like audit_log's.
 * - `outbox.acknowledged_at`: when an agent marked a rejected / waitlisted op handled.
 * - `outbox.settled_at`: when the server's truth for the op reached the replica (its result is known and the
 *   cursor passed its last change); ops with NULL here are re-applied over every pulled page.
 */
import { indexes, required } from './helpers';
import type { MigrationDb } from './helpers';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('outbox_effects')
    .addColumn('op_seq', 'integer', (c) => c.notNull().references('outbox.seq'))
    .addColumn('position', 'integer', required)
    .addColumn('table_name', 'text', required)
    .addColumn('pk_json', 'text', required)
    .addColumn('prior_row_json', 'text')
    .addPrimaryKeyConstraint('outbox_effects_pk', ['op_seq', 'position'])
    .execute();

  await db.schema.alterTable('outbox').addColumn('household_id', 'text').execute();
  await db.schema.alterTable('outbox').addColumn('acknowledged_at', 'text').execute();
  await db.schema.alterTable('outbox').addColumn('settled_at', 'text').execute();
  await indexes(db, 'outbox', [['settled_at', 'seq']]);
}
