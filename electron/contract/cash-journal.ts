// Desk contract, the journal de caisse: the receipts this desk issued on a day (void ones included), the total
// per payment mode the régisseur closes the day with, and whether the receipt numbers follow without a hole.
import type { CashierPaymentMode, PrintedPdf } from './cashier';

/** `encaissement`: a payment; `annulation`: a reversal (negative); `annule`: a void receipt (refused payment). */
export type CashJournalEntryKind = 'encaissement' | 'annulation' | 'annule';

export interface CashJournalEntry {
  receiptNumber: string;
  issuedAt: string;
  kind: CashJournalEntryKind;
  paymentId: string | null;
  /** Null for a void receipt. */
  mode: CashierPaymentMode | null;
  /** 0 for a void receipt, negative for a reversal. */
  amountCents: number;
  household: { id: string; code: string; titulaire: string } | null;
  agentName: string | null;
  /** `pending`: taken here, not yet acknowledged by the server. */
  sync: 'pending' | 'confirmed' | 'rejected';
  /** Why the server refused the payment a void receipt was printed for. */
  voidReason: string | null;
}

export interface CashJournalModeTotal {
  mode: CashierPaymentMode;
  count: number;
  totalCents: number;
}

export interface CashJournal {
  /** YYYY-MM-DD (Europe/Paris). */
  day: string;
  deskName: string;
  receiptPrefix: string;
  entries: CashJournalEntry[];
  /** Per mode, payments and reversals of the day (void receipts hold no money). */
  byMode: CashJournalModeTotal[];
  totalCents: number;
  pendingCount: number;
  voidCount: number;
  numbering: {
    first: string | null;
    last: string | null;
    /** Receipt numbers between the desk's previous receipt and the day's last one that nothing holds. */
    missing: string[];
  };
}

export interface CashJournalApi {
  /** The journal of this desk for a day (default: today). */
  'cashier/journal': { args: { day?: string }; result: CashJournal };
  /** The same journal as a PDF, to sign and file with the day's cash and cheques. */
  'print/cash-journal': { args: { day?: string }; result: PrintedPdf };
}

export const CASH_JOURNAL_COMMANDS = [
  'cashier/journal',
  'print/cash-journal',
] as const satisfies readonly (keyof CashJournalApi)[];
