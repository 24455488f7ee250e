// The desk's acceptance scenario 1 (issue 4), in Chromium against the real desk backend, a real server and real
// SQLite files, at 1366×768: an agent creates a family with the wizard, registers its two children to the ALSH
// for the next holidays, books a holiday week for both (périodicité + frère/sœur), attaches a scanned PDF, takes a
// partial cash payment and a cheque, prints the receipt (PDF text checked), processes a parent's demande; then
// the server stops: a day is booked and a payment taken offline (pending), the server restarts on the same port
// and data, and both are confirmed. Screenshots in test-results/screenshots/desk-acceptance-*.png.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { addDays, parisDay, weekday } from '../../core/calendar/paris';
import { createDemande, samplePdf, signInParent } from '../support/create-demande';
import { SHOTS, plain } from './desk-stack';
import { signIn } from './desk-sign-in';
import { AcceptanceDesk, frDate, shot } from './desk-acceptance-stage';

const desk = new AcceptanceDesk();

beforeAll(() => desk.open('acceptance-day'));
afterAll(() => desk.close());

describe('desk acceptance scenarios', () => {
  it('creates a family, registers and books two children, takes payments, works offline and syncs back', async () => {
    const { page, stack, pageErrors, invoke, syncNow, replica, goOffline, comeBackOnline } = desk;
    const { choose, field, openFamily, scrollToTabs, showWeekOf, bookOneDay, collect, billBookings } = desk;
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
});
