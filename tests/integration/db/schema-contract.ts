/**
 * The schema contract other engineers rely on, written out independently of the
 * migrations: for each table, its primary key, its foreign keys (column → table
 * or table.column) and its unique keys. schema.test.ts checks the migrated
 * database against it, both ways (nothing missing, nothing extra).
 */

export interface TableContract {
  pk: string[];
  fks?: Record<string, string>;
  uniques?: string[][];
}

const id = ['id'];

export const CONTRACT: Record<string, TableContract> = {
  // town
  blobs: { pk: ['hash'] },
  towns: { pk: id, fks: { logo_blob_hash: 'blobs.hash' } },
  sites: { pk: id },
  school_holiday_periods: { pk: id, uniques: [['code', 'start_day']] },
  // people
  households: { pk: id, uniques: [['code']] },
  persons: { pk: id, fks: { photo_blob_hash: 'blobs.hash' } },
  household_members: {
    pk: ['household_id', 'person_id'],
    fks: { household_id: 'households', person_id: 'persons' },
  },
  person_relations: {
    pk: id,
    fks: { person_id: 'persons', related_person_id: 'persons' },
    uniques: [['person_id', 'related_person_id']],
  },
  authorisations: { pk: id, fks: { person_id: 'persons' } },
  health_notes: { pk: id, fks: { person_id: 'persons' } },
  qf_records: { pk: id, fks: { household_id: 'households', document_id: 'documents' } },
  // accounts
  citizen_accounts: {
    pk: id,
    fks: { household_id: 'households', person_id: 'persons' },
    uniques: [['login'], ['activation_token_hash'], ['password_reset_token_hash']],
  },
  household_access_keys: {
    pk: id,
    fks: { household_id: 'households', used_by_account_id: 'citizen_accounts' },
    uniques: [['key_hash']],
  },
  citizen_sessions: { pk: id, fks: { account_id: 'citizen_accounts' }, uniques: [['token_hash']] },
  agents: { pk: id, uniques: [['login']] },
  agent_roles: { pk: ['agent_id', 'role'], fks: { agent_id: 'agents' } },
  desks: { pk: id, uniques: [['receipt_prefix'], ['token_hash']] },
  // activities
  activities: { pk: id, uniques: [['code']] },
  activity_sites: { pk: ['activity_id', 'site_id'], fks: { activity_id: 'activities', site_id: 'sites' } },
  periods: { pk: id, fks: { activity_id: 'activities' } },
  opening_days: {
    pk: id,
    fks: { period_id: 'periods', site_id: 'sites' },
    uniques: [['period_id', 'site_id', 'day']],
  },
  closures: { pk: id, fks: { site_id: 'sites', activity_id: 'activities' } },
  units: { pk: id, fks: { activity_id: 'activities' }, uniques: [['activity_id', 'code']] },
  unit_rules: { pk: id, fks: { activity_id: 'activities', unit_id: 'units' } },
  capacities: {
    pk: id,
    fks: { site_id: 'sites', activity_id: 'activities', unit_id: 'units' },
    uniques: [['site_id', 'unit_id', 'day', 'age_group']],
  },
  // bookings
  inscriptions: {
    pk: id,
    fks: {
      person_id: 'persons',
      household_id: 'households',
      activity_id: 'activities',
      site_id: 'sites',
      period_id: 'periods',
      demande_id: 'demandes',
      decided_by_agent_id: 'agents',
    },
  },
  bookings: {
    pk: id,
    fks: {
      person_id: 'persons',
      household_id: 'households',
      inscription_id: 'inscriptions',
      activity_id: 'activities',
      site_id: 'sites',
      unit_id: 'units',
      demande_id: 'demandes',
    },
    uniques: [['person_id', 'unit_id', 'day']],
  },
  attendance: {
    pk: id,
    fks: {
      person_id: 'persons',
      booking_id: 'bookings',
      site_id: 'sites',
      unit_id: 'units',
      recorded_by_agent_id: 'agents',
    },
    uniques: [['person_id', 'unit_id', 'day']],
  },
  absences: {
    pk: id,
    fks: {
      person_id: 'persons',
      household_id: 'households',
      demande_id: 'demandes',
      decided_by_agent_id: 'agents',
      document_id: 'documents',
    },
  },
  // demandes, messages, documents
  demandes: {
    pk: id,
    fks: {
      household_id: 'households',
      requester_person_id: 'persons',
      requester_account_id: 'citizen_accounts',
      assigned_agent_id: 'agents',
    },
    uniques: [['number']],
  },
  demande_events: { pk: id, fks: { demande_id: 'demandes' }, uniques: [['demande_id', 'seq']] },
  message_threads: { pk: id, fks: { household_id: 'households', demande_id: 'demandes' } },
  messages: { pk: id, fks: { thread_id: 'message_threads' } },
  documents: {
    pk: id,
    fks: {
      household_id: 'households',
      person_id: 'persons',
      demande_id: 'demandes',
      owner_account_id: 'citizen_accounts',
    },
  },
  document_files: {
    pk: id,
    fks: { document_id: 'documents', blob_hash: 'blobs.hash' },
    uniques: [['document_id', 'position']],
  },
  // money
  tariff_versions: { pk: id, fks: { activity_id: 'activities' } },
  tariff_brackets: {
    pk: id,
    fks: { tariff_version_id: 'tariff_versions' },
    uniques: [['tariff_version_id', 'position']],
  },
  tariff_prices: {
    pk: id,
    fks: { tariff_version_id: 'tariff_versions', bracket_id: 'tariff_brackets' },
    uniques: [['bracket_id', 'price_code', 'residency']],
  },
  invoices: {
    pk: id,
    fks: { household_id: 'households', payer_person_id: 'persons', pdf_blob_hash: 'blobs.hash' },
    uniques: [['number']],
  },
  invoice_lines: {
    pk: id,
    fks: { invoice_id: 'invoices', person_id: 'persons', activity_id: 'activities', unit_id: 'units' },
    uniques: [['invoice_id', 'position']],
  },
  payments: {
    pk: id,
    fks: {
      household_id: 'households',
      desk_id: 'desks',
      agent_id: 'agents',
      reversal_of_payment_id: 'payments',
    },
    uniques: [['origin_op_id']],
  },
  payment_allocations: {
    pk: id,
    fks: { payment_id: 'payments', invoice_id: 'invoices' },
    uniques: [['payment_id', 'invoice_id']],
  },
  receipts: {
    pk: id,
    fks: { payment_id: 'payments', desk_id: 'desks' },
    uniques: [['number'], ['payment_id']],
  },
  sepa_mandates: { pk: id, fks: { household_id: 'households' }, uniques: [['rum']] },
  counters: { pk: ['name'] },
  desk_counters: { pk: ['desk_id', 'name'], fks: { desk_id: 'desks' } },
  // publications and audit
  publications: { pk: id },
  menus: { pk: id, fks: { site_id: 'sites' }, uniques: [['site_id', 'day']] },
  town_documents: { pk: id, fks: { blob_hash: 'blobs.hash' } },
  audit_log: { pk: id, fks: { agent_id: 'agents', desk_id: 'desks' } },
  // family search index (derived, local; the FTS5 table household_search and its shadow tables aside)
  household_search_keys: { pk: ['hno'], uniques: [['household_id']] },
  household_search_docs: { pk: ['docno'] },
  // sync
  outbox: { pk: ['seq'], fks: { agent_id: 'agents' }, uniques: [['op_id']] },
  outbox_effects: { pk: ['op_seq', 'position'], fks: { op_seq: 'outbox.seq' } },
  applied_ops: { pk: ['op_id'], fks: { desk_id: 'desks' }, uniques: [['desk_id', 'desk_seq']] },
  change_log: { pk: ['seq'] },
  sync_state: { pk: ['key'] },
  // mail (server only)
  mail_outbox: { pk: id },
};

/** Tables outside the replicated data (no `updated_at`): content store, secrets, sync bookkeeping, derived indexes. */
export const NOT_REPLICATED = new Set([
  'blobs',
  'citizen_sessions',
  'counters',
  'desk_counters',
  'outbox',
  'outbox_effects',
  'applied_ops',
  'change_log',
  'sync_state',
  'household_search_keys',
  'household_search_docs',
  'mail_outbox',
]);
