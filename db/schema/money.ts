import type { Cents, Day, Defaulted, Id, Instant } from './common';
import type { InvoiceStatus, PaymentMode, Residency, SepaMandateStatus } from './enums';

export interface TariffVersionsTable {
  id: Id;
  activity_id: Id;
  label: string;
  valid_from: Day;
  valid_to: Day | null;
  updated_at: Instant;
}

/** QF bounds in whole euros, both inclusive; NULL qf_max = no ceiling. */
export interface TariffBracketsTable {
  id: Id;
  tariff_version_id: Id;
  position: number;
  label: string | null;
  qf_min: number;
  qf_max: number | null;
  updated_at: Instant;
}

export interface TariffPricesTable {
  id: Id;
  tariff_version_id: Id;
  bracket_id: Id;
  price_code: string;
  label: string | null;
  residency: Residency;
  amount_cents: Cents;
  updated_at: Instant;
}

/** `number` is NULL only for a draft (or a cancelled draft). */
export interface InvoicesTable {
  id: Id;
  number: string | null;
  household_id: Id;
  payer_person_id: Id;
  /** 'Octobre 2026' */
  label: string;
  /** 'YYYY-MM' */
  month: string;
  issued_on: Day | null;
  due_on: Day | null;
  total_cents: Defaulted<Cents>;
  paid_cents: Defaulted<Cents>;
  status: Defaulted<InvoiceStatus>;
  pdf_blob_hash: string | null;
  sent_at: Instant | null;
  created_at: Instant;
  updated_at: Instant;
}

export interface InvoiceLinesTable {
  id: Id;
  invoice_id: Id;
  person_id: Id;
  activity_id: Id;
  unit_id: Id | null;
  price_code: string;
  label: string;
  quantity: number;
  unit_price_cents: Cents;
  amount_cents: Cents;
  position: number;
  updated_at: Instant;
}

/** Negative `amount_cents` only for a reversal (`reversal_of_payment_id` set). */
export interface PaymentsTable {
  id: Id;
  household_id: Id;
  mode: PaymentMode;
  amount_cents: Cents;
  received_at: Instant;
  payer_name: string | null;
  desk_id: Id | null;
  agent_id: Id | null;
  bank: string | null;
  cheque_number: string | null;
  tpe_reference: string | null;
  provider: string | null;
  provider_reference: string | null;
  reversal_of_payment_id: Id | null;
  origin_op_id: string | null;
  created_at: Instant;
  updated_at: Instant;
}

export interface PaymentAllocationsTable {
  id: Id;
  payment_id: Id;
  invoice_id: Id;
  amount_cents: Cents;
  updated_at: Instant;
}

export interface ReceiptsTable {
  id: Id;
  number: string;
  /** Null for a void receipt: a number printed by a payment command the server refused (see void_reason). */
  payment_id: Id | null;
  desk_id: Id | null;
  issued_at: Instant;
  updated_at: Instant;
  /** Why the receipt is void (the server's refusal); null for a receipt of a payment. */
  void_reason: string | null;
}

export interface SepaMandatesTable {
  id: Id;
  household_id: Id;
  /** Référence unique du mandat. */
  rum: string;
  iban: string;
  bic: string | null;
  holder_name: string;
  signed_on: Day;
  status: Defaulted<SepaMandateStatus>;
  revoked_on: Day | null;
  created_at: Instant;
  updated_at: Instant;
}

/** Server-side numbering ('invoice', 'demande'). */
export interface CountersTable {
  name: string;
  value: Defaulted<number>;
}

/** Per-desk gapless numbering (receipts). Primary key (desk_id, name). */
export interface DeskCountersTable {
  desk_id: Id;
  name: string;
  value: Defaulted<number>;
}
