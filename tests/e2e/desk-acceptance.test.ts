// The desk's acceptance scenarios (issue 4), in Chromium against the real desk backend, a real server and real
// SQLite files, at 1366×768:
// 1. an agent creates a family with the wizard, registers its two children to the ALSH for the next holidays,
//    books a holiday week for both (périodicité + frère/sœur), attaches a scanned PDF, takes a partial cash
//    payment and a cheque, prints the receipt (PDF text checked), processes a parent's demande; then the server
//    stops: a day is booked and a payment taken offline (pending), the server restarts on the same port and data,
//    and both are confirmed;
// 2. a day booked offline while parents take the last place on the server is refused and shows in À traiter;
// 3. the keyboard-only path: F2 → name → ↓ / Entrée → the family → Tab to « Réserver » → tick a day with Espace.
// Screenshots in test-results/screenshots/desk-acceptance-*.png.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { addDays, parisDay, weekday } from '../../core/calendar/paris';
import { newId } from '../../core/ids';
import { openDatabase } from '../../db/open';
import type { OpenedDatabase } from '../../db/open';
import { PORTAL_DIR } from '../../scripts/demo-stack';
import type { DemoStack } from '../../scripts/demo-stack';
import { buildServer } from '../../server/app';
import { appendChange } from '../../server/sync/change-log';
import { createDemande, samplePdf, signInParent } from '../support/create-demande';
import { screenshot } from './browser';
import { SHOTS, closeDeskStack, deskInvoker, openDeskStack, plain } from './desk-stack';
import { signIn } from './desk-sign-in';

const shot = (page: Page, name: string) => screenshot(page, `desk-acceptance-${name}`);

/** "2027-02-22" → "22/02/2027", as typed in the desk's date fields. */
const frDate = (day: string) => day.split('-').reverse().join('/');

interface RunningServer {
  app: FastifyInstance;
  database: OpenedDatabase | null;
}

describe('desk acceptance scenarios', () => {
  let dataDir: string;
  let stack: DemoStack;
  let browser: Browser;
  let page: Page;
  let serverPort: number;
  /** The server the desk talks to now (the stack's at first, a restarted one later). */
  let server: RunningServer;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ({ dataDir, stack, browser, page } = await openDeskStack('acceptance', {
      page: { acceptDownloads: true },
    }));
    serverPort = Number(new URL(stack.serverUrl).port);
    server = { app: stack.server, database: null };
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterAll(async () => {
    if (server?.database) await stopServer(server);
    await closeDeskStack({ dataDir, stack, browser });
  });

  // ── Plumbing ────────────────────────────────────────────────────────────────────────────────────────────

  /** A desk command through the bridge the page uses (same backend, same signed-in agent). */
  const invoke = deskInvoker(() => stack);

  /** Synchronises now (the background loop does too, with a backoff of up to 30 s) and returns the status. */
  const syncNow = () => invoke('sync/now', undefined);

  const replica = () => stack.desk!.session().store.sqlite;
  const serverDbPath = () => join(dataDir, 'server.sqlite');

  /** The network goes: the server stops, its open connections (the desk's event stream) are cut. */
  async function stopServer(running: RunningServer): Promise<void> {
    const closing = running.app.close();
    running.app.server.closeAllConnections();
    await closing;
    running.database?.close();
  }

  /** A server on the same data (the stack's SQLite file), on `port` (0: any free port). */
  async function startServer(port: number): Promise<RunningServer & { url: string }> {
    const database = openDatabase(serverDbPath());
    const app = await buildServer({ database, portalDir: PORTAL_DIR });
    const url = await app.listen({ host: '127.0.0.1', port });
    return { app, database, url };
  }

  async function goOffline(): Promise<void> {
    await stopServer(server);
    expect((await syncNow()).connection).toBe('offline');
    await expect.poll(() => page.getByTestId('sync-status').textContent()).toMatch(/Hors ligne/);
  }

  async function comeBackOnline(): Promise<void> {
    const restarted = await startServer(serverPort);
    expect(restarted.url).toBe(stack.serverUrl);
    server = restarted;
    await expect
      .poll(
        async () => {
          const status = await syncNow();
          return [status.connection, status.pending];
        },
        { timeout: 60_000, interval: 1_000 },
      )
      .toEqual(['online', 0]);
    await expect.poll(() => page.getByTestId('sync-status').textContent()).toMatch(/En ligne/);
    await expect.poll(() => page.getByTestId('pending-count').textContent()).toMatch(/^\s*0 en attente/);
  }

  /** Writes to the server's database from another connection, with change rows so desks pull the rows. */
  function onServerDb<T>(write: (sqlite: OpenedDatabase['sqlite'], at: string) => T): T {
    const database = openDatabase(serverDbPath());
    try {
      const at = new Date().toISOString();
      return database.sqlite.transaction(() => write(database.sqlite, at)).immediate();
    } finally {
      database.close();
    }
  }

  async function choose(testId: string, option: string): Promise<void> {
    await page.getByTestId(testId).click();
    await page.locator('.v-overlay--active .v-list-item').filter({ hasText: option }).first().click();
  }

  const field = (testid: string) => page.getByTestId(testid).locator('input').first();

  async function openFamily(householdId: string, tab = 'Inscriptions et réservations'): Promise<void> {
    await page.goto(`${stack.deskUrl}/#/familles/${householdId}`);
    await page
      .getByTestId('family-header')
      .waitFor()
      .catch(async (error: unknown) => {
        await shot(page, 'failed-open-family');
        throw error;
      });
    await page.getByRole('tab', { name: tab }).click();
  }

  /** Scrolls the family file down to its tabs (what the screenshot is about), notices gone. */
  async function scrollToTabs(): Promise<void> {
    await page.mouse.move(0, 0);
    await page.locator('.v-snackbar__content').waitFor({ state: 'hidden', timeout: 10_000 });
    await page.getByRole('tablist').evaluate((tabs) => tabs.scrollIntoView({ block: 'start' }));
  }

  /** The grid shows the week of `day` (next / previous week buttons). */
  async function showWeekOf(day: string): Promise<void> {
    const cell = page.locator(`[data-testid^="grid-cell-${day}-"]`).first();
    for (let i = 0; i < 60 && !(await cell.isVisible()); i++) {
      const first = await page
        .locator('[data-testid^="grid-cell-"], [data-testid^="grid-closed-"]')
        .first()
        .getAttribute('data-testid');
      const shown = /(\d{4}-\d{2}-\d{2})/.exec(first ?? '')?.[1] ?? day;
      await page.getByTestId(shown < day ? 'grid-next' : 'grid-previous').click();
      await page.waitForTimeout(50);
    }
    await cell.waitFor();
  }

  /** Ticks the units of one day in the open grid, goes to the récapitulatif and validates. */
  async function bookOneDay(day: string, units: string[]): Promise<void> {
    await page.getByTestId('booking-grid').waitFor();
    await showWeekOf(day);
    for (const unit of units) await page.getByTestId(`grid-cell-${day}-${unit}`).locator('input').check();
    await expect.poll(() => page.getByTestId('booking-changes').textContent()).toMatch(/1 jour/);
    await page.getByTestId('booking-to-recap').click();
    await page.getByTestId('booking-recap').waitFor();
    await page.getByTestId('booking-validate').click();
    await page.getByTestId('booking-saved').waitFor();
    await showWeekOf(day); // the grid opens again on its first week
  }

  async function collect(fill: () => Promise<void>): Promise<string> {
    await page.getByTestId('cashier-collect').click();
    const dialog = page.getByTestId('collect-dialog');
    await dialog.waitFor();
    await fill();
    await page.getByTestId('pay-submit').click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('cashier-notice').waitFor();
    return plain(await page.getByTestId('cashier-notice').textContent());
  }

  /**
   * The town's monthly billing (a server job, not the desk's): an invoice for the family's confirmed bookings of
   * `activityId`, one line per child and unit, at the prices the town charges for them.
   */
  function billBookings(householdId: string, activityId: string): { number: string; totalCents: number } {
    return onServerDb((sqlite, at) => {
      const lines = sqlite
        .prepare(
          `SELECT b.person_id AS personId, p.first_names AS firstName, b.unit_id AS unitId, u.code, u.label,
                  a.name AS activity, COUNT(*) AS quantity, MIN(b.day) AS firstDay,
                  (SELECT MAX(l.unit_price_cents) FROM invoice_lines l
                    WHERE l.activity_id = b.activity_id AND l.price_code = u.code) AS price
             FROM bookings b JOIN units u ON u.id = b.unit_id JOIN persons p ON p.id = b.person_id
             JOIN activities a ON a.id = b.activity_id
            WHERE b.household_id = ? AND b.activity_id = ? AND b.state = 'reservee'
            GROUP BY b.person_id, b.unit_id ORDER BY p.first_names, u.position`,
        )
        .all(householdId, activityId) as {
        personId: string;
        firstName: string;
        unitId: string;
        code: string;
        label: string;
        activity: string;
        quantity: number;
        firstDay: string;
        price: number | null;
      }[];
      if (lines.length === 0) throw new Error('nothing to bill');
      const payer = sqlite
        .prepare(`SELECT person_id FROM household_members WHERE household_id = ? AND role = 'titulaire'`)
        .get(householdId) as { person_id: string };
      const month = lines[0]!.firstDay.slice(0, 7);
      const label = new Intl.DateTimeFormat('fr-FR', { month: 'long', year: 'numeric', timeZone: 'UTC' })
        .format(new Date(`${month}-01T12:00:00Z`))
        .replace(/^./, (c) => c.toUpperCase());
      sqlite.prepare(`UPDATE counters SET value = value + 1 WHERE name = 'invoice'`).run();
      const { value } = sqlite.prepare(`SELECT value FROM counters WHERE name = 'invoice'`).get() as {
        value: number;
      };
      const today = parisDay(new Date());
      const number = `${today.slice(2, 4)}${today.slice(5, 7)}${String(value).padStart(6, '0')}`;
      const invoiceId = newId();
      const priced = lines.map((l) => ({ ...l, price: l.price ?? 780 }));
      const totalCents = priced.reduce((sum, l) => sum + l.price * l.quantity, 0);
      sqlite
        .prepare(
          `INSERT INTO invoices (id, number, household_id, payer_person_id, label, month, issued_on, due_on,
                                 total_cents, paid_cents, status, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 'non_reglee', ?, ?)`,
        )
        .run(
          invoiceId,
          number,
          householdId,
          payer.person_id,
          label,
          month,
          today,
          addDays(today, 20),
          totalCents,
          at,
          at,
        );
      appendChange(sqlite, { table: 'invoices', key: invoiceId, at });
      for (const [index, l] of priced.entries()) {
        const lineId = newId();
        sqlite
          .prepare(
            `INSERT INTO invoice_lines (id, invoice_id, person_id, activity_id, unit_id, price_code, label,
                                        quantity, unit_price_cents, amount_cents, position, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            lineId,
            invoiceId,
            l.personId,
            activityId,
            l.unitId,
            l.code,
            `${l.activity} — ${l.label} (${l.firstName.split(' ')[0]})`,
            l.quantity,
            l.price,
            l.price * l.quantity,
            index + 1,
            at,
          );
        appendChange(sqlite, { table: 'invoice_lines', key: lineId, householdId, at });
      }
      return { number, totalCents };
    });
  }

  // ── Scenario 1 ──────────────────────────────────────────────────────────────────────────────────────────

  it('creates a family, registers and books two children, takes payments, works offline and syncs back', async () => {
    onTestFailed(() => shot(page, 'failed-1').then(() => undefined));
    const today = parisDay(new Date());
    const site = replica().prepare(`SELECT id, name FROM sites WHERE kind = 'elementaire'`).get() as {
      id: string;
      name: string;
    };
    // The next ALSH holidays still bookable in time (deadline: three weeks before), with a second week.
    const period = replica()
      .prepare(
        `SELECT p.id, p.label, p.start_day AS start, p.activity_id AS activityId FROM periods p
           JOIN activities a ON a.id = p.activity_id
          WHERE a.code = 'ALSH_PV' AND p.start_day > ?
            AND (SELECT COUNT(*) FROM opening_days o WHERE o.period_id = p.id AND o.site_id = ?) >= 6
          ORDER BY p.start_day LIMIT 1`,
      )
      .get(addDays(today, 24), site.id) as { id: string; label: string; start: string; activityId: string };
    const openDays = (
      replica()
        .prepare(`SELECT day FROM opening_days WHERE period_id = ? AND site_id = ? ORDER BY day`)
        .all(period.id, site.id) as { day: string }[]
    ).map((d) => d.day);
    const firstMonday = addDays(openDays[0]!, 1 - weekday(openDays[0]!));
    const offlineDay = openDays.find((d) => d >= addDays(firstMonday, 7))!;
    // Two children of élémentaire age for the period's school year.
    const schoolYear =
      Number(period.start.slice(5, 7)) >= 9
        ? Number(period.start.slice(0, 4))
        : Number(period.start.slice(0, 4)) - 1;
    const births = [`${schoolYear - 9}-03-14`, `${schoolYear - 7}-06-02`];

    // A parent of the demo town asks for something through the portal.
    const demande = await createDemande(stack.serverUrl, {
      type: 'qf',
      subject: 'Mise à jour du quotient familial',
      message: 'Bonjour, notre quotient familial a changé en octobre. Merci de le mettre à jour.',
    });

    await page.goto(`${stack.deskUrl}/`);
    await signIn(page);
    await shot(page, 'home');

    // ── The wizard: identité, adresse, moyens de contact, enfants, vérification.
    await page.getByTestId('nav-nouvelle').click();
    await page.getByTestId('family-wizard').waitFor();
    await choose('titulaire-civility', 'Madame');
    await field('titulaire-usageLastName').fill('FONTANEL');
    await field('titulaire-firstNames').fill('Claire');
    await field('titulaire-birthDate').fill('12/03/1984');
    await page.getByTestId('wizard-next').click();
    await field('household-numero').fill('14');
    await field('household-voie').fill('rue des Acacias');
    await field('household-postcode').fill('49170');
    await field('household-city').fill('Saint-Aubin-sur-Loire');
    await page.getByTestId('wizard-next').click();
    await field('titulaire-mobile').fill('06 45 12 78 33');
    await field('titulaire-email').fill('claire.fontanel@exemple.fr');
    await page.getByTestId('wizard-next').click();
    for (const [index, [firstName, birth]] of [
      ['Jules', births[0]!],
      ['Inès', births[1]!],
    ].entries()) {
      await page.getByTestId('wizard-add-child').click();
      await field(`child-${index}-firstNames`).fill(firstName!);
      await field(`child-${index}-birthDate`).fill(frDate(birth!));
      await field(`child-${index}-schoolName`).fill('École élémentaire Jean Jaurès');
    }
    await shot(page, 'wizard-children');
    await page.getByTestId('wizard-next').click();
    await page.getByTestId('wizard-no-duplicates').or(page.getByTestId('wizard-duplicates')).waitFor();
    if (await page.getByTestId('wizard-duplicates').isVisible())
      await page.getByTestId('wizard-confirm-duplicates').locator('input').check();
    await shot(page, 'wizard-check');
    await page.getByTestId('wizard-create').click();
    await page.waitForURL(/#\/familles\/[0-9a-f-]{36}/);
    const householdId = /familles\/([0-9a-f-]{36})/.exec(page.url())![1]!;
    await expect.poll(() => page.getByTestId('family-title').textContent()).toContain('FONTANEL Claire');
    await expect
      .poll(
        async () => {
          await syncNow();
          return page.getByTestId('family-code').textContent();
        },
        { timeout: 60_000, interval: 1_000 },
      )
      .toMatch(/Dossier F-\d{6}/);
    const family = await invoke('family/get', { id: householdId });
    const [jules, ines] = ['Jules', 'Inès'].map((name) =>
      family.children.find((c) => c.firstNames === name)!,
    );
    expect(jules && ines).toBeTruthy();

    // ── Inscriptions to the ALSH for the holidays (pieces missing: validated with a reason).
    for (const child of [jules!, ines!]) {
      const card = page.getByTestId(`planning-child-${child.id}`);
      await card.getByTestId('planning-inscribe').click();
      const dialog = page.getByTestId('inscription-dialog');
      await dialog.waitFor();
      await choose('inscription-activity', 'ALSH Petites vacances');
      await choose('inscription-site', site.name);
      await choose('inscription-period', period.label);
      await dialog.getByTestId('inscription-reason').locator('input').fill('Pièces apportées demain');
      if (child === jules) await shot(page, 'inscription');
      await dialog.getByTestId('inscription-submit').click();
      await dialog.waitFor({ state: 'detached' });
      await page.getByTestId('planning-notice').waitFor();
    }
    const planning = await invoke('planning/household', { householdId });
    const inscriptionOf = (childId: string) =>
      planning.children.find((c) => c.id === childId)!.inscriptions.find((i) => i.periodId === period.id)!;
    expect([inscriptionOf(jules!.id).status, inscriptionOf(ines!.id).status]).toEqual(['validee', 'validee']);

    // ── The holiday week for both: périodicité on the first week, applied to the sister, récapitulatif, Valider.
    await page.getByTestId(`planning-book-${inscriptionOf(jules!.id).id}`).click();
    await page.getByTestId('booking-grid').waitFor();
    await page.getByTestId('grid-periodicity').click();
    const periodicity = page.getByTestId('periodicity-dialog');
    await periodicity.waitFor();
    await expect.poll(() => periodicity.getByTestId('periodicity-count').textContent()).toMatch(/[1-5] jour/);
    await periodicity.getByTestId('periodicity-apply').click();
    await periodicity.waitFor({ state: 'detached' });
    await page.getByTestId(`grid-sibling-${ines!.id}`).locator('input').check();
    await expect
      .poll(() => page.getByTestId('booking-changes').textContent())
      .toMatch(/jours? modifiés? \+ 1 autre enfant/);
    await page.mouse.move(0, 0);
    await shot(page, 'booking-grid');
    await page.getByTestId('booking-to-recap').click();
    await page.getByTestId('booking-recap').waitFor();
    expect(await page.getByTestId(`recap-${jules!.id}`).textContent()).toContain('Jules');
    expect(await page.getByTestId(`recap-${ines!.id}`).textContent()).toContain('Inès');
    await shot(page, 'booking-recap');
    await page.getByTestId('booking-validate').click();
    await page.getByTestId('booking-saved').waitFor();
    const weekDays = openDays.filter((d) => d < addDays(firstMonday, 7));
    for (const child of [jules!, ines!]) {
      await expect
        .poll(
          async () => {
            await syncNow();
            const grid = await invoke('booking/grid', {
              personId: child.id,
              activityId: period.activityId,
              siteId: site.id,
              from: weekDays[0]!,
              to: weekDays.at(-1)!,
            });
            return grid.days.map((d) =>
              d.cells.some((c) => c.booking?.state === 'reservee' && !c.booking.pending),
            );
          },
          { timeout: 60_000, interval: 1_000 },
        )
        .toEqual(weekDays.map(() => true));
    }
    await expect.poll(() => page.locator('td.gf-pending').count(), { timeout: 20_000 }).toBe(0);
    await page.mouse.move(0, 0);
    await shot(page, 'booking-confirmed');

    // ── A scanned PDF attached to the family.
    await openFamily(householdId, 'Documents');
    await page.getByTestId('family-documents').waitFor();
    await page.getByTestId('add-piece').click();
    const attach = page.getByTestId('attach-dialog');
    await attach.waitFor();
    await attach.getByTestId('file-input').setInputFiles({
      name: 'SCAN_attestation_caf.pdf',
      mimeType: 'application/pdf',
      buffer: samplePdf('Attestation CAF - FONTANEL'),
    });
    await attach.getByTestId('file-preview').locator('iframe').waitFor();
    await attach.getByTestId('piece-qualification').click();
    await page.getByRole('option', { name: 'Attestation CAF / quotient familial' }).click();
    await attach.getByTestId('piece-title').locator('input').fill('Attestation CAF 2026');
    await page.waitForTimeout(800); // the PDF viewer paints the page inside the preview frame
    await shot(page, 'scan');
    await attach.getByTestId('piece-save').click();
    await attach.waitFor({ state: 'detached' });
    const doc = page.getByTestId('document-row').filter({ hasText: 'Attestation CAF 2026' });
    await doc.waitFor();
    await expect
      .poll(
        async () => {
          await syncNow();
          return doc.getByTestId('document-pending').count();
        },
        { timeout: 60_000, interval: 1_000 },
      )
      .toBe(0);

    // ── The holiday week billed (the town's billing run), then paid in part: cash, then a cheque.
    const invoice = billBookings(householdId, period.activityId);
    await expect
      .poll(
        async () => {
          await syncNow();
          return (await invoke('cashier/account', { householdId })).owedCents;
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toBe(invoice.totalCents);
    expect(invoice.totalCents).toBeGreaterThan(13_000);
    await openFamily(householdId, 'Factures et paiements');
    await page.getByTestId('invoice-row').filter({ hasText: invoice.number }).waitFor();
    const cashNotice = await collect(async () => {
      await page.getByTestId('pay-amount').locator('input').fill('50,00');
      await page.getByTestId('pay-partial').waitFor();
    });
    expect(cashNotice).toMatch(/Paiement de 50,00 € enregistré — reçu n° HV1-\d{6}/);
    await collect(async () => {
      await page.getByTestId('mode-cheque').click();
      await page.getByTestId('pay-amount').locator('input').fill('80,00');
      await page.getByTestId('pay-bank').locator('input').fill('Crédit Agricole Anjou');
      await page.getByTestId('pay-cheque-number').locator('input').fill('0004512');
      await page.getByTestId('pay-partial').waitFor();
    });
    await expect.poll(() => page.getByTestId('payment-row').count()).toBe(2);
    await expect
      .poll(
        async () => {
          await syncNow();
          return (await invoke('cashier/account', { householdId })).pendingCount;
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toBe(0);
    const account = await invoke('cashier/account', { householdId });
    expect(account.owedCents).toBe(invoice.totalCents - 13_000);
    const cash = account.payments.find((p) => p.mode === 'especes')!;
    expect(cash).toMatchObject({ amountCents: 5_000, sync: 'confirmed' });
    await scrollToTabs();
    await shot(page, 'payments');

    // ── The receipt of the cash payment: previewed, downloaded, its text checked.
    await page
      .getByTestId('payment-row')
      .filter({ hasText: cash.receiptNumber! })
      .getByTestId('payment-receipt')
      .click();
    await page.getByTestId('pdf-frame').waitFor();
    expect(plain(await page.getByTestId('pdf-preview-title').textContent())).toContain(
      `Reçu n° ${cash.receiptNumber}`,
    );
    await page.waitForTimeout(1500); // the PDF viewer paints the page inside the frame
    await shot(page, 'receipt');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('pdf-download').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^recu-HV1-\d{6}\.pdf$/);
    const receiptPath = join(SHOTS, 'desk-acceptance-receipt-pdf.pdf');
    await download.saveAs(receiptPath);
    execFileSync('pdftoppm', ['-png', '-r', '70', receiptPath, join(SHOTS, 'desk-acceptance-receipt-pdf')]);
    const receipt = plain(execFileSync('pdftotext', ['-layout', receiptPath, '-'], { encoding: 'utf8' }));
    expect(receipt).toContain(cash.receiptNumber!);
    expect(receipt).toContain('50,00 €');
    expect(receipt.toUpperCase()).toContain('FONTANEL');
    await page.keyboard.press('Escape');
    await page.getByTestId('pdf-preview').waitFor({ state: 'detached' });

    // ── The parent's demande, from the queue: accepted with a message.
    await expect
      .poll(
        async () => {
          await syncNow();
          return (await invoke('demandes/list', { state: 'open' })).items.some(
            (d) => d.id === demande.demandeId,
          );
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toBe(true);
    await page.getByTestId('nav-demandes').click();
    await page.getByTestId('demandes-queue').waitFor();
    await page
      .getByTestId('demande-row')
      .filter({ hasText: `N° ${demande.number}` })
      .click();
    const detail = page.getByTestId('demande-detail');
    await expect
      .poll(() => detail.getByTestId('demande-subject').textContent())
      .toBe('Mise à jour du quotient familial');
    await detail.getByTestId('decide-accept').click();
    await expect
      .poll(() => detail.getByTestId('decide-message').locator('textarea').first().inputValue())
      .not.toBe('');
    await shot(page, 'demande');
    await detail.getByTestId('decide-submit').click();
    await expect
      .poll(() => page.getByTestId('demandes-notice').textContent())
      .toContain(`Demande N° ${demande.number} acceptée`);
    const parentCookie = await signInParent(stack.serverUrl);
    await expect
      .poll(
        async () => {
          await syncNow();
          const response = await fetch(new URL('/api/v1/demandes', stack.serverUrl), {
            headers: { cookie: parentCookie },
          });
          const list = (await response.json()) as { id: string; status: string }[];
          return list.find((d) => d.id === demande.demandeId)?.status;
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toBe('traitee_positivement');

    // ── Offline: the server stops; a day booked and a payment taken wait for the server.
    await goOffline();
    await openFamily(householdId);
    await page.getByTestId(`planning-book-${inscriptionOf(jules!.id).id}`).click();
    await bookOneDay(offlineDay, ['MATIN', 'REPAS_AV', 'APRES_MIDI']);
    expect(await page.getByTestId('booking-saved').textContent()).toMatch(/attente/i);
    await expect
      .poll(() => page.getByTestId(`grid-cell-${offlineDay}-MATIN`).textContent())
      .toContain('En attente d’instruction');
    await page.mouse.move(0, 0);
    await shot(page, 'offline-booking');
    await openFamily(householdId, 'Factures et paiements');
    await page.getByTestId('invoice-row').first().waitFor();
    const offlineNotice = await collect(async () => {
      await page.getByTestId('pay-amount').locator('input').fill('20,00');
    });
    expect(offlineNotice).toContain('En attente de synchronisation.');
    await page.getByTestId('payment-pending').first().waitFor();
    await expect
      .poll(async () =>
        Number(/(\d+) en attente/.exec((await page.getByTestId('pending-count').textContent()) ?? '')?.[1]),
      )
      .toBeGreaterThanOrEqual(2);
    await scrollToTabs();
    await shot(page, 'offline-payment');

    // ── The server restarts on the same port with the same data: everything is decided and confirmed.
    await comeBackOnline();
    await expect.poll(() => page.getByTestId('payment-pending').count(), { timeout: 20_000 }).toBe(0);
    const after = await invoke('cashier/account', { householdId });
    expect(after.payments.filter((p) => p.sync === 'confirmed').map((p) => p.amountCents)).toEqual(
      expect.arrayContaining([2_000, 8_000, 5_000]),
    );
    expect(after.owedCents).toBe(invoice.totalCents - 15_000);
    const grid = await invoke('booking/grid', {
      personId: jules!.id,
      activityId: period.activityId,
      siteId: site.id,
      from: offlineDay,
      to: offlineDay,
    });
    expect(
      grid.days[0]!.cells.filter((c) => c.booking).map((c) => [c.unit, c.booking!.state, c.booking!.pending]),
    ).toEqual(
      expect.arrayContaining([
        ['MATIN', 'reservee', false],
        ['APRES_MIDI', 'reservee', false],
      ]),
    );
    await scrollToTabs();
    await shot(page, 'online-payments');
    await openFamily(householdId);
    await page.getByTestId(`planning-book-${inscriptionOf(jules!.id).id}`).click();
    await page.getByTestId('booking-grid').waitFor();
    await showWeekOf(offlineDay);
    await expect
      .poll(() => page.getByTestId(`grid-cell-${offlineDay}-MATIN`).getAttribute('class'))
      .toMatch(/gf-booked/);
    expect(await page.getByTestId(`grid-cell-${offlineDay}-MATIN`).locator('input').isChecked()).toBe(true);
    await page.mouse.move(0, 0);
    await shot(page, 'online-booking');
    expect(pageErrors).toEqual([]);
  });

  // ── Scenario 2 ──────────────────────────────────────────────────────────────────────────────────────────

  it('refuses a day booked offline when parents took the last place, and lists it in À traiter', async () => {
    onTestFailed(() => shot(page, 'failed-2').then(() => undefined));
    const today = parisDay(new Date());
    const canteen = replica()
      .prepare(
        `SELECT a.id AS activityId, s.id AS siteId, u.id AS unitId FROM activities a
           JOIN units u ON u.activity_id = a.id AND u.code = 'REPAS'
           JOIN activity_sites x ON x.activity_id = a.id JOIN sites s ON s.id = x.site_id
          WHERE a.code = 'RESTAURATION'`,
      )
      .get() as { activityId: string; siteId: string; unitId: string };
    const parentCookie = await signInParent(stack.serverUrl);
    const me = (await (
      await fetch(new URL('/api/v1/me', stack.serverUrl), { headers: { cookie: parentCookie } })
    ).json()) as { householdId: string };
    /** Children registered to the canteen on `day`, not booked that day. */
    const freeChildren = (day: string) =>
      replica()
        .prepare(
          `SELECT i.id AS inscriptionId, i.person_id AS personId, i.household_id AS householdId,
                  i.age_group AS ageGroup, p.first_names AS firstName
             FROM inscriptions i JOIN periods pe ON pe.id = i.period_id JOIN persons p ON p.id = i.person_id
            WHERE i.activity_id = ? AND i.site_id = ? AND i.status = 'validee'
              AND pe.start_day <= ? AND pe.end_day >= ?
              AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.person_id = i.person_id AND b.day = ?
                                AND b.activity_id = i.activity_id AND b.state IN ('reservee', 'en_attente'))
            ORDER BY i.household_id, p.first_names`,
        )
        .all(canteen.activityId, canteen.siteId, day, day, day) as {
        inscriptionId: string;
        personId: string;
        householdId: string;
        ageGroup: string;
        firstName: string;
      }[];
    // A school day a week ahead or more (well before the 48 h deadline) when a child of the parent's family
    // and a child of another family of the same age group are both registered and not booked.
    const days = (
      replica()
        .prepare(
          `SELECT o.day FROM opening_days o JOIN periods p ON p.id = o.period_id
            WHERE p.activity_id = ? AND o.site_id = ? AND o.day >= ? ORDER BY o.day LIMIT 30`,
        )
        .all(canteen.activityId, canteen.siteId, addDays(today, 7)) as { day: string }[]
    ).map((d) => d.day);
    const pick = days
      .map((day) => {
        const free = freeChildren(day);
        const parentChild = free.find((c) => c.householdId === me.householdId);
        const deskChild = free.find(
          (c) => c.householdId !== me.householdId && c.ageGroup === parentChild?.ageGroup,
        );
        return parentChild && deskChild ? { day, parentChild, deskChild } : null;
      })
      .find((p) => p !== null);
    if (!pick) throw new Error('no canteen day to fill in the demo town');
    const { day, parentChild, deskChild } = pick;
    const titulaire = replica()
      .prepare(
        `SELECT h.code, p.usage_last_name AS lastName FROM households h
           JOIN household_members m ON m.household_id = h.id AND m.role = 'titulaire'
           JOIN persons p ON p.id = m.person_id WHERE h.id = ?`,
      )
      .get(deskChild.householdId) as { code: string; lastName: string };

    // The desk is cut from the server; the agent books the canteen for a child on that day.
    await goOffline();
    await openFamily(deskChild.householdId);
    await page.getByTestId(`planning-book-${deskChild.inscriptionId}`).click();
    await bookOneDay(day, ['REPAS']);
    await expect
      .poll(() => page.getByTestId(`grid-cell-${day}-REPAS`).textContent())
      .toContain('En attente d’instruction');
    await page.mouse.move(0, 0);
    await shot(page, 'refused-offline-booking');

    // Meanwhile parents still reach the server: the canteen has one place left that day and a parent takes it.
    const key = onServerDb((sqlite, at) => {
      const row = sqlite
        .prepare(
          `SELECT id, places, taken FROM capacities
            WHERE site_id = ? AND activity_id = ? AND unit_id = ? AND day = ? AND age_group = ?`,
        )
        .get(canteen.siteId, canteen.activityId, canteen.unitId, day, parentChild.ageGroup) as
        { id: string; places: number; taken: number } | undefined;
      if (!row) throw new Error(`no canteen capacity on ${day}`);
      sqlite.prepare('UPDATE capacities SET places = taken + 1, updated_at = ? WHERE id = ?').run(at, row.id);
      appendChange(sqlite, { table: 'capacities', key: row.id, householdId: null, at });
      return row.id;
    });
    const forParents = await startServer(0);
    try {
      const cookie = await signInParent(forParents.url);
      const response = await fetch(new URL('/api/v1/bookings', forParents.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify({
          personId: parentChild.personId,
          activityId: canteen.activityId,
          siteId: canteen.siteId,
          day,
          units: ['REPAS'],
        }),
      });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { outcome: string }).outcome).toBe('accepted');
      const full = forParents
        .database!.sqlite.prepare('SELECT places, taken FROM capacities WHERE id = ?')
        .get(key) as { places: number; taken: number };
      expect(full.taken).toBe(full.places);
    } finally {
      await stopServer(forParents);
    }

    // The desk reconnects: the server refuses the day (no waiting list at the canteen) → À traiter.
    await comeBackOnline();
    await expect.poll(() => page.getByTestId('to-handle-count').textContent()).toMatch(/1 à traiter/);
    await expect
      .poll(() => page.getByTestId(`grid-cell-${day}-REPAS`).textContent())
      .not.toContain('En attente d’instruction');
    expect(await page.getByTestId(`grid-cell-${day}-REPAS`).locator('input').isChecked()).toBe(false);
    await page.getByTestId('to-handle-count').click();
    await page.waitForURL(/#\/a-traiter/);
    const row = page.getByTestId('to-handle-row').filter({ hasText: titulaire.code });
    await row.waitFor();
    const text = plain(await row.textContent());
    expect(text).toContain('Refusée');
    expect(text).toMatch(/Plus de place disponible/);
    expect(text).toContain(deskChild.firstName.split(' ')[0]!);
    expect(text.toUpperCase()).toContain(titulaire.lastName.toUpperCase());
    await page.mouse.move(0, 0);
    await shot(page, 'a-traiter');

    // The family called, the agent marks it handled.
    await row.getByTestId('to-handle-ack').click();
    await row.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('to-handle-count').count()).toBe(0);
  });

  // ── Scenario 3 ──────────────────────────────────────────────────────────────────────────────────────────

  it('goes from the search to a booked day with the keyboard only', async () => {
    onTestFailed(() => shot(page, 'failed-3').then(() => undefined));
    const today = parisDay(new Date());
    // A family whose child eats at the canteen, found by the titulaire's last name.
    const target = replica()
      .prepare(
        `SELECT h.id AS householdId, h.code, t.usage_last_name AS lastName, i.id AS inscriptionId,
                i.person_id AS personId, i.activity_id AS activityId, i.site_id AS siteId
           FROM inscriptions i JOIN activities a ON a.id = i.activity_id AND a.code = 'RESTAURATION'
           JOIN periods pe ON pe.id = i.period_id JOIN households h ON h.id = i.household_id
           JOIN household_members m ON m.household_id = h.id AND m.role = 'titulaire'
           JOIN persons t ON t.id = m.person_id
          WHERE i.status = 'validee' AND pe.end_day > ? AND t.usage_last_name NOT LIKE '%''%'
          ORDER BY h.code DESC LIMIT 1`,
      )
      .get(addDays(today, 14)) as {
      householdId: string;
      code: string;
      lastName: string;
      inscriptionId: string;
      personId: string;
      activityId: string;
      siteId: string;
    };

    /** The focused element (Playwright's :focus), what the keyboard acts on. */
    const focus = page.locator(':focus');
    const focusedTestId = async () =>
      (await focus.count()) > 0 ? await focus.getAttribute('data-testid') : null;
    /** Presses Tab until `done` says the focused element is the one wanted; returns how many presses. */
    async function tabTo(done: () => Promise<boolean>, max = 120, giveUpAt?: string): Promise<number> {
      const trail: string[] = [];
      for (let presses = 1; presses <= max; presses++) {
        await page.keyboard.press('Tab');
        if (await done()) return presses;
        const testid = await focusedTestId();
        if (giveUpAt && testid === giveUpAt) return 0;
        trail.push(
          testid ?? ((await focus.count()) > 0 ? plain(await focus.textContent()).slice(0, 24) : '∅'),
        );
      }
      throw new Error(`not reached in ${max} presses of Tab: ${trail.join(' → ')}`);
    }

    await page.goto(`${stack.deskUrl}/#/`);
    await page.getByTestId('home-date').waitFor();
    await page.locator('body').click({ position: { x: 700, y: 700 } });

    // F2: the search, from anywhere; type the name; ↓ into the results; Entrée opens the family.
    await page.keyboard.press('F2');
    await expect.poll(() => page.locator('[data-testid="family-search"] :focus').count()).toBe(1);
    await page.keyboard.type(target.lastName.toLowerCase(), { delay: 20 });
    const rows = page.getByTestId('family-row');
    await rows.filter({ hasText: target.code }).waitFor();
    const codes = (await rows.allTextContents()).map((t) => (t.includes(target.code) ? target.code : ''));
    const index = codes.indexOf(target.code);
    for (let i = 0; i <= index; i++) await page.keyboard.press('ArrowDown');
    expect(await focus.textContent()).toContain(target.code);
    await shot(page, 'keyboard-search');
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`#/familles/${target.householdId}$`));
    await page.getByTestId('planning-tab').waitFor();

    // Tab to the canteen's « Réserver », Entrée.
    const toBook = await tabTo(
      async () => (await focusedTestId()) === `planning-book-${target.inscriptionId}`,
    );
    await shot(page, 'keyboard-family');
    await page.keyboard.press('Enter');
    await page.waitForURL(/#\/familles\/[0-9a-f-]+\/reservations\//);
    await page.getByTestId('booking-grid').waitFor();

    // Tab to the first day still free and in time, Espace ticks it.
    const freeDay = page.locator(
      'td[data-testid^="grid-cell-"]:not(.gf-late) input[type="checkbox"]:focus:not(:checked):not(:disabled)',
    );
    let found = 0;
    let toDay = 0;
    for (let week = 0; week < 4 && found === 0; week++) {
      // No free day this week (past the deadline or booked already): « Semaine suivante » with Entrée.
      if (week > 0) {
        toDay += await tabTo(async () => (await focusedTestId()) === 'grid-next');
        await page.keyboard.press('Enter');
      }
      found = await tabTo(async () => (await freeDay.count()) === 1, 120, 'booking-cancel');
      toDay += found === 0 ? 0 : found;
    }
    expect(found).toBeGreaterThan(0);
    const cellId = (await page
      .locator('td[data-testid^="grid-cell-"]:has(input:focus)')
      .getAttribute('data-testid'))!;
    const day = /grid-cell-(\d{4}-\d{2}-\d{2})-/.exec(cellId)![1]!;
    await page.keyboard.press('Space');
    await expect.poll(() => page.getByTestId(cellId).locator('input').isChecked()).toBe(true);
    await expect.poll(() => page.getByTestId('booking-changes').textContent()).toMatch(/^1 jour/);
    await shot(page, 'keyboard-grid');

    // Tab to « Aller à l'étape 2 », Entrée; Tab to « Valider », Entrée.
    await tabTo(async () => (await focusedTestId()) === 'booking-to-recap');
    await page.keyboard.press('Enter');
    await page.getByTestId('booking-recap').waitFor();
    await tabTo(async () => (await focusedTestId()) === 'booking-validate');
    await page.keyboard.press('Enter');
    await page.getByTestId('booking-saved').waitFor();
    await expect
      .poll(
        async () => {
          await syncNow();
          const grid = await invoke('booking/grid', {
            personId: target.personId,
            activityId: target.activityId,
            siteId: target.siteId,
            from: day,
            to: day,
          });
          return grid.days[0]!.cells.map((c) => [c.booking?.state ?? null, c.booking?.pending ?? null]);
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toEqual([['reservee', false]]);
    await page.mouse.move(0, 0);
    await shot(page, 'keyboard-booked');
    console.log(`keyboard path: ${toBook} × Tab to « Réserver », ${toDay} × Tab (and Entrée) to a free day`);
    expect(pageErrors).toEqual([]);
  });
});
