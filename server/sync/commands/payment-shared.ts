// What payment.record and payment.reverse share: invoice balances and receipts (unique numbers, conflicts logged).
import { newId } from '../../../core/ids';
import { paymentStatements } from '../../../db/repositories/payment-facts';
import { preparedFor } from '../../../db/repositories/sync-server';
import type { PayableInvoice } from '../../../db/repositories/payment-facts';
import type { InvoiceStatus } from '../../../db/schema';
import { auditCommand } from './audit';
import { actorColumns } from './context';
import type { CommandActor, CommandContext } from './context';

/** Invoices a payment may settle (a draft or a cancelled invoice owes nothing). */
export const PAYABLE_STATUSES: readonly InvoiceStatus[] = ['non_reglee', 'partiellement_reglee', 'reglee'];

/** non_reglee → partiellement_reglee → reglee, from what was paid. */
export function statusAfterPayment(invoice: PayableInvoice, paidCents: number): InvoiceStatus {
  if (!PAYABLE_STATUSES.includes(invoice.status)) return invoice.status;
  if (paidCents <= 0) return 'non_reglee';
  return paidCents >= invoice.total_cents ? 'reglee' : 'partiellement_reglee';
}

/** Adds `deltaCents` (negative for a reversal) to the invoice's paid amount and logs the change. */
export function addToInvoicePaid(ctx: CommandContext, invoice: PayableInvoice, deltaCents: number): void {
  const paid = invoice.paid_cents + deltaCents;
  paymentStatements(ctx.sqlite).updateInvoicePaid(
    invoice.id,
    paid,
    statusAfterPayment(invoice, paid),
    ctx.changes.at,
  );
  ctx.changes.upsert('invoices', invoice.id);
}

export interface IssuedReceipt {
  /** The number stored: the desk's, or a suffixed one when the desk's was already used by another payment. */
  number: string;
  conflictWith: string | null;
}

/**
 * Stores the receipt the desk numbered. Receipts are unique: when the number already
 * belongs to another payment, the payment is still recorded, its receipt is stored as
 * `<number>~2` (then ~3…), and the conflict goes to the audit trail for the régisseur.
 */
export function issueReceipt(
  ctx: CommandContext,
  actor: CommandActor,
  receipt: { number: string; paymentId: string; householdId: string; issuedAt: string },
): IssuedReceipt {
  const q = paymentStatements(ctx.sqlite);
  const who = actorColumns(actor);
  const clash = q.receiptByNumber(receipt.number);
  let number = receipt.number;
  for (let suffix = 2; q.receiptByNumber(number); suffix += 1) number = `${receipt.number}~${suffix}`;
  const id = newId();
  q.insertReceipt(id, number, receipt.paymentId, who.deskId, receipt.issuedAt, ctx.changes.at);
  ctx.changes.upsert('receipts', id, receipt.householdId);
  if (clash) {
    auditCommand(ctx, actor, {
      action: 'receipt.number_conflict',
      householdId: receipt.householdId,
      entity: 'receipts',
      entityId: id,
      reason: null,
      details: {
        requestedNumber: receipt.number,
        storedNumber: number,
        paymentId: receipt.paymentId,
        otherPaymentId: clash.payment_id,
      },
    });
  }
  return { number, conflictWith: clash?.payment_id ?? null };
}

export function receiptConflictSentence(receipt: IssuedReceipt, requested: string): string {
  return receipt.conflictWith === null
    ? ''
    : ` Le numéro de reçu ${requested} était déjà attribué à un autre paiement : ce reçu est enregistré sous le numéro ${receipt.number} (signalé au régisseur).`;
}

const receiptOfPayment = preparedFor((sqlite) =>
  sqlite.prepare('SELECT number FROM receipts WHERE payment_id = ?').pluck(),
);

/** The receipt number of a payment (null when it has none, e.g. an online payment). */
export function receiptNumberOf(ctx: CommandContext, paymentId: string): string | null {
  return (receiptOfPayment(ctx.sqlite).get(paymentId) as string | undefined) ?? null;
}
