/**
 * The ordered, static list of migrations (forward-only). Static imports, no
 * filesystem scanning, so it works bundled into the desk or the server.
 * To add one: write `NNNN_<what-it-does>.ts` exporting `up`, import it here, add
 * it last. Never edit or reorder a migration that has shipped.
 */
import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001_town_and_reference';
import * as m0002 from './0002_households_and_people';
import * as m0003 from './0003_accounts_agents_desks';
import * as m0004 from './0004_activities_periods_capacity';
import * as m0005 from './0005_demandes_messages_documents';
import * as m0006 from './0006_inscriptions_bookings_attendance';
import * as m0007 from './0007_tariffs_invoices_payments';
import * as m0008 from './0008_publications_audit';
import * as m0009 from './0009_sync';
import * as m0010 from './0010_desk_outbox_effects';
import * as m0011 from './0011_planner_indexes';
import * as m0012 from './0012_household_search_index';
import * as m0014 from './0014_family_duplicate_indexes';
import * as m0015 from './0015_absence_justificatif';
import * as m0017 from './0017_mail_outbox';
import * as m0018 from './0018_void_receipts';

/** Name → migration; names sort in application order. */
export const migrations: Readonly<Record<string, Migration>> = Object.freeze({
  '0001_town_and_reference': m0001,
  '0002_households_and_people': m0002,
  '0003_accounts_agents_desks': m0003,
  '0004_activities_periods_capacity': m0004,
  '0005_demandes_messages_documents': m0005,
  '0006_inscriptions_bookings_attendance': m0006,
  '0007_tariffs_invoices_payments': m0007,
  '0008_publications_audit': m0008,
  '0009_sync': m0009,
  '0010_desk_outbox_effects': m0010,
  '0011_planner_indexes': m0011,
  '0012_household_search_index': m0012,
  '0014_family_duplicate_indexes': m0014,
  '0015_absence_justificatif': m0015,
  '0017_mail_outbox': m0017,
  '0018_void_receipts': m0018,
});

/** The schema version spoken by the sync protocol: the number of migrations. */
export const SCHEMA_VERSION: number = Object.keys(migrations).length;

/** Kysely MigrationProvider over the static list above. */
export const staticMigrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
};
