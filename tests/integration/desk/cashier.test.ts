// Money at the counter, against the real sync server: the régie's cash ceiling, a partial payment spread over
// the oldest invoice first (or as the agent asks), an overpayment turned into credit, the receipt and the
// invoice as PDF (text read back with pdftotext), and an offline payment pending until the server acknowledges it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { formatEuros } from '../../../core/money';
import { openDatabase } from '../../../db/open';
import type { OpenedDatabase } from '../../../db/open';
import { buildServer } from '../../../server/app';
import { issueDeskToken } from '../../../server/auth/desk-tokens';
import type { DeskBackend } from '../../../electron/backend/desk-backend';
import type { CashierAccount, CashierInvoice } from '../../../electron/contract';
import { TownFiles, addDesk, agentId, call, refusal, startDesk } from '../desk-sync/fixtures';
import { Network } from '../desk-sync/network';

const files = new TownFiles();
const pdfDir = mkdtempSync(join(tmpdir(), 'gf-cashier-pdf-'));
let database: OpenedDatabase;
let server: FastifyInstance;
let url: string;
const desks: DeskBackend[] = [];

beforeAll(async () => {
  await files.seed();
});

afterAll(() => {
  files.dispose();
  rmSync(pdfDir, { recursive: true, force: true });
});

beforeEach(async () => {
  database = openDatabase(files.serverCopy());
  server = await buildServer({ database });
  url = await server.listen({ host: '127.0.0.1', port: 0 });
});

afterEach(async () => {
  for (const desk of desks.splice(0)) desk.close();
  await server.close();
  database.close();
});

/** A desk at the counter of the town hall annex, signed in as `login`. */
async function counterDesk(
  login = 'agent.accueil',
  prefix = 'ANX',
): Promise<{ desk: DeskBackend; network: Network }> {
  const deskId = addDesk(database.sqlite, `Accueil Mairie annexe ${prefix}`, prefix);
  const network = new Network();
  const desk = await startDesk({
    dbPath: files.path('caisse'),
    serverUrl: url,
    deskToken: issueDeskToken(database.sqlite, deskId),
    fetch: network.fetch,
    sync: { events: false },
    agentId: agentId(database.sqlite, login),
  });
  desks.push(desk);
  return { desk, network };
}

/** A family with at least `count` unpaid (untouched) invoices, the most open invoices first. */
function familyWithOpenInvoices(count = 1): string {
  const row = database.sqlite
    .prepare(
      `SELECT household_id AS id FROM invoices
       WHERE status = 'non_reglee' AND paid_cents = 0 AND total_cents > 2000
       GROUP BY household_id HAVING COUNT(*) >= ? ORDER BY COUNT(*) DESC, MIN(number) LIMIT 1`,
    )
    .get(count) as { id: string } | undefined;
  if (!row) throw new Error(`No family with ${count} open invoices in the seeded town`);
  return row.id;
}

function open(account: CashierAccount): CashierInvoice[] {
  return account.invoices.filter((i) => i.leftCents > 0);
}

/** The text of a PDF as pdftotext reads it, no-break spaces as plain spaces. */
function pdfText(base64: string, name: string): string {
  const path = join(pdfDir, name);
  writeFileSync(path, Buffer.from(base64, 'base64'));
  return execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' }).replace(
    /[\u00a0\u202f]/g,
    ' ',
  );
}

/** A literal for a RegExp. */
function literal(text: string): string {
  return plain(text).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function plain(text: string): string {
  return text.replace(/[\u00a0\u202f]/g, ' ');
}

describe('taking a payment at the counter', () => {
  it('refuses cash over 300 € with the régie’s French message, and takes 300 € exactly', async () => {
    const { desk } = await counterDesk();
    const householdId = familyWithOpenInvoices();
    const before = await call(desk, 'cashier/account', { householdId });
    expect(before.cashLimitCents).toBe(30_000);

    const error = await refusal(desk, 'payment/record', {
      householdId,
      mode: 'especes',
      amountCents: 30_001,
    });
    expect(error.code).toBe('CASH_LIMIT_EXCEEDED');
    expect(plain(error.message)).toContain(
      'Un paiement en espèces ne peut pas dépasser 300,00 € (règle de la régie)',
    );
    expect((await call(desk, 'cashier/account', { householdId })).payments).toHaveLength(
      before.payments.length,
    );

    const paid = await call(desk, 'payment/record', { householdId, mode: 'especes', amountCents: 30_000 });
    expect(paid.receiptNumber).toBe('ANX-000001');
    // A cheque has no such ceiling.
    await call(desk, 'payment/record', {
      householdId,
      mode: 'cheque',
      amountCents: 45_000,
      bank: 'Crédit Mutuel',
      chequeNumber: '1234567',
    });
  });

  it('puts a partial payment on the oldest open invoice, or where the agent allocates it', async () => {
    const { desk } = await counterDesk();
    const householdId = familyWithOpenInvoices(2);
    const before = await call(desk, 'cashier/account', { householdId });
    const [oldest, newer] = open(before) as [CashierInvoice, CashierInvoice];
    expect(oldest.issuedOn! <= newer.issuedOn!).toBe(true);

    const auto = await call(desk, 'payment/record', {
      householdId,
      mode: 'cheque',
      amountCents: 1_500,
      bank: 'La Banque Postale',
      chequeNumber: '0000042',
    });
    expect(auto.allocated).toEqual([{ invoiceId: oldest.id, amountCents: 1_500 }]);
    expect(auto.creditCents).toBe(0);
    let account = await call(desk, 'cashier/account', { householdId });
    const oldestAfter = account.invoices.find((i) => i.id === oldest.id)!;
    expect(oldestAfter).toMatchObject({ status: 'partiellement_reglee', paidCents: 1_500 });
    expect(oldestAfter.leftCents).toBe(oldest.leftCents - 1_500);
    expect(account.owedCents).toBe(before.owedCents - 1_500);
    expect(account.creditCents).toBe(before.creditCents);
    expect(account.payments[0]).toMatchObject({
      mode: 'cheque',
      amountCents: 1_500,
      receiptNumber: auto.receiptNumber,
      bank: 'La Banque Postale',
      chequeNumber: '0000042',
      allocations: [{ invoiceId: oldest.id, invoiceNumber: oldest.number, amountCents: 1_500 }],
      unallocatedCents: 0,
    });

    // The agent puts the next payment on the newer invoice instead.
    await call(desk, 'payment/record', {
      householdId,
      mode: 'carte',
      amountCents: 1_000,
      tpeReference: 'TPE-778812',
      allocations: [{ invoiceId: newer.id, amountCents: 1_000 }],
    });
    account = await call(desk, 'cashier/account', { householdId });
    expect(account.invoices.find((i) => i.id === newer.id)).toMatchObject({
      status: 'partiellement_reglee',
      leftCents: newer.leftCents - 1_000,
    });
    expect(account.invoices.find((i) => i.id === oldest.id)?.leftCents).toBe(oldest.leftCents - 1_500);
    expect(account.owedCents).toBe(before.owedCents - 2_500);
  });

  it('turns what exceeds the open invoices into the family’s credit', async () => {
    const { desk } = await counterDesk();
    const householdId = familyWithOpenInvoices();
    const before = await call(desk, 'cashier/account', { householdId });
    const amountCents = before.owedCents + 1_234;
    const paid = await call(desk, 'payment/record', {
      householdId,
      mode: 'cheque',
      amountCents,
      bank: 'CIC Ouest',
      chequeNumber: '7654321',
    });
    expect(paid.creditCents).toBe(1_234);
    expect(paid.allocated.reduce((sum, a) => sum + a.amountCents, 0)).toBe(before.owedCents);
    const after = await call(desk, 'cashier/account', { householdId });
    expect(after.owedCents).toBe(0);
    expect(after.creditCents).toBe(before.creditCents + 1_234);
    expect(after.balanceCents).toBe(after.creditCents);
    expect(after.invoices.filter((i) => i.status !== 'annulee').every((i) => i.status === 'reglee')).toBe(
      true,
    );
    expect(after.payments[0]?.unallocatedCents).toBe(1_234);
  });

  it('lets a régisseur reverse a payment, not an accueil agent', async () => {
    const accueil = await counterDesk('agent.accueil');
    const householdId = familyWithOpenInvoices();
    const paid = await call(accueil.desk, 'payment/record', {
      householdId,
      mode: 'especes',
      amountCents: 2_000,
    });
    expect((await call(accueil.desk, 'cashier/account', { householdId })).canReverse).toBe(false);

    const regie = await counterDesk('agent.regie', 'REG');
    await call(accueil.desk, 'sync/now', undefined);
    await call(regie.desk, 'sync/now', undefined);
    let account = await call(regie.desk, 'cashier/account', { householdId });
    expect(account.canReverse).toBe(true);
    expect(account.payments.find((p) => p.id === paid.paymentId)?.reversible).toBe(true);
    const reversed = await call(regie.desk, 'payment/reverse', {
      paymentId: paid.paymentId,
      reason: 'Erreur de famille au guichet',
    });
    account = await call(regie.desk, 'cashier/account', { householdId });
    expect(account.payments.find((p) => p.id === paid.paymentId)).toMatchObject({
      reversible: false,
      reversedBy: { paymentId: reversed.reversalId, receiptNumber: reversed.receiptNumber },
    });
    expect(account.payments.find((p) => p.id === reversed.reversalId)).toMatchObject({
      amountCents: -2_000,
      reversalOf: { paymentId: paid.paymentId, receiptNumber: paid.receiptNumber },
    });

    const receipt = await call(regie.desk, 'print/receipt', { paymentId: reversed.reversalId });
    const text = pdfText(receipt.base64, 'reversal.pdf');
    expect(text).toContain('REÇU D’ANNULATION');
    expect(text).toContain(reversed.receiptNumber);
    expect(text).toContain(`reçu n° ${paid.receiptNumber}`);
    expect(text).toContain('Motif : Erreur de famille au guichet');
    expect(text).toContain('-20,00 €');
  });
});

describe('printing', () => {
  it('prints a numbered receipt with the amount, the family, the mode and the allocations', async () => {
    const { desk } = await counterDesk();
    const householdId = familyWithOpenInvoices();
    const account = await call(desk, 'cashier/account', { householdId });
    const oldest = open(account)[0]!;
    const paid = await call(desk, 'payment/record', {
      householdId,
      mode: 'cheque',
      amountCents: 1_234,
      bank: 'Crédit Agricole Anjou Maine',
      chequeNumber: '9988776',
    });
    const pdf = await call(desk, 'print/receipt', { paymentId: paid.paymentId });
    expect(pdf.fileName).toBe(`recu-${paid.receiptNumber}.pdf`);
    expect(Buffer.from(pdf.base64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');

    const text = pdfText(pdf.base64, 'receipt.pdf');
    const lastName = account.titulaire.split(' ')[0]!;
    expect(text).toContain(`N° ${paid.receiptNumber}`);
    expect(text).toContain('12,34 €');
    expect(text).toContain('Douze euros et trente-quatre centimes');
    expect(text).toContain(lastName);
    expect(text).toContain(`Dossier famille ${account.code}`);
    expect(text).toContain('Chèque — n° 9988776 — Crédit Agricole Anjou Maine');
    expect(text).toMatch(new RegExp(`${oldest.number}\\s+${oldest.label}\\s+12,34 €`));
    expect(text).toContain('Mégane Lefèvre');
    expect(text).toContain('Accueil Mairie annexe ANX');
    expect(text).toContain('Régie unique Enfance-Jeunesse');
  });

  it('prints the invoice with its lines per child and activity, its totals and how to pay', async () => {
    const { desk } = await counterDesk();
    const householdId = familyWithOpenInvoices();
    let account = await call(desk, 'cashier/account', { householdId });
    const invoice = open(account)[0]!;
    await call(desk, 'payment/record', {
      householdId,
      mode: 'especes',
      amountCents: 1_000,
      allocations: [{ invoiceId: invoice.id, amountCents: 1_000 }],
    });
    account = await call(desk, 'cashier/account', { householdId });
    const paidInvoice = account.invoices.find((i) => i.id === invoice.id)!;

    const pdf = await call(desk, 'print/invoice', { invoiceId: invoice.id });
    expect(pdf.fileName).toBe(`facture-${invoice.number}.pdf`);
    const text = pdfText(pdf.base64, 'invoice.pdf');
    expect(text).toContain(`N° ${invoice.number}`);
    expect(text).toContain(`Période : ${invoice.label}`);
    expect(invoice.lines.length).toBeGreaterThan(0);
    for (const line of invoice.lines) {
      expect(text).toContain(line.childName);
      expect(text).toMatch(
        new RegExp(
          `${literal(`${line.activityName} — ${line.designation}`)}\\s+${line.quantity}\\s+` +
            `${literal(formatEuros(line.unitPriceCents))}\\s+${literal(formatEuros(line.amountCents))}`,
        ),
      );
    }
    expect(text).toMatch(new RegExp(`Total de la facture\\s+${plain(formatEuros(paidInvoice.totalCents))}`));
    expect(text).toMatch(/Déjà réglé\s+10,00 €/);
    expect(text).toMatch(new RegExp(`Reste à payer\\s+${plain(formatEuros(paidInvoice.leftCents))}`));
    expect(text).toContain(`Référence à rappeler : ${invoice.number}`);
    expect(text).toMatch(/espèces \(300,00 € au plus\s+par\s+paiement\)/);
  });
});

describe('offline', () => {
  it('keeps a payment taken offline pending, prints its receipt, and shows it confirmed once synced', async () => {
    const { desk, network } = await counterDesk();
    const householdId = familyWithOpenInvoices();
    const before = await call(desk, 'cashier/account', { householdId });
    const oldest = open(before)[0]!;
    network.goOffline();

    const paid = await call(desk, 'payment/record', {
      householdId,
      mode: 'ancv',
      amountCents: 2_000,
      chequeNumber: 'ANCV 12345-12350',
    });
    let account = await call(desk, 'cashier/account', { householdId });
    expect(account.pendingCount).toBe(1);
    expect(account.payments.find((p) => p.id === paid.paymentId)?.sync).toBe('pending');
    expect(account.invoices.find((i) => i.id === oldest.id)?.leftCents).toBe(oldest.leftCents - 2_000);
    const offlineText = pdfText(
      (await call(desk, 'print/receipt', { paymentId: paid.paymentId })).base64,
      'off.pdf',
    );
    expect(offlineText).toContain(paid.receiptNumber);
    expect(offlineText).toContain('Chèques vacances ANCV — titres n° ANCV 12345-12350');
    expect(await call(desk, 'sync/now', undefined)).toMatchObject({ connection: 'offline', pending: 1 });

    network.goOnline();
    expect(await call(desk, 'sync/now', undefined)).toMatchObject({ pending: 0, toHandle: 0 });
    account = await call(desk, 'cashier/account', { householdId });
    expect(account.pendingCount).toBe(0);
    expect(account.payments.find((p) => p.id === paid.paymentId)).toMatchObject({
      sync: 'confirmed',
      receiptNumber: paid.receiptNumber,
      allocations: [{ invoiceId: oldest.id, amountCents: 2_000 }],
    });
    const onServer = database.sqlite
      .prepare(
        `SELECT p.amount_cents AS amount, r.number AS receipt, i.paid_cents AS paid FROM payments p
         JOIN receipts r ON r.payment_id = p.id JOIN payment_allocations a ON a.payment_id = p.id
         JOIN invoices i ON i.id = a.invoice_id WHERE p.id = ?`,
      )
      .get(paid.paymentId);
    expect(onServer).toEqual({ amount: 2_000, receipt: paid.receiptNumber, paid: oldest.paidCents + 2_000 });
  });
});
