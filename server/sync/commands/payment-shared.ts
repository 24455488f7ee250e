// What payment.record and payment.reverse share: invoice balances and receipts (unique numbers, conflicts logged).
import { newId } from '../../../core/ids';
import { paymentStatements } from '../../../db/repositories/payment-facts';
import { preparedFor, syncStatements } from '../../../db/repositories/sync-server';
import type { PayableInvoice } from '../../../db/repositories/payment-facts';
import type { InvoiceStatus } from '../../../db/schema';
import { auditCommand } from './audit';
import { actorColumns } from './context';
import type { CommandActor, CommandContext, CommandResult } from './context';

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
  const number = freeReceiptNumber(ctx, receipt.number);
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

/** `number`, or `<number>~2`, `~3`… when it is already stored (a desk restored from an old copy). */
function freeReceiptNumber(ctx: CommandContext, wanted: string): string {
  const q = paymentStatements(ctx.sqlite);
  let number = wanted;
  for (let suffix = 2; q.receiptByNumber(number); suffix += 1) number = `${wanted}~${suffix}`;
  return number;
}

/** What a payment command says about the receipt the desk printed for it. */
export interface PrintedReceipt {
  receiptNumber: string;
  receivedAt: string;
}

/**
 * A payment command the server refuses still printed a receipt at the counter. Its number is kept as a void
 * receipt (no payment, the refusal as reason) in the op's transaction, so the desk's numbers stay gapless and the
 * régisseur finds the cancelled number in the receipt journal and the audit trail. The result stays `rejected`;
 * its message tells the agent what happened to the receipt.
 */
export function keepVoidReceipt(
  ctx: CommandContext,
  actor: CommandActor,
  printed: PrintedReceipt,
  refusal: CommandResult,
): CommandResult {
  if (actor.kind !== 'agent') return refusal;
  const before = ctx.changes.rows.length;
  const number = freeReceiptNumber(ctx, printed.receiptNumber);
  const reason = refusal.message ?? refusal.code ?? 'Opération refusée par le serveur.';
  const id = newId();
  paymentStatements(ctx.sqlite).insertVoidReceipt(
    id,
    number,
    actor.deskId,
    printed.receivedAt,
    ctx.changes.at,
    reason,
  );
  ctx.changes.upsert('receipts', id);
  // The audit row names the agent; an agent the server does not know (AGENT_UNKNOWN) leaves only the receipt.
  if (syncStatements(ctx.sqlite).agent(actor.agentId)) {
    auditCommand(ctx, actor, {
      action: 'receipt.void',
      householdId: null,
      entity: 'receipts',
      entityId: id,
      reason,
      details: { receiptNumber: number, refusedCode: refusal.code ?? null },
    });
  }
  return {
    ...refusal,
    message: `${reason} Le reçu ${number} est annulé : son numéro reste au journal des reçus (aucun encaissement enregistré).`,
    changes: ctx.changes.rows.slice(before),
  };
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
