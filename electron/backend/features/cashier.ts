// Desk backend handlers for the cashier commands of the contract: a family's account at the counter and the
// printed receipt and invoice (PDF, base64). Payments themselves are written by `payment/record` /
// `payment/reverse` (handlers.ts, sync/payment-*.ts).
import { DomainError } from '../../../core/errors';
import type { Kysely } from 'kysely';
import {
  getCashierHousehold,
  getCashierPayment,
  getPersonFormalName,
  getReversalReason,
  listCashierPayments,
} from '../../../db/repositories/cashier';
import type { CashierHousehold, CashierPaymentRow } from '../../../db/repositories/cashier';
import {
  getCashierInvoice,
  listCashierInvoices,
  listInvoiceAllocations,
} from '../../../db/repositories/cashier-invoices';
import type { CashierInvoiceRow } from '../../../db/repositories/cashier-invoices';
import { getTownLetterhead } from '../../../db/repositories/town-letterhead';
import type { TownLetterhead } from '../../../db/repositories/town-letterhead';
import type { Database } from '../../../db/schema';
import type {
  CashierAccount,
  CashierApi,
  CashierInvoice,
  CashierPayment,
  PrintedPdf,
} from '../../contract/cashier';
import type { FeatureHandlers, HandlerDeps } from '../handler-deps';
import { CASH_LIMIT_CENTS } from '../sync/payment-record';
import { buildInvoice } from '../print/invoice';
import { buildReceipt } from '../print/receipt';
import { renderPdf } from '../print/render-pdf';
import type { PdfDocument } from '../print/render-pdf';

const DESK_MODES: ReadonlySet<string> = new Set(['especes', 'cheque', 'carte', 'cesu', 'ancv']);
const PAYABLE: ReadonlySet<string> = new Set(['non_reglee', 'partiellement_reglee']);

/** What an issued invoice still owes (nothing once paid or cancelled). */
export function invoiceLeftCents(
  invoice: Pick<CashierInvoiceRow, 'status' | 'totalCents' | 'paidCents'>,
): number {
  return PAYABLE.has(invoice.status) ? Math.max(0, invoice.totalCents - invoice.paidCents) : 0;
}

function invoiceDto(invoice: CashierInvoiceRow): CashierInvoice {
  return {
    id: invoice.id,
    number: invoice.number,
    label: invoice.label,
    month: invoice.month,
    issuedOn: invoice.issuedOn,
    dueOn: invoice.dueOn,
    totalCents: invoice.totalCents,
    paidCents: invoice.paidCents,
    leftCents: invoiceLeftCents(invoice),
    status: invoice.status === 'brouillon' ? 'non_reglee' : invoice.status,
    lines: invoice.lines.map((l) => ({
      id: l.id,
      personId: l.personId,
      childName: l.childName,
      activityName: l.activityName,
      designation: l.designation,
      quantity: l.quantity,
      unitPriceCents: l.unitPriceCents,
      amountCents: l.amountCents,
    })),
  };
}

function unallocatedCents(payment: CashierPaymentRow): number {
  return payment.amountCents - payment.allocations.reduce((sum, a) => sum + a.amountCents, 0);
}

function paymentDtos(payments: readonly CashierPaymentRow[]): CashierPayment[] {
  const byId = new Map(payments.map((p) => [p.id, p]));
  // A payment reversed twice across desks keeps one real reversal and a void one (amount 0): show the real one.
  const reversals = new Map<string, CashierPaymentRow>();
  for (const p of payments) {
    if (p.reversalOfPaymentId === null) continue;
    const known = reversals.get(p.reversalOfPaymentId);
    if (!known || known.amountCents === 0) reversals.set(p.reversalOfPaymentId, p);
  }
  return payments.map((p) => {
    const original = p.reversalOfPaymentId ? byId.get(p.reversalOfPaymentId) : undefined;
    const reversal = reversals.get(p.id);
    return {
      id: p.id,
      receivedAt: p.receivedAt,
      mode: p.mode,
      amountCents: p.amountCents,
      receiptNumber: p.receiptNumber,
      bank: p.bank,
      chequeNumber: p.chequeNumber,
      tpeReference: p.tpeReference,
      providerReference: p.providerReference,
      agentName: p.agentName,
      deskName: p.deskName,
      allocations: p.allocations.map((a) => ({
        invoiceId: a.invoiceId,
        invoiceNumber: a.invoiceNumber,
        amountCents: a.amountCents,
      })),
      unallocatedCents: unallocatedCents(p),
      reversalOf: p.reversalOfPaymentId
        ? { paymentId: p.reversalOfPaymentId, receiptNumber: original?.receiptNumber ?? null }
        : null,
      reversedBy: reversal
        ? { paymentId: reversal.id, receiptNumber: reversal.receiptNumber, receivedAt: reversal.receivedAt }
        : null,
      sync: p.sync,
      reversible:
        DESK_MODES.has(p.mode) &&
        p.amountCents > 0 &&
        p.reversalOfPaymentId === null &&
        reversal === undefined,
    };
  });
}

/** The family's account: invoices, payments, what is owed and what is credit. */
export function accountOf(
  household: CashierHousehold,
  invoices: readonly CashierInvoiceRow[],
  payments: readonly CashierPaymentRow[],
  canReverse: boolean,
): CashierAccount {
  const invoiceDtos = invoices.map(invoiceDto);
  const owedCents = invoiceDtos.reduce((sum, i) => sum + i.leftCents, 0);
  const unallocated = payments.reduce((sum, p) => sum + unallocatedCents(p), 0);
  const overpaid = invoices
    .filter((i) => i.status !== 'annulee')
    .reduce((sum, i) => sum + Math.max(0, i.paidCents - i.totalCents), 0);
  const creditCents = Math.max(0, unallocated + overpaid);
  const dtos = paymentDtos(payments);
  return {
    householdId: household.id,
    code: household.code,
    titulaire: household.titulaire,
    invoices: invoiceDtos,
    payments: dtos,
    owedCents,
    creditCents,
    balanceCents: creditCents - owedCents,
    pendingCount: dtos.filter((p) => p.sync === 'pending').length,
    cashLimitCents: CASH_LIMIT_CENTS,
    canReverse,
  };
}

async function householdOrThrow(db: Kysely<Database>, householdId: string): Promise<CashierHousehold> {
  const household = await getCashierHousehold(db, householdId);
  if (!household) throw new DomainError('HOUSEHOLD_NOT_FOUND', 'Famille introuvable sur ce poste.');
  return household;
}

/** The town's letterhead, or the French reason a desk that never synced cannot print. */
export async function townOrThrow(db: Kysely<Database>): Promise<TownLetterhead> {
  const town = await getTownLetterhead(db);
  if (!town) {
    throw new DomainError(
      'TOWN_NOT_CONFIGURED',
      "La commune n'est pas encore connue de ce poste : synchronisez-le avant d'imprimer.",
    );
  }
  return town;
}

export async function pdfOf(doc: PdfDocument, fileName: string, title: string): Promise<PrintedPdf> {
  const bytes = await renderPdf(doc);
  return { fileName, title, base64: bytes.toString('base64') };
}

/** "HV1-000123" → "recu-HV1-000123.pdf": only letters, digits and dashes in a file name. */
function safeFilePart(text: string): string {
  return text.replace(/[^A-Za-z0-9-]+/g, '-');
}

const REVERSE_ROLES: ReadonlySet<string> = new Set(['regisseur', 'administrateur']);

/** Whether the agent at the counter may reverse payments (the command checks again when it runs). */
function agentMayReverse(deps: HandlerDeps): boolean {
  const agentId = deps.agentSession.current()?.agentId;
  if (!agentId) return false;
  return deps
    .session()
    .store.state.agentRoles(agentId)
    .some((role) => REVERSE_ROLES.has(role));
}

export function createCashierHandlers(deps: HandlerDeps): FeatureHandlers<CashierApi> {
  const db = (): Kysely<Database> => deps.session().store.database.db;
  return {
    'cashier/account': async ({ householdId }) => {
      const household = await householdOrThrow(db(), householdId);
      const [invoices, payments] = await Promise.all([
        listCashierInvoices(db(), householdId),
        listCashierPayments(db(), householdId),
      ]);
      return accountOf(household, invoices, payments, agentMayReverse(deps));
    },

    'print/receipt': async ({ paymentId }) => {
      const payment = await getCashierPayment(db(), paymentId);
      if (!payment) throw new DomainError('PAYMENT_NOT_FOUND', 'Paiement introuvable sur ce poste.');
      const receiptNumber = payment.receiptNumber;
      if (receiptNumber === null) {
        throw new DomainError(
          'RECEIPT_NOT_FOUND',
          "Ce paiement n'a pas de reçu de caisse (paiement en ligne ou prélèvement).",
        );
      }
      const original = payment.reversalOfPaymentId
        ? await getCashierPayment(db(), payment.reversalOfPaymentId)
        : null;
      const [town, household, reason] = await Promise.all([
        townOrThrow(db()),
        householdOrThrow(db(), payment.householdId),
        original ? getReversalReason(db(), original.id) : Promise.resolve(null),
      ]);
      const doc = buildReceipt({
        town,
        household,
        payment: { ...payment, receiptNumber },
        reversal: original ? { original, reason } : null,
        printedAt: deps.now(),
      });
      return pdfOf(doc, `recu-${safeFilePart(receiptNumber)}.pdf`, `Reçu n° ${receiptNumber}`);
    },

    'print/invoice': async ({ invoiceId }) => {
      const invoice = await getCashierInvoice(db(), invoiceId);
      if (!invoice) throw new DomainError('INVOICE_NOT_FOUND', 'Facture introuvable sur ce poste.');
      const [town, household, payer, allocations] = await Promise.all([
        townOrThrow(db()),
        householdOrThrow(db(), invoice.householdId),
        getPersonFormalName(db(), invoice.payerPersonId),
        listInvoiceAllocations(db(), invoice.id),
      ]);
      const doc = buildInvoice({
        town,
        household,
        invoice,
        payer: payer ?? household.titulaireFormal,
        payments: allocations,
        cashLimitCents: CASH_LIMIT_CENTS,
        printedAt: deps.now(),
      });
      return pdfOf(
        doc,
        `facture-${safeFilePart(invoice.number)}.pdf`,
        `Facture n° ${invoice.number} — ${invoice.label}`,
      );
    },
  };
}
