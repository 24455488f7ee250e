// A household's issued invoices as the counter shows and prints them: lines per child and activity (the unit or
// price label without the activity and child), and the payments allocated to an invoice. Read-only.
import type { Kysely } from 'kysely';
import type { Database, InvoiceStatus, PaymentMode, Row } from '../schema';
import { displayName } from './households';

export interface CashierInvoiceLineRow {
  id: string;
  personId: string;
  /** "DUPONT Léa". */
  childName: string;
  childFirstName: string;
  activityName: string;
  /** The unit or price label ("Matin", "Repas sans viande"), without the activity and child. */
  designation: string;
  label: string;
  quantity: number;
  unitPriceCents: number;
  amountCents: number;
  position: number;
}

export interface CashierInvoiceRow {
  id: string;
  number: string;
  householdId: string;
  payerPersonId: string;
  label: string;
  month: string;
  issuedOn: string | null;
  dueOn: string | null;
  totalCents: number;
  paidCents: number;
  status: InvoiceStatus;
  lines: CashierInvoiceLineRow[];
}

/** "ALSH Mercredis — Repas sans viande (Léa)" → "Repas sans viande": the line label without activity and child. */
export function lineDesignation(label: string, activityName: string, childFirstName: string): string {
  let text = label.trim();
  const prefix = `${activityName} — `;
  if (text.startsWith(prefix)) text = text.slice(prefix.length);
  const suffix = ` (${childFirstName})`;
  if (childFirstName !== '' && text.endsWith(suffix)) text = text.slice(0, -suffix.length);
  return text === '' ? label : text;
}

type LineOfInvoice = CashierInvoiceLineRow & { invoiceId: string };

async function linesOf(db: Kysely<Database>, invoiceIds: string[]): Promise<LineOfInvoice[]> {
  if (invoiceIds.length === 0) return [];
  const rows = await db
    .selectFrom('invoice_lines as l')
    .innerJoin('persons as p', 'p.id', 'l.person_id')
    .innerJoin('activities as a', 'a.id', 'l.activity_id')
    .select([
      'l.id',
      'l.invoice_id',
      'l.person_id',
      'p.first_names',
      'p.usage_last_name',
      'a.name as activity_name',
      'l.label',
      'l.quantity',
      'l.unit_price_cents',
      'l.amount_cents',
      'l.position',
    ])
    .where('l.invoice_id', 'in', invoiceIds)
    .orderBy('l.invoice_id')
    .orderBy('l.position')
    .execute();
  return rows.map((r) => {
    const childFirstName = r.first_names.trim().split(/\s+/)[0] ?? '';
    return {
      id: r.id,
      invoiceId: r.invoice_id,
      personId: r.person_id,
      childName: displayName(r),
      childFirstName,
      activityName: r.activity_name,
      designation: lineDesignation(r.label, r.activity_name, childFirstName),
      label: r.label,
      quantity: r.quantity,
      unitPriceCents: r.unit_price_cents,
      amountCents: r.amount_cents,
      position: r.position,
    };
  });
}

function toInvoiceRow(invoice: Row<'invoices'>, lines: readonly LineOfInvoice[]): CashierInvoiceRow {
  return {
    id: invoice.id,
    number: invoice.number ?? '',
    householdId: invoice.household_id,
    payerPersonId: invoice.payer_person_id,
    label: invoice.label,
    month: invoice.month,
    issuedOn: invoice.issued_on,
    dueOn: invoice.due_on,
    totalCents: invoice.total_cents,
    paidCents: invoice.paid_cents,
    status: invoice.status,
    lines: lines.filter((l) => l.invoiceId === invoice.id).map(({ invoiceId: _invoiceId, ...line }) => line),
  };
}

/** The household's issued invoices (drafts left out), oldest first, each with its lines. */
export async function listCashierInvoices(
  db: Kysely<Database>,
  householdId: string,
): Promise<CashierInvoiceRow[]> {
  const invoices = await db
    .selectFrom('invoices')
    .selectAll()
    .where('household_id', '=', householdId)
    .where('status', '!=', 'brouillon')
    .where('number', 'is not', null)
    .orderBy('issued_on')
    .orderBy('number')
    .orderBy('id')
    .execute();
  const lines = await linesOf(
    db,
    invoices.map((i) => i.id),
  );
  return invoices.map((invoice) => toInvoiceRow(invoice, lines));
}

/** One issued invoice with its lines, or null. */
export async function getCashierInvoice(
  db: Kysely<Database>,
  invoiceId: string,
): Promise<CashierInvoiceRow | null> {
  const invoice = await db
    .selectFrom('invoices')
    .selectAll()
    .where('id', '=', invoiceId)
    .where('status', '!=', 'brouillon')
    .where('number', 'is not', null)
    .executeTakeFirst();
  if (!invoice) return null;
  const lines = await linesOf(db, [invoice.id]);
  return toInvoiceRow(invoice, lines);
}

export interface InvoiceAllocationRow {
  paymentId: string;
  receivedAt: string;
  mode: PaymentMode;
  receiptNumber: string | null;
  /** What the payment (negative for a reversal) put on the invoice. */
  amountCents: number;
}

/** The payments (and reversals) allocated to an invoice, oldest first. */
export async function listInvoiceAllocations(
  db: Kysely<Database>,
  invoiceId: string,
): Promise<InvoiceAllocationRow[]> {
  const rows = await db
    .selectFrom('payment_allocations as pa')
    .innerJoin('payments as p', 'p.id', 'pa.payment_id')
    .leftJoin('receipts as r', 'r.payment_id', 'p.id')
    .select(['p.id', 'p.received_at', 'p.mode', 'r.number', 'pa.amount_cents'])
    .where('pa.invoice_id', '=', invoiceId)
    .orderBy('p.received_at')
    .orderBy('p.id')
    .execute();
  return rows.map((r) => ({
    paymentId: r.id,
    receivedAt: r.received_at,
    mode: r.mode,
    receiptNumber: r.number,
    amountCents: r.amount_cents,
  }));
}
