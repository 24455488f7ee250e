/**
 * What the counter's cashier screens and printed documents read about a household: who it is (name, address) and
 * its payments with their receipts, allocations and whether the server has acknowledged them yet. Read-only;
 * writes go through the desk's local commands. Invoices: cashier-invoices.ts; letterhead: town-letterhead.ts.
 */
import type { Kysely } from 'kysely';
import type { Database, PaymentMode, Row } from '../schema';
import { displayName } from './households';

export interface CashierHousehold {
  id: string;
  code: string;
  /** "DUPONT Marie"; '' without titulaire. */
  titulaire: string;
  /** "Mme Marie DUPONT", for an address block; '' without titulaire. */
  titulaireFormal: string;
  /** Postal address, one line per entry (street, building, complement, postcode + city, country). */
  addressLines: string[];
}

export interface CashierAllocationRow {
  invoiceId: string;
  invoiceNumber: string | null;
  invoiceLabel: string;
  amountCents: number;
}

/** Where a desk payment stands with the server. */
export type PaymentSyncState = 'pending' | 'confirmed' | 'rejected';

export interface CashierPaymentRow {
  id: string;
  householdId: string;
  mode: PaymentMode;
  amountCents: number;
  receivedAt: string;
  payerName: string | null;
  bank: string | null;
  chequeNumber: string | null;
  tpeReference: string | null;
  provider: string | null;
  providerReference: string | null;
  reversalOfPaymentId: string | null;
  receiptNumber: string | null;
  deskName: string | null;
  agentName: string | null;
  allocations: CashierAllocationRow[];
  sync: PaymentSyncState;
}

const CIVILITY: Record<string, string> = { m: 'M.', mme: 'Mme' };

/** "Mme Marie DUPONT": civility, usual first name, last name in capitals. */
export function formalName(
  person: Pick<Row<'persons'>, 'civility' | 'first_names' | 'usage_last_name'>,
): string {
  const first = person.first_names.trim().split(/\s+/)[0] ?? '';
  const parts = [
    person.civility ? CIVILITY[person.civility] : undefined,
    first,
    person.usage_last_name.toLocaleUpperCase('fr-FR'),
  ];
  return parts.filter((part) => part !== undefined && part !== '').join(' ');
}

/** The postal address of a household as printed on an envelope window. */
export function addressLines(
  h: Pick<
    Row<'households'>,
    'numero' | 'voie' | 'batiment' | 'appartement' | 'complement' | 'postcode' | 'city' | 'country'
  >,
): string[] {
  const street = [h.numero, h.voie].filter(Boolean).join(' ');
  const building = [h.batiment ? `Bât. ${h.batiment}` : null, h.appartement ? `appt ${h.appartement}` : null]
    .filter(Boolean)
    .join(', ');
  const town = [h.postcode, h.city?.toLocaleUpperCase('fr-FR')].filter(Boolean).join(' ');
  const country = h.country && !/^(fr|france)$/i.test(h.country.trim()) ? h.country : null;
  return [building, street, h.complement, town, country].filter((line): line is string => Boolean(line));
}

/** The household as the cashier and its documents name it; null when unknown on this replica. */
export async function getCashierHousehold(
  db: Kysely<Database>,
  householdId: string,
): Promise<CashierHousehold | null> {
  const household = await db
    .selectFrom('households')
    .selectAll()
    .where('id', '=', householdId)
    .executeTakeFirst();
  if (!household) return null;
  const titulaire = await db
    .selectFrom('household_members as m')
    .innerJoin('persons as p', 'p.id', 'm.person_id')
    .select(['p.civility', 'p.first_names', 'p.usage_last_name'])
    .where('m.household_id', '=', householdId)
    .where('m.role', '=', 'titulaire')
    .executeTakeFirst();
  return {
    id: household.id,
    code: household.code,
    titulaire: titulaire ? displayName(titulaire) : '',
    titulaireFormal: titulaire ? formalName(titulaire) : '',
    addressLines: addressLines(household),
  };
}

function paymentQuery(db: Kysely<Database>) {
  return db
    .selectFrom('payments as p')
    .leftJoin('receipts as r', 'r.payment_id', 'p.id')
    .leftJoin('desks as d', 'd.id', 'p.desk_id')
    .leftJoin('agents as a', 'a.id', 'p.agent_id')
    .leftJoin('outbox as o', 'o.op_id', 'p.origin_op_id')
    .select([
      'p.id',
      'p.household_id',
      'p.mode',
      'p.amount_cents',
      'p.received_at',
      'p.payer_name',
      'p.bank',
      'p.cheque_number',
      'p.tpe_reference',
      'p.provider',
      'p.provider_reference',
      'p.reversal_of_payment_id',
      'r.number as receipt_number',
      'd.name as desk_name',
      'a.display_name as agent_name',
      'o.status as outbox_status',
    ]);
}

type PaymentQueryRow = Awaited<ReturnType<ReturnType<typeof paymentQuery>['execute']>>[number];

async function withAllocations(
  db: Kysely<Database>,
  rows: readonly PaymentQueryRow[],
): Promise<CashierPaymentRow[]> {
  const ids = rows.map((r) => r.id);
  const allocations =
    ids.length === 0
      ? []
      : await db
          .selectFrom('payment_allocations as pa')
          .innerJoin('invoices as i', 'i.id', 'pa.invoice_id')
          .select(['pa.payment_id', 'pa.invoice_id', 'i.number', 'i.label', 'i.issued_on', 'pa.amount_cents'])
          .where('pa.payment_id', 'in', ids)
          .orderBy('i.issued_on')
          .orderBy('i.number')
          .execute();
  return rows.map((r) => ({
    id: r.id,
    householdId: r.household_id,
    mode: r.mode,
    amountCents: r.amount_cents,
    receivedAt: r.received_at,
    payerName: r.payer_name,
    bank: r.bank,
    chequeNumber: r.cheque_number,
    tpeReference: r.tpe_reference,
    provider: r.provider,
    providerReference: r.provider_reference,
    reversalOfPaymentId: r.reversal_of_payment_id,
    receiptNumber: r.receipt_number,
    deskName: r.desk_name,
    agentName: r.agent_name,
    allocations: allocations
      .filter((a) => a.payment_id === r.id)
      .map((a) => ({
        invoiceId: a.invoice_id,
        invoiceNumber: a.number,
        invoiceLabel: a.label,
        amountCents: a.amount_cents,
      })),
    sync: syncStateOf(r.outbox_status),
  }));
}

/** A payment written by a desk command stays pending until the server has decided that command. */
export function syncStateOf(status: string | null): PaymentSyncState {
  if (status === 'pending' || status === 'sent') return 'pending';
  if (status === 'rejected') return 'rejected';
  return 'confirmed';
}

/** The household's payments (reversals included), newest first, with receipts, allocations and sync state. */
export async function listCashierPayments(
  db: Kysely<Database>,
  householdId: string,
): Promise<CashierPaymentRow[]> {
  const rows = await paymentQuery(db)
    .where('p.household_id', '=', householdId)
    .orderBy('p.received_at', 'desc')
    .orderBy('p.id', 'desc')
    .execute();
  return withAllocations(db, rows);
}

/** One payment with its receipt, allocations and sync state, or null. */
export async function getCashierPayment(
  db: Kysely<Database>,
  paymentId: string,
): Promise<CashierPaymentRow | null> {
  const row = await paymentQuery(db).where('p.id', '=', paymentId).executeTakeFirst();
  if (!row) return null;
  return (await withAllocations(db, [row]))[0] ?? null;
}

/** "Mme Marie DUPONT" for a person id, or null. */
export async function getPersonFormalName(db: Kysely<Database>, personId: string): Promise<string | null> {
  const person = await db
    .selectFrom('persons')
    .select(['civility', 'first_names', 'usage_last_name'])
    .where('id', '=', personId)
    .executeTakeFirst();
  return person ? formalName(person) : null;
}

/** Why a payment was reversed (the audit trail's reason), or null. */
export async function getReversalReason(db: Kysely<Database>, paymentId: string): Promise<string | null> {
  const row = await db
    .selectFrom('audit_log')
    .select('reason')
    .where('action', '=', 'payment.reverse')
    .where('entity', '=', 'payments')
    .where('entity_id', '=', paymentId)
    .orderBy('at', 'desc')
    .executeTakeFirst();
  return row?.reason ?? null;
}
