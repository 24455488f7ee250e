/**
 * payment.record v1 — money received at a counter. A fact: once well-formed it is
 * recorded (never refused for a rule); allocations are trimmed to what each invoice
 * still owes and the remainder is the household's credit. Idempotent by op id
 * (applied_ops, payments.origin_op_id) and by payment id.
 */
import { newId } from '../../../core/ids';
import { formatEuros } from '../../../core/money';
import type { PaymentRecordV1 } from '../../../core/sync/commands';
import { paymentStatements } from '../../../db/repositories/payment-facts';
import { auditCommand } from './audit';
import { accepted, actorColumns, rejected } from './context';
import type { CommandContext, CommandHandler } from './context';
import { PAYABLE_STATUSES, addToInvoicePaid, issueReceipt, receiptConflictSentence } from './payment-shared';

/** The requested allocations, one per invoice (amounts of a repeated invoice added up), in order. */
function mergeAllocations(allocations: PaymentRecordV1['allocations']): Map<string, number> {
  const merged = new Map<string, number>();
  for (const { invoiceId, amountCents } of allocations) {
    merged.set(invoiceId, (merged.get(invoiceId) ?? 0) + amountCents);
  }
  return merged;
}

/** Allocates what the invoices still owe; returns the cents allocated and whether any request was cut. */
function allocate(ctx: CommandContext, payment: PaymentRecordV1): { allocated: number; trimmed: boolean } {
  const q = paymentStatements(ctx.sqlite);
  let remaining = payment.amountCents;
  let trimmed = false;
  for (const [invoiceId, requested] of mergeAllocations(payment.allocations)) {
    const invoice = q.invoice(invoiceId);
    const payable =
      invoice !== undefined &&
      invoice.household_id === payment.householdId &&
      PAYABLE_STATUSES.includes(invoice.status);
    const owed = payable ? Math.max(0, invoice.total_cents - invoice.paid_cents) : 0;
    const amount = Math.min(requested, owed, remaining);
    if (amount < requested) trimmed = true;
    if (amount <= 0 || invoice === undefined) continue;
    const allocationId = newId();
    q.insertAllocation(allocationId, payment.paymentId, invoiceId, amount, ctx.changes.at);
    ctx.changes.upsert('payment_allocations', allocationId, payment.householdId);
    addToInvoicePaid(ctx, invoice, amount);
    remaining -= amount;
  }
  return { allocated: payment.amountCents - remaining, trimmed };
}

export const recordPayment: CommandHandler<PaymentRecordV1> = (ctx, payment, actor) => {
  const q = paymentStatements(ctx.sqlite);
  if (q.paymentByOriginOp(ctx.opId) ?? q.paymentById(payment.paymentId)) {
    return accepted(ctx, { code: 'PAYMENT_ALREADY_RECORDED', message: 'Ce paiement était déjà enregistré.' });
  }
  if (!q.householdExists(payment.householdId)) {
    return rejected(
      'HOUSEHOLD_NOT_FOUND',
      "Paiement non enregistré : la famille n'existe pas sur le serveur. Vérifiez le dossier puis saisissez à nouveau le paiement.",
    );
  }
  const who = actorColumns(actor);
  q.insertPayment({
    id: payment.paymentId,
    householdId: payment.householdId,
    mode: payment.mode,
    amountCents: payment.amountCents,
    receivedAt: payment.receivedAt,
    payerName: q.titulaireName(payment.householdId),
    deskId: who.deskId,
    agentId: who.agentId,
    bank: payment.bank ?? null,
    chequeNumber: payment.chequeNumber ?? null,
    tpeReference: payment.tpeReference ?? null,
    reversalOfPaymentId: null,
    originOpId: ctx.opId,
    at: ctx.changes.at,
  });
  ctx.changes.upsert('payments', payment.paymentId);
  const { allocated, trimmed } = allocate(ctx, payment);
  const receipt = issueReceipt(ctx, actor, {
    number: payment.receiptNumber,
    paymentId: payment.paymentId,
    householdId: payment.householdId,
    issuedAt: payment.receivedAt,
  });
  auditCommand(ctx, actor, {
    action: 'payment.record',
    householdId: payment.householdId,
    entity: 'payments',
    entityId: payment.paymentId,
    reason: null,
    details: {
      mode: payment.mode,
      amountCents: payment.amountCents,
      allocatedCents: allocated,
      receiptNumber: receipt.number,
    },
  });
  const credit = payment.amountCents - allocated;
  const message =
    `Paiement de ${formatEuros(payment.amountCents)} enregistré (reçu ${receipt.number}).` +
    (credit > 0
      ? ` ${formatEuros(credit)} non affectés aux factures restent en avoir pour la famille.`
      : '') +
    receiptConflictSentence(receipt, payment.receiptNumber);
  const code = receipt.conflictWith ? 'RECEIPT_NUMBER_CONFLICT' : trimmed ? 'ALLOCATIONS_TRIMMED' : undefined;
  return accepted(ctx, code ? { code, message } : { message });
};
