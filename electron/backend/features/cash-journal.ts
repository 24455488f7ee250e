// Desk backend handlers for the journal de caisse (contract/cash-journal.ts): this desk's receipts of a day, the
// total per mode and the numbering check (core/cash-journal.ts), on screen and as a PDF.
import type { Kysely } from 'kysely';
import { DomainError } from '../../../core/errors';
import { addDays, isValidDay, parisDay, startOfParisDay } from '../../../core/calendar/paris';
import { receiptNumberOf, receiptNumbering, receiptSequence, totalsByMode } from '../../../core/cash-journal';
import {
  getDeskReceiptPrefix,
  laterReceiptSequences,
  listDeskReceipts,
  previousReceiptSequence,
} from '../../../db/repositories/cash-journal';
import type { CashJournalRow } from '../../../db/repositories/cash-journal';
import { syncStateOf } from '../../../db/repositories/cashier';
import { PAYMENT_MODES } from '../../../db/schema';
import type { Database } from '../../../db/schema';
import type { CashierPaymentMode } from '../../contract/cashier';
import type { CashJournal, CashJournalApi, CashJournalEntry } from '../../contract/cash-journal';
import type { FeatureHandlers, HandlerDeps } from '../handler-deps';
import { buildCashJournal } from '../print/cash-journal';
import { pdfOf, townOrThrow } from './cashier';

function entryOf(row: CashJournalRow): CashJournalEntry {
  const kind =
    row.voidReason !== null ? 'annule' : row.reversalOfPaymentId !== null ? 'annulation' : 'encaissement';
  return {
    receiptNumber: row.number,
    issuedAt: row.issuedAt,
    kind,
    paymentId: row.paymentId,
    mode: row.mode,
    amountCents: row.amountCents ?? 0,
    household: row.household,
    agentName: row.agentName,
    sync: kind === 'annule' ? 'confirmed' : syncStateOf(row.outboxStatus),
    voidReason: row.voidReason,
  };
}

function dayOf(requested: string | undefined, now: Date): string {
  if (requested === undefined || requested === '') return parisDay(now);
  if (!isValidDay(requested))
    throw new DomainError('INVALID_DAY', `La date « ${requested} » n'est pas valide (attendu : AAAA-MM-JJ).`);
  return requested;
}

/** The journal of `deskId` for `day` (Europe/Paris). */
export async function cashJournalOf(
  db: Kysely<Database>,
  deskId: string | null,
  day: string,
): Promise<CashJournal> {
  const desk = deskId ? await getDeskReceiptPrefix(db, deskId) : null;
  if (!desk) {
    throw new DomainError(
      'DESK_NOT_ENROLLED',
      "Ce poste n'a pas encore été synchronisé avec le serveur : il n'a pas de numérotation de reçus.",
    );
  }
  const from = startOfParisDay(day).toISOString();
  const to = startOfParisDay(addDays(day, 1)).toISOString();
  const sequence = (number: string) => receiptSequence(desk.receiptPrefix, number) ?? Number.MAX_SAFE_INTEGER;
  const entries = (await listDeskReceipts(db, desk.deskId, from, to))
    .map(entryOf)
    .sort(
      (a, b) => sequence(a.receiptNumber) - sequence(b.receiptNumber) || a.issuedAt.localeCompare(b.issuedAt),
    );
  const daySequences = entries
    .map((e) => receiptSequence(desk.receiptPrefix, e.receiptNumber))
    .filter((n): n is number => n !== null);
  const previous = await previousReceiptSequence(db, desk, from);
  const last = daySequences.length > 0 ? Math.max(...daySequences) : 0;
  const later = last > previous ? await laterReceiptSequences(db, desk, to, last) : [];
  const numbering = receiptNumbering(daySequences, previous, later);
  const money = entries.filter(
    (e): e is CashJournalEntry & { mode: CashierPaymentMode } => e.kind !== 'annule' && e.mode !== null,
  );
  const byMode = totalsByMode(money, PAYMENT_MODES);
  const number = (n: number | null) => (n === null ? null : receiptNumberOf(desk.receiptPrefix, n));
  return {
    day,
    deskName: desk.name,
    receiptPrefix: desk.receiptPrefix,
    entries,
    byMode,
    totalCents: byMode.reduce((sum, t) => sum + t.totalCents, 0),
    pendingCount: entries.filter((e) => e.sync === 'pending').length,
    voidCount: entries.filter((e) => e.kind === 'annule').length,
    numbering: {
      first: number(numbering.first),
      last: number(numbering.last),
      missing: numbering.missing.map((n) => receiptNumberOf(desk.receiptPrefix, n)),
    },
  };
}

export function createCashJournalHandlers(deps: HandlerDeps): FeatureHandlers<CashJournalApi> {
  const store = () => deps.session().store;
  return {
    'cashier/journal': ({ day }) =>
      cashJournalOf(store().database.db, store().deskId(), dayOf(day, deps.now())),
    'print/cash-journal': async ({ day }) => {
      const db = store().database.db;
      const journal = await cashJournalOf(db, store().deskId(), dayOf(day, deps.now()));
      const town = await townOrThrow(db);
      const doc = buildCashJournal({ town, journal, printedAt: deps.now() });
      return pdfOf(
        doc,
        `journal-de-caisse-${journal.receiptPrefix.replace(/[^A-Za-z0-9-]+/g, '-')}-${journal.day}.pdf`,
        `Journal de caisse du ${journal.day.split('-').reverse().join('/')} — ${journal.deskName}`,
      );
    },
  };
}
