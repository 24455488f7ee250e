/**
 * payment.reverse v1 — a correction, never a deletion: a negative payment pointing at
 * the reversed one, its allocations reversed (invoices' paid amounts and statuses
 * restored), its own receipt, and the reason in the audit trail.
 *
 * A payment already reversed (two desks offline cancelled it each): the desk has handed
 * out a receipt number, and receipt numbers are facts (gapless per desk). The second
 * reversal is recorded as a *void* one — amount 0, pointing at the payment, no
 * allocation — with its receipt, so the number exists and reads "annulé, sans effet";
 * accepted with code PAYMENT_ALREADY_REVERSED and a `receipt.void` audit row for the
 * régisseur (docs/SYNC.md, "Receipts").
 */
import { newId } from '../../../core/ids';
import { formatEuros } from '../../../core/money';
import type { PaymentReverseV1 } from '../../../core/sync/commands';
import { paymentStatements } from '../../../db/repositories/payment-facts';
import type { StoredPayment } from '../../../db/repositories/payment-facts';
import { auditCommand } from './audit';
import { accepted, actorColumns, rejected } from './context';
import type { CommandActor, CommandContext, CommandHandler, CommandResult } from './context';
import { addToInvoicePaid, issueReceipt, receiptConflictSentence, receiptNumberOf } from './payment-shared';

export const reversePayment: CommandHandler<PaymentReverseV1> = (ctx, reversal, actor) => {
  const q = paymentStatements(ctx.sqlite);
  if (q.paymentByOriginOp(ctx.opId) ?? q.paymentById(reversal.reversalId)) {
    return accepted(ctx, {
      code: 'PAYMENT_ALREADY_RECORDED',
      message: 'Cette annulation était déjà enregistrée.',
    });
  }
  const original = q.paymentById(reversal.paymentId);
  if (!original) {
    return rejected('PAYMENT_NOT_FOUND', "Le paiement à annuler n'existe pas sur le serveur.");
  }
  if (original.reversal_of_payment_id !== null) {
    return rejected('PAYMENT_IS_REVERSAL', "Une annulation ne s'annule pas : saisissez un nouveau paiement.");
  }
  const earlier = q.reversalOf(original.id);
  if (earlier) return recordVoidReversal(ctx, reversal, actor, original, earlier);
  const who = actorColumns(actor);
  const at = ctx.changes.at;
  q.insertPayment({
    id: reversal.reversalId,
    householdId: original.household_id,
    mode: original.mode,
    amountCents: -original.amount_cents,
    receivedAt: reversal.receivedAt,
    payerName: original.payer_name,
    deskId: who.deskId,
    agentId: who.agentId,
    bank: null,
    chequeNumber: null,
    tpeReference: null,
    reversalOfPaymentId: original.id,
    originOpId: ctx.opId,
    at,
  });
  ctx.changes.upsert('payments', reversal.reversalId);
  for (const allocation of q.allocations(original.id)) {
    const allocationId = newId();
    q.insertAllocation(
      allocationId,
      reversal.reversalId,
      allocation.invoice_id,
      -allocation.amount_cents,
      at,
    );
    ctx.changes.upsert('payment_allocations', allocationId, original.household_id);
    const invoice = q.invoice(allocation.invoice_id);
    if (invoice) addToInvoicePaid(ctx, invoice, -allocation.amount_cents);
  }
  const receipt = issueReceipt(ctx, actor, {
    number: reversal.receiptNumber,
    paymentId: reversal.reversalId,
    householdId: original.household_id,
    issuedAt: reversal.receivedAt,
  });
  auditCommand(ctx, actor, {
    action: 'payment.reverse',
    householdId: original.household_id,
    entity: 'payments',
    entityId: original.id,
    reason: reversal.reason,
    details: {
      reversalId: reversal.reversalId,
      amountCents: -original.amount_cents,
      receiptNumber: receipt.number,
    },
  });
  const message =
    `Annulation du paiement de ${formatEuros(original.amount_cents)} enregistrée (reçu ${receipt.number}).` +
    receiptConflictSentence(receipt, reversal.receiptNumber);
  return accepted(ctx, receipt.conflictWith ? { code: 'RECEIPT_NUMBER_CONFLICT', message } : { message });
};

/**
 * The reversal of a payment another op already reversed: no money moves (amount 0, no allocation, invoices
 * untouched), but the receipt number the desk gave is kept, on a void movement pointing at the payment.
 */
function recordVoidReversal(
  ctx: CommandContext,
  reversal: PaymentReverseV1,
  actor: CommandActor,
  original: StoredPayment,
  earlier: StoredPayment,
): CommandResult {
  const q = paymentStatements(ctx.sqlite);
  const who = actorColumns(actor);
  q.insertPayment({
    id: reversal.reversalId,
    householdId: original.household_id,
    mode: original.mode,
    amountCents: 0,
    receivedAt: reversal.receivedAt,
    payerName: original.payer_name,
    deskId: who.deskId,
    agentId: who.agentId,
    bank: null,
    chequeNumber: null,
    tpeReference: null,
    reversalOfPaymentId: original.id,
    originOpId: ctx.opId,
    at: ctx.changes.at,
  });
  ctx.changes.upsert('payments', reversal.reversalId);
  const receipt = issueReceipt(ctx, actor, {
    number: reversal.receiptNumber,
    paymentId: reversal.reversalId,
    householdId: original.household_id,
    issuedAt: reversal.receivedAt,
  });
  const earlierReceipt = receiptNumberOf(ctx, earlier.id);
  auditCommand(ctx, actor, {
    action: 'receipt.void',
    householdId: original.household_id,
    entity: 'payments',
    entityId: original.id,
    reason: reversal.reason,
    details: {
      reversalId: reversal.reversalId,
      receiptNumber: receipt.number,
      alreadyReversedBy: earlier.id,
      alreadyReversedReceipt: earlierReceipt,
    },
  });
  const by = earlierReceipt ? ` (reçu ${earlierReceipt})` : '';
  return accepted(ctx, {
    code: 'PAYMENT_ALREADY_REVERSED',
    message:
      `Ce paiement de ${formatEuros(original.amount_cents)} avait déjà été annulé${by} : cette seconde annulation est ` +
      `sans effet. Son reçu ${receipt.number} est conservé comme reçu annulé (0,00 €) ; vérifiez qu'aucun ` +
      'remboursement n’a été fait deux fois.' +
      receiptConflictSentence(receipt, reversal.receiptNumber),
  });
}
