/**
 * The Kysely `Database` interface: one interface per table, split by area
 * (town, people, accounts, activities, bookings, demandes & documents, money,
 * publications & audit, sync). Column types follow the storage conventions in
 * ./common.ts; enum values live in ./enums.ts.
 */
import type { Insertable, Selectable, Updateable } from 'kysely';
import type {
  AgentRolesTable,
  AgentsTable,
  CitizenAccountsTable,
  CitizenSessionsTable,
  DesksTable,
  HouseholdAccessKeysTable,
} from './accounts';
import type {
  ActivitiesTable,
  ActivitySitesTable,
  CapacitiesTable,
  ClosuresTable,
  OpeningDaysTable,
  PeriodsTable,
  UnitRulesTable,
  UnitsTable,
} from './activities';
import type { AbsencesTable, AttendanceTable, BookingsTable, InscriptionsTable } from './bookings';
import type {
  DemandeEventsTable,
  DemandesTable,
  DocumentFilesTable,
  DocumentsTable,
  MessagesTable,
  MessageThreadsTable,
} from './demandes';
import type {
  CountersTable,
  DeskCountersTable,
  InvoiceLinesTable,
  InvoicesTable,
  PaymentAllocationsTable,
  PaymentsTable,
  ReceiptsTable,
  SepaMandatesTable,
  TariffBracketsTable,
  TariffPricesTable,
  TariffVersionsTable,
} from './money';
import type {
  AuthorisationsTable,
  HealthNotesTable,
  HouseholdMembersTable,
  HouseholdsTable,
  PersonRelationsTable,
  PersonsTable,
  QfRecordsTable,
} from './people';
import type { MailOutboxTable } from './mail';
import type { AuditLogTable, MenusTable, PublicationsTable, TownDocumentsTable } from './publications';
import type { HouseholdSearchDocsTable, HouseholdSearchKeysTable } from './search';
import type {
  AppliedOpsTable,
  ChangeLogTable,
  OutboxEffectsTable,
  OutboxTable,
  SyncStateTable,
} from './sync';
import type { BlobsTable, SchoolHolidayPeriodsTable, SitesTable, TownsTable } from './town';

export type * from './accounts';
export type * from './activities';
export type * from './bookings';
export type * from './common';
export type * from './demandes';
export type * from './mail';
export type * from './money';
export type * from './people';
export type * from './publications';
export type * from './search';
export type * from './sync';
export type * from './town';
export * from './enums';

export interface Database {
  // town
  blobs: BlobsTable;
  towns: TownsTable;
  sites: SitesTable;
  school_holiday_periods: SchoolHolidayPeriodsTable;
  // people
  households: HouseholdsTable;
  persons: PersonsTable;
  household_members: HouseholdMembersTable;
  person_relations: PersonRelationsTable;
  authorisations: AuthorisationsTable;
  health_notes: HealthNotesTable;
  qf_records: QfRecordsTable;
  // accounts
  citizen_accounts: CitizenAccountsTable;
  household_access_keys: HouseholdAccessKeysTable;
  citizen_sessions: CitizenSessionsTable;
  agents: AgentsTable;
  agent_roles: AgentRolesTable;
  desks: DesksTable;
  // activities
  activities: ActivitiesTable;
  activity_sites: ActivitySitesTable;
  periods: PeriodsTable;
  opening_days: OpeningDaysTable;
  closures: ClosuresTable;
  units: UnitsTable;
  unit_rules: UnitRulesTable;
  capacities: CapacitiesTable;
  // bookings
  inscriptions: InscriptionsTable;
  bookings: BookingsTable;
  attendance: AttendanceTable;
  absences: AbsencesTable;
  // demandes, messages, documents
  demandes: DemandesTable;
  demande_events: DemandeEventsTable;
  message_threads: MessageThreadsTable;
  messages: MessagesTable;
  documents: DocumentsTable;
  document_files: DocumentFilesTable;
  // money
  tariff_versions: TariffVersionsTable;
  tariff_brackets: TariffBracketsTable;
  tariff_prices: TariffPricesTable;
  invoices: InvoicesTable;
  invoice_lines: InvoiceLinesTable;
  payments: PaymentsTable;
  payment_allocations: PaymentAllocationsTable;
  receipts: ReceiptsTable;
  sepa_mandates: SepaMandatesTable;
  counters: CountersTable;
  desk_counters: DeskCountersTable;
  // publications and audit
  publications: PublicationsTable;
  menus: MenusTable;
  town_documents: TownDocumentsTable;
  audit_log: AuditLogTable;
  // mail (server only)
  mail_outbox: MailOutboxTable;
  // family search index (derived, local: migration 0012)
  household_search_keys: HouseholdSearchKeysTable;
  household_search_docs: HouseholdSearchDocsTable;
  // sync
  outbox: OutboxTable;
  outbox_effects: OutboxEffectsTable;
  applied_ops: AppliedOpsTable;
  change_log: ChangeLogTable;
  sync_state: SyncStateTable;
}

export type TableName = keyof Database;

/** Row types: `Row<'bookings'>` as read, `NewRow<'bookings'>` to insert, `RowPatch<'bookings'>` to update. */
export type Row<T extends TableName> = Selectable<Database[T]>;
export type NewRow<T extends TableName> = Insertable<Database[T]>;
export type RowPatch<T extends TableName> = Updateable<Database[T]>;
