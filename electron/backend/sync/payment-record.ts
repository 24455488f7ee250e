// payment.record at the desk: money received at the counter. A fact: the server never refuses it once
// well-formed, so the desk checks the régie's rules itself (cash ceiling), numbers the receipt (desk prefix +
// gapless per-desk counter, in the writing transaction) and writes payment, allocations and receipt at once.
import { receiptNumberOf } from '../../../core/cash-journal';
import { DomainError } from '../../../core/errors';
import { newId } from '../../../core/ids';
import { formatEuros } from '../../../core/money';
import type { DeskPaymentMode, PaymentRecordV1 } from '../../../core/sync/commands';
import type { DeskStore } from '../desk-store';
import type { ApplyContext, AuditFacts } from './command-context';

/** The régie's ceiling for one cash payment (300 €). */
export const CASH_LIMIT_CENTS = 30_000;

export const PAYMENT_MODE_LABELS: Readonly<Record<DeskPaymentMode, string>> = {
  especes: 'espèces',
  cheque: 'chèque',
  carte: 'carte bancaire',
  cesu: 'CESU',
  ancv: 'chèques ANCV',
};

export interface PaymentDraft {
  householdId: string;
  mode: DeskPaymentMode;
  amountCents: number;
  /** Omitted: the household's open invoices, oldest first. */
  allocations?: { invoiceId: string; amountCents: number }[];
  bank?: string;
  chequeNumber?: string;
  tpeReference?: string;
}

export interface Allocation {
  invoiceId: string;
  amountCents: number;
}

/** Checks a draft and completes it into a payload; numbers the receipt (call inside the transaction). */
export function preparePaymentRecord(
  store: DeskStore,
  draft: PaymentDraft,
  env: { deskId: string; now: Date },
): PaymentRecordV1 {
  if (!Number.isSafeInteger(draft.amountCents) || draft.amountCents <= 0) {
    throw new DomainError('PAYMENT_AMOUNT_INVALID', 'Le montant du paiement doit être positif.');
  }
  if (draft.mode === 'especes' && draft.amountCents > CASH_LIMIT_CENTS) {
    throw new DomainError(
      'CASH_LIMIT_EXCEEDED',
      `Un paiement en espèces ne peut pas dépasser ${formatEuros(CASH_LIMIT_CENTS)} (règle de la régie) : ` +
        `${formatEuros(draft.amountCents)} saisis. Choisissez un autre mode de paiement.`,
      { limitCents: CASH_LIMIT_CENTS, amountCents: draft.amountCents },
    );
  }
  if (!store.payments.household(draft.householdId)) {
    throw new DomainError('HOUSEHOLD_NOT_FOUND', 'Foyer introuvable dans ce poste.');
  }
  const allocations =
    draft.allocations === undefined
      ? autoAllocate(store, draft.householdId, draft.amountCents)
      : checkAllocations(store, draft.householdId, draft.amountCents, draft.allocations);
  return {
    paymentId: newId(),
    householdId: draft.householdId,
    mode: draft.mode,
    amountCents: draft.amountCents,
    receivedAt: env.now.toISOString(),
    receiptNumber: nextReceiptNumber(store, env.deskId),
    allocations,
    ...(draft.bank ? { bank: draft.bank } : {}),
    ...(draft.chequeNumber ? { chequeNumber: draft.chequeNumber } : {}),
    ...(draft.tpeReference ? { tpeReference: draft.tpeReference } : {}),
  };
}

/** `<receipt_prefix>-<6 digits>` from the desk's gapless counter, bumped in the caller's transaction. */
export function nextReceiptNumber(store: DeskStore, deskId: string): string {
  const desk = store.state.desk(deskId);
  if (!desk)
    throw new DomainError('DESK_UNKNOWN', "Ce poste n'est pas enregistré : synchronisez-le d'abord.");
  const value = store.state.nextCounter(deskId, 'receipt');
  return receiptNumberOf(desk.receipt_prefix, value);
}

function autoAllocate(store: DeskStore, householdId: string, amountCents: number): Allocation[] {
  const allocations: Allocation[] = [];
  let left = amountCents;
  for (const invoice of store.payments.openInvoices(householdId)) {
    if (left <= 0) break;
    const share = Math.min(left, invoice.total_cents - invoice.paid_cents);
    allocations.push({ invoiceId: invoice.id, amountCents: share });
    left -= share;
  }
  return allocations;
}

function checkAllocations(
  store: DeskStore,
  householdId: string,
  amountCents: number,
  requested: readonly Allocation[],
): Allocation[] {
  const merged = new Map<string, number>();
  for (const a of requested) {
    if (!Number.isSafeInteger(a.amountCents) || a.amountCents <= 0) {
      throw new DomainError('ALLOCATION_INVALID', 'Chaque montant affecté à une facture doit être positif.');
    }
    const invoice = store.payments.invoice(a.invoiceId);
    if (!invoice || invoice.household_id !== householdId) {
      throw new DomainError('INVOICE_NOT_FOUND', "Cette facture n'appartient pas à ce foyer.", {
        invoiceId: a.invoiceId,
      });
    }
    if (invoice.status === 'brouillon' || invoice.status === 'annulee') {
      const state = invoice.status === 'annulee' ? 'annulée' : 'en brouillon';
      throw new DomainError(
        'INVOICE_NOT_PAYABLE',
        `Cette facture est ${state} : elle ne peut pas être réglée.`,
      );
    }
    merged.set(a.invoiceId, (merged.get(a.invoiceId) ?? 0) + a.amountCents);
  }
  const total = [...merged.values()].reduce((sum, v) => sum + v, 0);
  if (total > amountCents) {
    throw new DomainError(
      'ALLOCATIONS_EXCEED_AMOUNT',
      `Les affectations (${formatEuros(total)}) dépassent le montant reçu (${formatEuros(amountCents)}).`,
    );
  }
  return [...merged].map(([invoiceId, cents]) => ({ invoiceId, amountCents: cents }));
}

/**
 * Writes the payment, its allocations trimmed to what each invoice still owes (the rest is the household's
 * credit), the invoices' paid amounts and the receipt. Returns the allocations as applied. A payment already
 * in the replica (the server's copy arrived) is left alone.
 */
export function applyPaymentRecord(ctx: ApplyContext, payload: PaymentRecordV1): Allocation[] {
  const { payments } = ctx.store;
  if (payments.payment(payload.paymentId)) return [];
  ctx.effects.capture('payments', [payload.paymentId]);
  payments.insertPayment({
    id: payload.paymentId,
    householdId: payload.householdId,
    mode: payload.mode,
    amountCents: payload.amountCents,
    receivedAt: payload.receivedAt,
    deskId: ctx.deskId,
    agentId: ctx.agentId,
    bank: payload.bank ?? null,
    chequeNumber: payload.chequeNumber ?? null,
    tpeReference: payload.tpeReference ?? null,
    reversalOfPaymentId: null,
    originOpId: ctx.opId,
    at: ctx.at,
  });
  const applied: Allocation[] = [];
  let left = payload.amountCents;
  for (const allocation of payload.allocations) {
    const invoice = payments.invoice(allocation.invoiceId);
    if (!invoice) continue;
    const share = Math.min(
      allocation.amountCents,
      left,
      Math.max(0, invoice.total_cents - invoice.paid_cents),
    );
    if (share <= 0) continue;
    const id = newId();
    ctx.effects.capture('payment_allocations', [id]);
    payments.insertAllocation(id, payload.paymentId, invoice.id, share, ctx.at);
    ctx.effects.capture('invoices', [invoice.id]);
    payments.setPaid(invoice, invoice.paid_cents + share, ctx.at);
    applied.push({ invoiceId: invoice.id, amountCents: share });
    left -= share;
  }
  if (!payments.receiptByNumber(payload.receiptNumber)) {
    const id = newId();
    ctx.effects.capture('receipts', [id]);
    payments.insertReceipt(id, payload.receiptNumber, payload.paymentId, ctx.deskId, payload.receivedAt);
  }
  return applied;
}

export function paymentRecordAudit(payload: PaymentRecordV1): AuditFacts {
  return {
    householdId: payload.householdId,
    entity: 'payments',
    entityId: payload.paymentId,
    reason: null,
    details: {
      mode: payload.mode,
      amountCents: payload.amountCents,
      receiptNumber: payload.receiptNumber,
      allocations: payload.allocations,
    },
  };
}

/** "Paiement de 25,00 € (espèces), reçu HV1-000034". */
export function describePaymentRecord(payload: PaymentRecordV1): string {
  return `Paiement de ${formatEuros(payload.amountCents)} (${PAYMENT_MODE_LABELS[payload.mode]}), reçu ${payload.receiptNumber}`;
}
