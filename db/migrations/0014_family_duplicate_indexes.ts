/**
 * Indexes for duplicate detection when a family file is created (core/family/duplicates.ts): children by date
 * of birth, adults and parents' web accounts by e-mail (compared in lower case). Without them every check
 * scans the town's persons (tens of thousands of rows) at the desk and on the server.
 */
import { sql } from 'kysely';
import type { MigrationDb } from './helpers';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema.createIndex('persons_birth_date_idx').on('persons').column('birth_date').execute();
  await db.schema
    .createIndex('persons_lower_email_idx')
    .on('persons')
    .expression(sql`lower(${sql.ref('email')})`)
    .execute();
  await db.schema
    .createIndex('citizen_accounts_lower_email_idx')
    .on('citizen_accounts')
    .expression(sql`lower(${sql.ref('email')})`)
    .execute();
}
