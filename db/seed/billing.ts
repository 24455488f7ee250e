// The régie unique's history in the demo town: SEPA mandates, the invoices of the
// last billed months (numbered without gaps, "2610000123" = October 2026, n° 123),
// their payments (online, direct debit, at the desk) and the desk's receipts.
import { receiptNumberOf } from '../../core/cash-journal';
import { multiplyCents } from '../../core/money';
import type { PaymentMode } from '../schema';
import type { TownAccounts } from './accounts';
import type { TownActivities } from './activities';
import type { Bills, BillItem } from './bookings';
import type { SeedContext } from './context';
import type { DemandeBook } from './demande-book';
import type { HouseholdInfo } from './households';
import { Identities } from './identities';
import type { BillingMonth } from './months';
import type { Rng } from './rng';
import type { TownPeople } from './town';

const DAY_MS = 86_400_000;
const BANKS = [
  'Crédit Agricole Anjou Maine',
  'Banque Populaire Grand Ouest',
  'Crédit Mutuel',
  'La Banque Postale',
  'CIC Ouest',
  "Caisse d'Épargne",
];

export interface BillingResult {
  /** Last invoice sequence number used (counters.invoice). */
  lastInvoiceSeq: number;
  /** Last receipt number of the town hall desk (desk_counters). */
  lastReceipt: number;
}

export function seedBilling(
  ctx: SeedContext,
  activities: TownActivities,
  households: readonly HouseholdInfo[],
  staff: TownPeople,
  accounts: TownAccounts,
  demandes: DemandeBook,
  months: readonly BillingMonth[],
  bills: Bills,
): BillingResult {
  const rng = ctx.root.fork('billing');
  const mandates = seedMandates(ctx, rng, households, accounts, demandes, staff);
  const deskReceipts: { ms: number; paymentId: string }[] = [];
  let seq = 0;

  for (const [monthIndex, month] of months.entries()) {
    const latest = monthIndex === months.length - 1;
    const ageDays = Math.round((ctx.dayStartMs(ctx.today) - ctx.dayStartMs(month.issuedOn)) / DAY_MS);
    const issuedMs = ctx.at(month.issuedOn, 6);
    for (const h of households) {
      const items = [...(bills.get(h.index)?.values() ?? [])].filter((i) => i.month === month.month);
      if (items.length === 0) continue;
      const childOrder = new Map(h.children.map((c, i) => [c.id, i]));
      items.sort(
        (a, b) =>
          childOrder.get(a.childId)! - childOrder.get(b.childId)! ||
          a.activity.position - b.activity.position ||
          priceOrder(a) - priceOrder(b),
      );
      const bracket = bracketIndex(activities, h.qfByYear.get(Number(month.month.slice(0, 4))) ?? null);
      const lines = items.map((item) => {
        const price = item.activity.prices.get(item.priceCode)!;
        const unitPrice = price[h.residency][bracket]!;
        return {
          item,
          label: `${item.activity.name} — ${price.label} (${item.childName})`,
          unitPrice,
          amount: multiplyCents(unitPrice, item.quantity),
        };
      });
      const total = lines.reduce((sum, l) => sum + l.amount, 0);
      seq++;
      const invoiceId = ctx.id();
      const number = `${month.month.slice(2, 4)}${month.month.slice(5, 7)}${String(seq).padStart(6, '0')}`;

      // Who has paid what, by now.
      const payments = planPayments(
        ctx,
        rng,
        h,
        month,
        total,
        latest,
        ageDays,
        mandates.has(h.index),
        accounts.byHousehold.has(h.index),
      );
      const paid = payments.reduce((sum, p) => sum + p.amount, 0);
      const issued = ctx.iso(issuedMs);
      ctx.insert('invoices', {
        id: invoiceId,
        number,
        household_id: h.id,
        payer_person_id: h.titulaireId,
        label: month.label,
        month: month.month,
        issued_on: month.issuedOn,
        due_on: month.dueOn,
        total_cents: total,
        paid_cents: paid,
        status: paid >= total ? 'reglee' : paid > 0 ? 'partiellement_reglee' : 'non_reglee',
        pdf_blob_hash: null,
        sent_at: h.paperless ? ctx.iso(ctx.at(month.issuedOn, 9)) : null,
        created_at: issued,
        updated_at: payments.length > 0 ? ctx.iso(Math.max(...payments.map((p) => p.ms))) : issued,
      });
      for (const [i, l] of lines.entries()) {
        ctx.insert('invoice_lines', {
          id: ctx.id(),
          invoice_id: invoiceId,
          person_id: l.item.childId,
          activity_id: l.item.activity.id,
          unit_id: l.item.unit?.id ?? null,
          price_code: l.item.priceCode,
          label: l.label,
          quantity: l.item.quantity,
          unit_price_cents: l.unitPrice,
          amount_cents: l.amount,
          position: i + 1,
          updated_at: issued,
        });
      }
      for (const p of payments) {
        const paymentId = ctx.id();
        const at = ctx.iso(p.ms);
        const atDesk = p.mode !== 'en_ligne' && p.mode !== 'prelevement';
        ctx.insert('payments', {
          id: paymentId,
          household_id: h.id,
          mode: p.mode,
          amount_cents: p.amount,
          received_at: at,
          payer_name: h.titulaireName,
          desk_id: atDesk ? staff.deskId : null,
          agent_id: atDesk
            ? p.mode === 'especes' || p.mode === 'carte'
              ? staff.accueil.id
              : staff.regie.id
            : null,
          bank: p.mode === 'cheque' ? rng.pick(BANKS) : null,
          cheque_number: p.mode === 'cheque' ? rng.chars('0123456789', 7) : null,
          tpe_reference: p.mode === 'carte' ? `TPE${rng.chars('0123456789', 10)}` : null,
          provider: p.mode === 'en_ligne' ? 'payfip' : p.mode === 'prelevement' ? 'sepa' : null,
          provider_reference:
            p.mode === 'en_ligne'
              ? `${number}S1C1D${rng.chars('0123456789', 12)}`
              : p.mode === 'prelevement'
                ? `PRLV-${month.month}-${h.code}`
                : null,
          reversal_of_payment_id: null,
          origin_op_id: atDesk ? ctx.id() : null,
          created_at: at,
          updated_at: at,
        });
        ctx.insert('payment_allocations', {
          id: ctx.id(),
          payment_id: paymentId,
          invoice_id: invoiceId,
          amount_cents: p.amount,
          updated_at: at,
        });
        if (atDesk) deskReceipts.push({ ms: p.ms, paymentId });
      }
    }
  }

  deskReceipts.sort((a, b) => a.ms - b.ms || (a.paymentId < b.paymentId ? -1 : 1));
  for (const [i, r] of deskReceipts.entries()) {
    const at = ctx.iso(r.ms);
    ctx.insert('receipts', {
      id: ctx.id(),
      number: receiptNumberOf(staff.receiptPrefix, i + 1),
      payment_id: r.paymentId,
      desk_id: staff.deskId,
      issued_at: at,
      updated_at: at,
    });
  }
  ctx.insert('desk_counters', { desk_id: staff.deskId, name: 'receipt', value: deskReceipts.length });
  return { lastInvoiceSeq: seq, lastReceipt: deskReceipts.length };
}

function priceOrder(item: BillItem): number {
  const order = [
    'MATIN',
    'REPAS',
    'REPAS_AV',
    'REPAS_SV',
    'APRES_MIDI',
    'SOIR',
    'REPAS_NON_RESERVE',
    'AMENDE_RETARD',
  ];
  return order.indexOf(item.priceCode);
}

/** The bracket of a QF (the greatest qfMin not above it); no QF → the highest bracket. */
function bracketIndex(activities: TownActivities, qf: number | null): number {
  const brackets = activities.brackets;
  if (qf === null) return brackets.length - 1;
  let found = 0;
  for (const [i, [qfMin]] of brackets.entries()) if (qfMin <= qf) found = i;
  return found;
}

interface PlannedPayment {
  mode: PaymentMode;
  amount: number;
  ms: number;
}

function planPayments(
  ctx: SeedContext,
  rng: Rng,
  h: HouseholdInfo,
  month: BillingMonth,
  total: number,
  latest: boolean,
  ageDays: number,
  mandate: boolean,
  online: boolean,
): PlannedPayment[] {
  const roll = rng.float();
  const partialRoll = rng.float();
  const dayOffset = rng.int(1, Math.max(1, Math.min(ageDays, 30)));
  const minute = rng.int(0, 7 * 60);
  const mode = rng.weighted<PaymentMode>([
    ['en_ligne', online ? 45 : 0],
    ['cheque', 18],
    ['carte', 15],
    ['especes', 12],
    ['cesu', 4],
    ['ancv', 6],
  ]);
  const overpay = rng.chance(0.01);
  if (h.index === 0 && latest) return []; // the demo family has an invoice to pay
  if (mandate) {
    if (month.dueOn > ctx.today) return [];
    return [{ mode: 'prelevement', amount: total, ms: Math.min(ctx.nowMs - 60_000, ctx.at(month.dueOn, 6)) }];
  }
  const paidShare = latest ? Math.min(0.85, (ageDays / 25) * 0.85) : 0.88;
  if (roll >= paidShare) return [];
  let day = ctx.addDays(month.issuedOn, dayOffset);
  if (day > ctx.today) day = ctx.today;
  if (mode !== 'en_ligne') while (!ctx.isBusinessDay(day) && day > month.issuedOn) day = ctx.addDays(day, -1);
  const ms = Math.min(ctx.nowMs - 60_000, ctx.at(day, 9, minute));
  let amount = total;
  if (partialRoll < 0.1) amount = Math.max(100, Math.round((total * (0.3 + partialRoll * 4)) / 100) * 100);
  else if (overpay && mode === 'cheque') amount = Math.ceil(total / 1000) * 1000 + 1000;
  return [{ mode, amount: Math.min(amount, mode === 'cheque' && overpay ? amount : total), ms }];
}

/** SEPA direct-debit mandates (prélèvement automatique), with the demande that asked for them. */
function seedMandates(
  ctx: SeedContext,
  rng: Rng,
  households: readonly HouseholdInfo[],
  accounts: TownAccounts,
  demandes: DemandeBook,
  staff: TownPeople,
): Set<number> {
  const ids = new Identities(ctx.root.fork('sepa'));
  const withMandate = new Set<number>();
  let n = 0;
  for (const h of households) {
    if (h.index < 2 || !rng.chance(0.14)) continue;
    const { iban, bic } = ids.iban();
    const signedMs = Math.max(h.createdMs, Date.UTC(ctx.startYear - 1, 8, 1)) + rng.int(1, 200) * DAY_MS;
    const signed = Math.min(signedMs, Date.UTC(ctx.startYear, 7, 31, 10));
    const at = ctx.iso(signed);
    n++;
    ctx.insert('sepa_mandates', {
      id: ctx.id(),
      household_id: h.id,
      rum: `SAL-${new Date(signed).getUTCFullYear()}-${String(n).padStart(6, '0')}`,
      iban,
      bic,
      holder_name: h.titulaireName.toLocaleUpperCase('fr-FR'),
      signed_on: at.slice(0, 10),
      status: 'actif',
      revoked_on: null,
      created_at: at,
      updated_at: at,
    });
    withMandate.add(h.index);
    const accountId = accounts.byHousehold.get(h.index);
    if (accountId) {
      demandes.add({
        householdId: h.id,
        requesterPersonId: h.titulaireId,
        requesterAccountId: accountId,
        type: 'prelevement',
        subject: 'Demande de prélèvement automatique',
        payload: { titulaire: h.titulaireName, iban: `${iban.slice(0, 4)} **** **** ${iban.slice(-3)}` },
        assignedAgentId: staff.regie.id,
        createdMs: signed - rng.int(2, 10) * DAY_MS,
        then: [
          {
            status: 'traitee_positivement',
            actorKind: 'agent',
            actorId: staff.regie.id,
            atMs: signed,
            comment: 'Mandat SEPA enregistré.',
          },
        ],
      });
    }
  }
  return withMandate;
}
