// Desk contract, cashier commands: a family's account at the counter (invoices, payments, balance) and the
// printed documents (receipt, invoice). Taking and reversing a payment are `payment/record` / `payment/reverse`.
// Money is always in integer cents.

/** Every way money reaches the régie; the desk takes the first five (`DeskPaymentMode`). */
export type CashierPaymentMode =
  'especes' | 'cheque' | 'carte' | 'cesu' | 'ancv' | 'en_ligne' | 'prelevement';

export type CashierInvoiceStatus = 'non_reglee' | 'partiellement_reglee' | 'reglee' | 'annulee';

export interface CashierInvoiceLine {
  id: string;
  personId: string;
  /** "DUPONT Léa". */
  childName: string;
  activityName: string;
  /** "Repas sans viande". */
  designation: string;
  /** Days or units. */
  quantity: number;
  unitPriceCents: number;
  amountCents: number;
}

export interface CashierInvoice {
  id: string;
  /** "2610000046". */
  number: string;
  /** "Octobre 2026". */
  label: string;
  /** YYYY-MM. */
  month: string;
  issuedOn: string | null;
  dueOn: string | null;
  totalCents: number;
  paidCents: number;
  /** What the invoice still owes (0 once paid or cancelled). */
  leftCents: number;
  status: CashierInvoiceStatus;
  lines: CashierInvoiceLine[];
}

export interface CashierAllocation {
  invoiceId: string;
  invoiceNumber: string | null;
  amountCents: number;
}

export interface CashierPayment {
  id: string;
  receivedAt: string;
  mode: CashierPaymentMode;
  /** Negative for a reversal. */
  amountCents: number;
  receiptNumber: string | null;
  bank: string | null;
  chequeNumber: string | null;
  tpeReference: string | null;
  /** PayFiP transaction or direct-debit reference. */
  providerReference: string | null;
  agentName: string | null;
  deskName: string | null;
  allocations: CashierAllocation[];
  /** What was not allocated to an invoice (the family's credit from this payment). */
  unallocatedCents: number;
  /** Set on a reversal: the payment it cancels. */
  reversalOf: { paymentId: string; receiptNumber: string | null } | null;
  /** Set on a reversed payment: its reversal. */
  reversedBy: { paymentId: string; receiptNumber: string | null; receivedAt: string } | null;
  /** `pending`: taken on this desk, not yet acknowledged by the server (« en attente de synchronisation »). */
  sync: 'pending' | 'confirmed' | 'rejected';
  /** A desk payment that is neither a reversal nor reversed yet (a régisseur may reverse it). */
  reversible: boolean;
}

export interface CashierAccount {
  householdId: string;
  code: string;
  titulaire: string;
  /** Issued invoices, oldest first. */
  invoices: CashierInvoice[];
  /** Payments and reversals, newest first. */
  payments: CashierPayment[];
  /** What the open invoices still owe. */
  owedCents: number;
  /** Money received and not owed by any invoice (unallocated payments, overpaid invoices). */
  creditCents: number;
  /** creditCents − owedCents: negative when the family owes money. */
  balanceCents: number;
  /** Payments taken here and not yet acknowledged by the server. */
  pendingCount: number;
  /** The régie's ceiling for one cash payment. */
  cashLimitCents: number;
  /** The agent at the counter may reverse a payment (régisseur or administrateur). */
  canReverse: boolean;
}

/** A rendered PDF, base64-encoded so it crosses IPC and the HTTP bridge as JSON. */
export interface PrintedPdf {
  /** "recu-HV1-000123.pdf". */
  fileName: string;
  /** "Reçu n° HV1-000123". */
  title: string;
  base64: string;
}

export interface CashierApi {
  'cashier/account': { args: { householdId: string }; result: CashierAccount };
  /** The receipt (reçu) of a desk payment or reversal. */
  'print/receipt': { args: { paymentId: string }; result: PrintedPdf };
  /** The invoice (facture) with its lines, what was already paid and how to pay the rest. */
  'print/invoice': { args: { invoiceId: string }; result: PrintedPdf };
}

export const CASHIER_COMMANDS = [
  'cashier/account',
  'print/receipt',
  'print/invoice',
] as const satisfies readonly (keyof CashierApi)[];
