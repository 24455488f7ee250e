/**
 * What the desk's payment commands read and write, as synchronous better-sqlite3 statements: households,
 * invoices and what they still owe, payments with their allocations and receipts.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { InvoiceStatus, Row } from '../schema';

export interface PaymentWrite {
  id: string;
  householdId: string;
  mode: string;
  amountCents: number;
  receivedAt: string;
  deskId: string | null;
  agentId: string | null;
  bank: string | null;
  chequeNumber: string | null;
  tpeReference: string | null;
  reversalOfPaymentId: string | null;
  originOpId: string;
  at: string;
}

function prepare(sqlite: BetterSqlite3.Database) {
  const p = (sql: string): BetterSqlite3.Statement => sqlite.prepare(sql);
  return {
    household: p('SELECT * FROM households WHERE id = ?'),
    invoice: p('SELECT * FROM invoices WHERE id = ?'),
    openInvoices: p(
      `SELECT * FROM invoices
       WHERE household_id = ? AND status IN ('non_reglee', 'partiellement_reglee') AND paid_cents < total_cents
       ORDER BY issued_on, number, id`,
    ),
    payment: p('SELECT * FROM payments WHERE id = ?'),
    reversalOf: p('SELECT * FROM payments WHERE reversal_of_payment_id = ? LIMIT 1'),
    allocations: p('SELECT * FROM payment_allocations WHERE payment_id = ? ORDER BY id'),
    receiptByNumber: p('SELECT * FROM receipts WHERE number = ?'),
    receiptOf: p('SELECT * FROM receipts WHERE payment_id = ?'),
    insertPayment: p(
      `INSERT INTO payments (id, household_id, mode, amount_cents, received_at, desk_id, agent_id, bank,
         cheque_number, tpe_reference, reversal_of_payment_id, origin_op_id, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertAllocation: p(
      'INSERT INTO payment_allocations (id, payment_id, invoice_id, amount_cents, updated_at) VALUES (?, ?, ?, ?, ?)',
    ),
    setPaid: p('UPDATE invoices SET paid_cents = ?, status = ?, updated_at = ? WHERE id = ?'),
    insertReceipt: p(
      'INSERT INTO receipts (id, number, payment_id, desk_id, issued_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
  };
}

/** An issued invoice's status once `paidCents` of it are paid. */
export function invoiceStatusFor(invoice: Row<'invoices'>, paidCents: number): InvoiceStatus {
  if (invoice.status === 'brouillon' || invoice.status === 'annulee') return invoice.status;
  if (paidCents >= invoice.total_cents) return 'reglee';
  return paidCents > 0 ? 'partiellement_reglee' : 'non_reglee';
}

export class DeskPayments {
  private readonly s: ReturnType<typeof prepare>;

  constructor(sqlite: BetterSqlite3.Database) {
    this.s = prepare(sqlite);
  }

  household(id: string): Row<'households'> | undefined {
    return this.s.household.get(id) as Row<'households'> | undefined;
  }

  invoice(id: string): Row<'invoices'> | undefined {
    return this.s.invoice.get(id) as Row<'invoices'> | undefined;
  }

  /** Issued invoices of the household that still owe something, oldest first. */
  openInvoices(householdId: string): Row<'invoices'>[] {
    return this.s.openInvoices.all(householdId) as Row<'invoices'>[];
  }

  payment(id: string): Row<'payments'> | undefined {
    return this.s.payment.get(id) as Row<'payments'> | undefined;
  }

  reversalOf(paymentId: string): Row<'payments'> | undefined {
    return this.s.reversalOf.get(paymentId) as Row<'payments'> | undefined;
  }

  allocations(paymentId: string): Row<'payment_allocations'>[] {
    return this.s.allocations.all(paymentId) as Row<'payment_allocations'>[];
  }

  receiptByNumber(number: string): Row<'receipts'> | undefined {
    return this.s.receiptByNumber.get(number) as Row<'receipts'> | undefined;
  }

  receiptOf(paymentId: string): Row<'receipts'> | undefined {
    return this.s.receiptOf.get(paymentId) as Row<'receipts'> | undefined;
  }

  insertPayment(w: PaymentWrite): void {
    this.s.insertPayment.run(
      w.id,
      w.householdId,
      w.mode,
      w.amountCents,
      w.receivedAt,
      w.deskId,
      w.agentId,
      w.bank,
      w.chequeNumber,
      w.tpeReference,
      w.reversalOfPaymentId,
      w.originOpId,
      w.at,
      w.at,
    );
  }

  insertAllocation(id: string, paymentId: string, invoiceId: string, amountCents: number, at: string): void {
    this.s.insertAllocation.run(id, paymentId, invoiceId, amountCents, at);
  }

  /** Sets what the invoice has received, and its status accordingly. */
  setPaid(invoice: Row<'invoices'>, paidCents: number, at: string): void {
    this.s.setPaid.run(paidCents, invoiceStatusFor(invoice, paidCents), at, invoice.id);
  }

  insertReceipt(
    id: string,
    number: string,
    paymentId: string,
    deskId: string | null,
    issuedAt: string,
  ): void {
    this.s.insertReceipt.run(id, number, paymentId, deskId, issuedAt, issuedAt);
  }
}
