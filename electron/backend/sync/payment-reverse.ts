// payment.reverse at the desk: a correction is a negative payment cancelling a recorded one (never a
// deletion), with its own receipt number and the reason in the audit trail. A payment is reversed once: the desk
// refuses a second reversal it knows of (the server's or one of its own still pending); one that crossed another
// desk's while offline is kept as a void reversal (amount 0, receipt kept), as the server records it.
import { DomainError } from '../../../core/errors';
import { newId } from '../../../core/ids';
import { formatEuros } from '../../../core/money';
import type { PaymentReverseV1 } from '../../../core/sync/commands';
import type { DeskStore } from '../desk-store';
import type { ApplyContext, AuditFacts } from './command-context';
import { nextReceiptNumber } from './payment-record';

export interface ReverseDraft {
  paymentId: string;
  reason: string;
}

/** Checks the reversal and completes it into a payload; numbers its receipt (inside the transaction). */
export function preparePaymentReverse(
  store: DeskStore,
  draft: ReverseDraft,
  env: { deskId: string; now: Date },
): { payload: PaymentReverseV1; householdId: string } {
  const original = store.payments.payment(draft.paymentId);
  if (!original) throw new DomainError('PAYMENT_NOT_FOUND', 'Paiement introuvable dans ce poste.');
  if (original.reversal_of_payment_id !== null || original.amount_cents < 0) {
    throw new DomainError(
      'PAYMENT_IS_REVERSAL',
      "Ce mouvement est déjà une annulation : il ne s'annule pas.",
    );
  }
  const earlier = store.payments.reversalOf(original.id);
  if (earlier) {
    const receipt = store.payments.receiptOf(earlier.id);
    const pending =
      earlier.origin_op_id !== null && store.outbox.byOpId(earlier.origin_op_id)?.settled_at === null;
    throw new DomainError(
      'PAYMENT_ALREADY_REVERSED',
      `Ce paiement a déjà été annulé${receipt ? ` (reçu ${receipt.number})` : ''}` +
        `${pending ? ', en attente de synchronisation' : ''}.`,
      { reversalId: earlier.id },
    );
  }
  if (draft.reason.trim().length < 3) {
    throw new DomainError('REVERSAL_REASON_REQUIRED', "Indiquez le motif de l'annulation du paiement.");
  }
  return {
    householdId: original.household_id,
    payload: {
      reversalId: newId(),
      paymentId: original.id,
      reason: draft.reason.trim(),
      receivedAt: env.now.toISOString(),
      receiptNumber: nextReceiptNumber(store, env.deskId),
    },
  };
}

/**
 * Writes the negative payment, negative allocations mirroring the original's, the invoices and the receipt. When
 * the payment is already reversed by another op (another desk's, arrived while this one was pending), writes what
 * the server will: a void reversal (amount 0, no allocation) that keeps the receipt number.
 */
export function applyPaymentReverse(ctx: ApplyContext, payload: PaymentReverseV1): void {
  const { payments } = ctx.store;
  if (payments.payment(payload.reversalId)) return;
  const original = payments.payment(payload.paymentId);
  if (!original) return;
  const isVoid = payments.reversalOf(original.id) !== undefined;
  ctx.effects.capture('payments', [payload.reversalId]);
  payments.insertPayment({
    id: payload.reversalId,
    householdId: original.household_id,
    mode: original.mode,
    amountCents: isVoid ? 0 : -original.amount_cents,
    receivedAt: payload.receivedAt,
    deskId: ctx.deskId,
    agentId: ctx.agentId,
    bank: null,
    chequeNumber: null,
    tpeReference: null,
    reversalOfPaymentId: original.id,
    originOpId: ctx.opId,
    at: ctx.at,
  });
  for (const allocation of isVoid ? [] : payments.allocations(original.id)) {
    const invoice = payments.invoice(allocation.invoice_id);
    if (!invoice) continue;
    const id = newId();
    ctx.effects.capture('payment_allocations', [id]);
    payments.insertAllocation(id, payload.reversalId, invoice.id, -allocation.amount_cents, ctx.at);
    ctx.effects.capture('invoices', [invoice.id]);
    payments.setPaid(invoice, Math.max(0, invoice.paid_cents - allocation.amount_cents), ctx.at);
  }
  if (!payments.receiptByNumber(payload.receiptNumber)) {
    const id = newId();
    ctx.effects.capture('receipts', [id]);
    payments.insertReceipt(id, payload.receiptNumber, payload.reversalId, ctx.deskId, payload.receivedAt);
  }
}

export function paymentReverseAudit(store: DeskStore, payload: PaymentReverseV1): AuditFacts {
  return {
    householdId: store.payments.payment(payload.paymentId)?.household_id ?? null,
    entity: 'payments',
    entityId: payload.paymentId,
    reason: payload.reason,
    details: { reversalId: payload.reversalId, receiptNumber: payload.receiptNumber },
  };
}

/** "Annulation du paiement de 25,00 € (reçu HV1-000034) : erreur de saisie". */
export function describePaymentReverse(store: DeskStore, payload: PaymentReverseV1): string {
  const original = store.payments.payment(payload.paymentId);
  const receipt = store.payments.receiptOf(payload.paymentId);
  const amount = original ? ` de ${formatEuros(original.amount_cents)}` : '';
  const number = receipt ? ` (reçu ${receipt.number})` : '';
  return `Annulation du paiement${amount}${number} : ${payload.reason}`;
}
