/**
 * SQL behind the payment facts a desk pushes (payment.record, payment.reverse):
 * payments, their allocations to invoices, the invoices' paid amounts and the
 * receipts. Prepared better-sqlite3 statements, run inside the caller's transaction.
 */
import type { InvoiceStatus, PaymentMode } from '../schema';
import { preparedFor } from './sync-server';

export interface StoredPayment {
  id: string;
  household_id: string;
  mode: PaymentMode;
  amount_cents: number;
  payer_name: string | null;
  reversal_of_payment_id: string | null;
  origin_op_id: string | null;
}

export interface PayableInvoice {
  id: string;
  number: string | null;
  household_id: string;
  total_cents: number;
  paid_cents: number;
  status: InvoiceStatus;
}

export interface NewPayment {
  id: string;
  householdId: string;
  mode: PaymentMode;
  amountCents: number;
  receivedAt: string;
  payerName: string | null;
  deskId: string | null;
  agentId: string | null;
  bank: string | null;
  chequeNumber: string | null;
  tpeReference: string | null;
  reversalOfPaymentId: string | null;
  originOpId: string;
  at: string;
}

export const paymentStatements = preparedFor((sqlite) => {
  const household = sqlite.prepare('SELECT 1 FROM households WHERE id = ?');
  const paymentColumns =
    'id, household_id, mode, amount_cents, payer_name, reversal_of_payment_id, origin_op_id';
  const paymentById = sqlite.prepare(`SELECT ${paymentColumns} FROM payments WHERE id = ?`);
  const paymentByOriginOp = sqlite.prepare(`SELECT ${paymentColumns} FROM payments WHERE origin_op_id = ?`);
  const reversalOf = sqlite.prepare(
    `SELECT ${paymentColumns} FROM payments WHERE reversal_of_payment_id = ?`,
  );
  const invoice = sqlite.prepare(
    'SELECT id, number, household_id, total_cents, paid_cents, status FROM invoices WHERE id = ?',
  );
  const insertPayment = sqlite.prepare(
    `INSERT INTO payments (id, household_id, mode, amount_cents, received_at, payer_name, desk_id, agent_id, bank,
       cheque_number, tpe_reference, provider, provider_reference, reversal_of_payment_id, origin_op_id, created_at,
       updated_at)
     VALUES (@id, @householdId, @mode, @amountCents, @receivedAt, @payerName, @deskId, @agentId, @bank,
       @chequeNumber, @tpeReference, NULL, NULL, @reversalOfPaymentId, @originOpId, @at, @at)`,
  );
  const insertAllocation = sqlite.prepare(
    'INSERT INTO payment_allocations (id, payment_id, invoice_id, amount_cents, updated_at) VALUES (?, ?, ?, ?, ?)',
  );
  const allocations = sqlite.prepare(
    'SELECT invoice_id, amount_cents FROM payment_allocations WHERE payment_id = ? ORDER BY id',
  );
  const updateInvoicePaid = sqlite.prepare(
    'UPDATE invoices SET paid_cents = ?, status = ?, updated_at = ? WHERE id = ?',
  );
  const receiptByNumber = sqlite.prepare('SELECT id, payment_id FROM receipts WHERE number = ?');
  const insertReceipt = sqlite.prepare(
    'INSERT INTO receipts (id, number, payment_id, desk_id, issued_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const insertVoidReceipt = sqlite.prepare(
    `INSERT INTO receipts (id, number, payment_id, desk_id, issued_at, updated_at, void_reason)
     VALUES (?, ?, NULL, ?, ?, ?, ?)`,
  );
  const titulaireName = sqlite
    .prepare(
      `SELECT p.first_names || ' ' || p.usage_last_name FROM household_members m JOIN persons p ON p.id = m.person_id
        WHERE m.household_id = ? AND m.role = 'titulaire'`,
    )
    .pluck();

  return {
    householdExists: (id: string): boolean => household.get(id) !== undefined,
    paymentById: (id: string) => paymentById.get(id) as StoredPayment | undefined,
    paymentByOriginOp: (opId: string) => paymentByOriginOp.get(opId) as StoredPayment | undefined,
    reversalOf: (paymentId: string) => reversalOf.get(paymentId) as StoredPayment | undefined,
    invoice: (id: string) => invoice.get(id) as PayableInvoice | undefined,
    insertPayment: (payment: NewPayment): void => {
      insertPayment.run(payment);
    },
    insertAllocation: (
      id: string,
      paymentId: string,
      invoiceId: string,
      amountCents: number,
      at: string,
    ): void => {
      insertAllocation.run(id, paymentId, invoiceId, amountCents, at);
    },
    allocations: (paymentId: string) =>
      allocations.all(paymentId) as { invoice_id: string; amount_cents: number }[],
    updateInvoicePaid: (id: string, paidCents: number, status: InvoiceStatus, at: string): void => {
      updateInvoicePaid.run(paidCents, status, at, id);
    },
    receiptByNumber: (number: string) =>
      receiptByNumber.get(number) as { id: string; payment_id: string | null } | undefined,
    insertReceipt: (
      id: string,
      number: string,
      paymentId: string,
      deskId: string | null,
      issuedAt: string,
      at: string,
    ) => {
      insertReceipt.run(id, number, paymentId, deskId, issuedAt, at);
    },
    insertVoidReceipt: (
      id: string,
      number: string,
      deskId: string | null,
      issuedAt: string,
      at: string,
      reason: string,
    ) => {
      insertVoidReceipt.run(id, number, deskId, issuedAt, at, reason);
    },
    titulaireName: (householdId: string): string | null =>
      (titulaireName.get(householdId) as string | undefined) ?? null,
  };
});
