// Payments at the counter in the desk, in Chromium against the real desk backend and server: a family with an
// open invoice pays part of it in cash, then by cheque; the agent opens the receipt preview. The receipt and
// invoice PDFs are rendered to PNG (pdftoppm) next to the screenshots, to be looked at. A payment the server
// refuses shows in À traiter with its receipt number kept void.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { DemoStack } from '../../scripts/demo-stack';
import { formatEuros } from '../../core/money';
import { formatShortFr } from '../../core/calendar/paris';
import { screenshot } from './browser';
import { SHOTS, closeDeskStack, openDeskStack, deskInvoker, plain } from './desk-stack';
import { signIn } from './desk-sign-in';

describe('payments at the counter', () => {
  let dataDir: string;
  let stack: DemoStack;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => ({ dataDir, stack, browser, page } = await openDeskStack('cashier')));

  afterAll(() => closeDeskStack({ dataDir, stack, browser }));

  /** A desk command through the bridge the page uses (same backend, same signed-in agent). */
  const invoke = deskInvoker(() => stack);

  /** Writes a PDF next to the screenshots, renders its pages with pdftoppm, returns its text. */
  function keepPdf(base64: string, name: string): string {
    const path = join(SHOTS, `${name}.pdf`);
    writeFileSync(path, Buffer.from(base64, 'base64'));
    execFileSync('pdftoppm', ['-png', '-r', '70', path, join(SHOTS, name)]);
    return execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' }).replace(/\u00a0/g, ' ');
  }

  /** The demo family (the first one with an invoice to pay), as the desk's replica has it. */
  function familyWithOpenInvoice(): { id: string; code: string } {
    const sqlite = stack.desk!.session().store.sqlite;
    return sqlite
      .prepare(
        `SELECT h.id, h.code FROM households h JOIN invoices i ON i.household_id = h.id
         WHERE i.status = 'non_reglee' AND i.total_cents - i.paid_cents > 10000
         ORDER BY h.code LIMIT 1`,
      )
      .get() as { id: string; code: string };
  }

  async function collect(fill: () => Promise<void>): Promise<void> {
    await page.getByTestId('cashier-collect').click();
    const dialog = page.getByTestId('collect-dialog');
    await dialog.waitFor();
    await fill();
    await page.getByTestId('pay-submit').click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('cashier-notice').waitFor();
  }

  it('takes a partial cash payment and a cheque, and previews the receipt', async () => {
    const family = familyWithOpenInvoice();
    await page.goto(`${stack.deskUrl}/`);
    await signIn(page);
    await page.goto(`${stack.deskUrl}/#/familles/${family.id}`);
    await page.getByRole('tab', { name: 'Factures et paiements' }).click();
    await page.getByTestId('invoice-row').first().waitFor();
    const before = await invoke('cashier/account', { householdId: family.id });
    expect(before.owedCents).toBeGreaterThan(10_000);

    // Cash above the régie's ceiling is refused in the dialog, with its French message.
    await page.getByTestId('cashier-collect').click();
    await page.getByTestId('collect-dialog').waitFor();
    await page.getByTestId('pay-amount').locator('input').fill('350');
    await page.getByText('Un paiement en espèces ne peut pas dépasser 300,00').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('collect-dialog').waitFor({ state: 'detached' });

    // A partial cash payment: 20 € on the oldest invoice.
    await collect(async () => {
      await page.getByTestId('pay-amount').locator('input').fill('20,00');
      await page.getByTestId('pay-partial').waitFor();
    });
    expect(plain(await page.getByTestId('cashier-notice').textContent())).toMatch(
      /Paiement de 20,00 € enregistré — reçu n° HV1-\d{6}/,
    );

    // A cheque with its bank and number.
    await collect(async () => {
      await page.getByTestId('mode-cheque').click();
      await page.getByTestId('pay-amount').locator('input').fill('35,50');
      await page.getByTestId('pay-bank').locator('input').fill('Crédit Mutuel');
      await page.getByTestId('pay-cheque-number').locator('input').fill('1234567');
    });
    await expect.poll(() => page.getByTestId('payment-row').count()).toBeGreaterThanOrEqual(2);
    const rows = (await page.getByTestId('payment-row').allTextContents()).map(plain);
    expect(rows[0]).toMatch(/Chèque.*n° 1234567 — Crédit Mutuel.*35,50 €/);
    expect(rows[1]).toMatch(/Espèces.*20,00 €/);

    const after = await invoke('cashier/account', { householdId: family.id });
    expect(after.owedCents).toBe(before.owedCents - 5_550);
    await expect
      .poll(async () => (await invoke('cashier/account', { householdId: family.id })).pendingCount)
      .toBe(0);
    await screenshot(page, 'desk-cashier');

    // The dialog with the cheque fields and the allocation, for the record.
    await page.getByTestId('cashier-collect').click();
    await page.getByTestId('mode-cheque').click();
    await page.getByTestId('pay-amount').locator('input').fill('900');
    await page.getByTestId('pay-overpayment').waitFor();
    await screenshot(page, 'desk-cashier-collect');
    await page.keyboard.press('Escape');
    await page.getByTestId('collect-dialog').waitFor({ state: 'detached' });

    // The receipt of the cheque, previewed.
    await page.getByTestId('cashier-notice-receipt').click();
    await page.getByTestId('pdf-frame').waitFor();
    expect(plain(await page.getByTestId('pdf-preview-title').textContent())).toMatch(/Reçu n° HV1-\d{6}/);
    await page.waitForTimeout(1500); // the PDF viewer paints the page inside the frame
    await screenshot(page, 'desk-receipt');
    await page.keyboard.press('Escape');

    // The same documents, rendered to PNG for a look, and their text checked.
    const cheque = after.payments.find((p) => p.mode === 'cheque' && p.amountCents === 3_550)!;
    const receipt = keepPdf(
      (await invoke('print/receipt', { paymentId: cheque.id })).base64,
      'desk-receipt-pdf',
    );
    expect(receipt).toContain(cheque.receiptNumber!);
    expect(receipt).toContain('35,50 €');
    expect(receipt).toContain(after.titulaire.split(' ')[0]!);
    const invoiceId = cheque.allocations[0]!.invoiceId;
    const invoice = keepPdf((await invoke('print/invoice', { invoiceId })).base64, 'desk-invoice-pdf');
    expect(invoice).toContain('Reste à payer');

    // The invoice's lines per child and activity, unfolded.
    await page.getByTestId('invoice-lines-toggle').last().click();
    await page.getByTestId('invoice-lines').waitFor();
    await screenshot(page, 'desk-cashier-lines');
    await page.getByTestId('invoice-lines-toggle').last().click();
    await page.getByTestId('invoice-lines').waitFor({ state: 'detached' });
  });

  it('lists a payment the server refused in À traiter, its receipt number kept void', async () => {
    const family = familyWithOpenInvoice();
    await page.goto(`${stack.deskUrl}/`);
    await signIn(page);
    // An administrator withdraws the agent's roles on the server; the desk does not know it yet.
    const server = new Database(join(dataDir, 'server.sqlite'));
    const agentId = server
      .prepare("SELECT id FROM agents WHERE login = 'agent.accueil'")
      .pluck()
      .get() as string;
    const roles = server
      .prepare('SELECT agent_id, role, updated_at FROM agent_roles WHERE agent_id = ?')
      .all(agentId);
    server.prepare('DELETE FROM agent_roles WHERE agent_id = ?').run(agentId);
    try {
      const paid = await invoke('payment/record', {
        householdId: family.id,
        mode: 'especes',
        amountCents: 1_500,
        allocations: [],
      });
      await invoke('sync/now', undefined);
      expect(
        server.prepare('SELECT payment_id FROM receipts WHERE number = ?').pluck().get(paid.receiptNumber),
      ).toBeNull();
      await page.goto(`${stack.deskUrl}/#/a-traiter`);
      const row = page.getByTestId('to-handle-row').filter({ hasText: paid.receiptNumber });
      await row.waitFor();
      const text = plain(await row.textContent());
      expect(text).toContain('Refusée');
      expect(text).toContain(`Le reçu ${paid.receiptNumber} est annulé`);
      expect(text).toContain('aucun encaissement enregistré');
      await page.mouse.move(0, 0);
      await screenshot(page, 'desk-void-receipt');
    } finally {
      const insert = server.prepare(
        'INSERT OR IGNORE INTO agent_roles (agent_id, role, updated_at) VALUES (@agent_id, @role, @updated_at)',
      );
      for (const role of roles) insert.run(role);
      server.close();
    }
  });

  it('takes a payment with the server gone and shows it pending synchronisation', async () => {
    const family = familyWithOpenInvoice();
    await page.goto(`${stack.deskUrl}/#/familles/${family.id}`);
    await page.getByRole('tab', { name: 'Factures et paiements' }).click();
    await page.getByTestId('invoice-row').first().waitFor();
    const closing = stack.server.close();
    stack.server.server.closeAllConnections();
    await closing;
    expect((await invoke('sync/now', undefined)).connection).toBe('offline');
    await expect.poll(() => page.getByTestId('sync-status').textContent()).toMatch(/Hors ligne/);

    await collect(async () => {
      await page.getByTestId('pay-amount').locator('input').fill('5');
    });
    expect(plain(await page.getByTestId('cashier-notice').textContent())).toContain(
      'En attente de synchronisation.',
    );
    await page.getByTestId('payment-pending').first().waitFor();
    const account = await invoke('cashier/account', { householdId: family.id });
    expect(account.pendingCount).toBe(1);
    expect(account.payments[0]).toMatchObject({ amountCents: 500, sync: 'pending' });
    await screenshot(page, 'desk-cashier-offline');
  });

  it('closes the day in the journal de caisse, offline: every receipt, the void one without money', async () => {
    const journal = await invoke('cashier/journal', {});
    const cash = journal.entries.filter((e) => e.kind === 'encaissement');
    const voids = journal.entries.filter((e) => e.kind === 'annule');
    expect(cash.length).toBeGreaterThanOrEqual(3);
    expect(voids).toHaveLength(1);
    expect(journal.pendingCount).toBe(1);
    expect(journal.numbering.missing).toEqual([]);
    expect(journal.totalCents).toBe(cash.reduce((sum, e) => sum + e.amountCents, 0));

    await page.getByTestId('nav-journal').click();
    await page.getByTestId('journal-table').waitFor();
    expect(await page.getByTestId('journal-row').count()).toBe(journal.entries.length);
    expect(await page.getByTestId('journal-day').locator('input').inputValue()).toBe(
      formatShortFr(journal.day),
    );
    const numbers = await page.getByTestId('journal-row').locator('td:first-child').allTextContents();
    expect(numbers.map((n) => n.trim())).toEqual(journal.entries.map((e) => e.receiptNumber));
    const numbering = plain(await page.getByTestId('journal-numbering').textContent());
    expect(numbering).toContain(`reçus ${journal.numbering.first} à ${journal.numbering.last}`);
    const total = plain(await page.getByTestId('journal-total').textContent());
    expect(total).toContain(plain(formatEuros(journal.totalCents)));
    const voidRow = plain(
      await page.getByTestId('journal-row').filter({ hasText: 'Reçu annulé' }).textContent(),
    );
    expect(voidRow).toContain(voids[0]!.receiptNumber);
    await page.mouse.move(0, 0);
    await screenshot(page, 'desk-cash-journal');

    await page.getByTestId('journal-print').click();
    await page.getByTestId('pdf-frame').waitFor();
    const text = keepPdf((await invoke('print/cash-journal', {})).base64, 'desk-cash-journal-pdf');
    expect(text).toContain('JOURNAL DE CAISSE');
    expect(text).toContain('Numérotation continue');
    expect(text).toContain(voids[0]!.receiptNumber);
  });
});
