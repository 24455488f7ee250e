// Booking on behalf of parents, in Chromium against the real desk backend and server: an agent opens a family of
// the demo town, registers two siblings to the next holiday period of the ALSH (pieces missing: validated with a
// reason), books the first week of the holidays for both with a périodicité (Monday to Friday, full days), checks
// the récapitulatif, validates, and sees the days waiting then confirmed. Screenshots at 1366×768.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { addDays, parisDay } from '../../core/calendar/paris';
import type { DemoStack } from '../../scripts/demo-stack';
import { screenshot } from './browser';
import { closeDeskStack, openDeskStack, deskInvoker } from './desk-stack';
import { signIn } from './desk-sign-in';

interface Target {
  householdId: string;
  children: { id: string; firstName: string }[];
  period: { id: string; label: string; start: string };
}

describe('booking a holiday week for two siblings at the desk', () => {
  let dataDir: string;
  let stack: DemoStack;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => ({ dataDir, stack, browser, page } = await openDeskStack('booking')));

  afterAll(() => closeDeskStack({ dataDir, stack, browser }));

  const invoke = deskInvoker(() => stack);

  /**
   * A family with two children of the same school level (same ALSH site), neither registered yet to the next
   * holiday period of the ALSH petites vacances that is still more than three weeks away (its deadline).
   */
  function target(): Target {
    const sqlite = stack.desk!.session().store.sqlite;
    const period = sqlite
      .prepare(
        `SELECT p.id, p.label, p.start_day AS start FROM periods p JOIN activities a ON a.id = p.activity_id
          WHERE a.code = 'ALSH_PV' AND p.start_day > ? ORDER BY p.start_day LIMIT 1`,
      )
      .get(addDays(parisDay(new Date()), 24)) as Target['period'];
    const rows = sqlite
      .prepare(
        `SELECT m.household_id AS householdId, p.id, p.first_names AS firstName, p.school_level AS level
           FROM household_members m JOIN persons p ON p.id = m.person_id
          WHERE m.role = 'enfant' AND p.school_level IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM inscriptions i WHERE i.person_id = p.id AND i.period_id = ?)
          ORDER BY m.household_id, m.position`,
      )
      .all(period.id) as { householdId: string; id: string; firstName: string; level: string }[];
    for (const row of rows) {
      const sibling = rows.find(
        (r) => r.householdId === row.householdId && r.level === row.level && r.id !== row.id,
      );
      if (sibling) {
        return {
          householdId: row.householdId,
          children: [
            { id: row.id, firstName: row.firstName },
            { id: sibling.id, firstName: sibling.firstName },
          ],
          period,
        };
      }
    }
    throw new Error('No two siblings to register in the demo town');
  }

  async function choose(testId: string, option: string): Promise<void> {
    await page.getByTestId(testId).click();
    await page.locator('.v-overlay--active .v-list-item').filter({ hasText: option }).first().click();
  }

  async function register(childId: string, period: Target['period'], shot?: string): Promise<void> {
    const card = page.getByTestId(`planning-child-${childId}`);
    await card.getByTestId('planning-inscribe').click();
    const dialog = page.getByTestId('inscription-dialog');
    await dialog.waitFor();
    await choose('inscription-activity', 'ALSH Petites vacances');
    await choose('inscription-period', period.label);
    await dialog.getByTestId('inscription-reason').locator('input').fill('Pièces apportées à la rentrée');
    if (shot) await screenshot(page, shot);
    await dialog.getByTestId('inscription-submit').click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('planning-notice').waitFor();
  }

  it('registers the siblings, books their holiday week with a périodicité, and shows the states', async () => {
    const { householdId, children, period } = target();
    const [first, second] = children as [Target['children'][0], Target['children'][0]];
    await page.goto(`${stack.deskUrl}/`);
    await signIn(page);
    await page.goto(`${stack.deskUrl}/#/familles/${householdId}`);
    await page.getByTestId('planning-tab').waitFor();
    await page.getByTestId(`planning-child-${first.id}`).waitFor();

    await register(first.id, period, 'desk-booking-inscription');
    await register(second.id, period);
    await expect
      .poll(async () => (await page.getByTestId('planning-inscription-status').allTextContents()).join('|'))
      .toMatch(/Validée/);

    const household = await invoke('planning/household', { householdId });
    const inscriptionOf = (childId: string) =>
      household.children.find((c) => c.id === childId)!.inscriptions.find((i) => i.periodId === period.id)!;
    const inscription = inscriptionOf(first.id);
    expect(inscription.status).toBe('validee');
    await page.getByTestId(`planning-book-${inscription.id}`).click();

    await page.getByTestId('booking-grid').waitFor();
    await page.getByTestId('grid-periodicity').click();
    const dialog = page.getByTestId('periodicity-dialog');
    await dialog.waitFor();
    await expect.poll(() => dialog.getByTestId('periodicity-count').textContent()).toMatch(/[1-5] jour/);
    await dialog.getByTestId('periodicity-apply').click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId(`grid-sibling-${second.id}`).locator('input').check();
    await expect
      .poll(() => page.getByTestId('booking-changes').textContent())
      .toMatch(/jours? modifiés? \+ 1 autre enfant/);
    const monday = (await page
      .locator('[data-testid^="grid-cell-"][data-testid$="-MATIN"]')
      .first()
      .getAttribute('data-testid'))!.slice('grid-cell-'.length, 'grid-cell-'.length + 10);
    await page.mouse.move(0, 0);
    await screenshot(page, 'desk-booking-grid');

    await page.getByTestId('booking-to-recap').click();
    await page.getByTestId('booking-recap').waitFor();
    await expect.poll(() => page.getByTestId('recap-row').count()).toBeGreaterThanOrEqual(2);
    expect(await page.getByTestId(`recap-${first.id}`).textContent()).toContain(first.firstName);
    expect(await page.getByTestId(`recap-${second.id}`).textContent()).toContain(second.firstName);
    expect(await page.getByTestId('recap-estimate').textContent()).toMatch(/\+\d/);
    await screenshot(page, 'desk-booking-recap');

    await page.getByTestId('booking-validate').click();
    await page.getByTestId('booking-saved').waitFor();
    expect(await page.getByTestId('booking-saved').textContent()).toMatch(/jours? enregistrés?/);

    // The server decides: the days become confirmed bookings for both children.
    for (const child of children) {
      const childInscription = inscriptionOf(child.id);
      await expect
        .poll(
          async () => {
            const grid = await invoke('booking/grid', {
              personId: child.id,
              activityId: childInscription.activityId,
              siteId: childInscription.siteId,
              from: monday,
              to: addDays(monday, 4),
            });
            return grid.days
              .filter((d) => d.open)
              .map(
                (d) => d.cells.filter((c) => c.booking?.state === 'reservee' && !c.booking.pending).length,
              );
          },
          { timeout: 20_000 },
        )
        .toEqual(expect.arrayContaining([3]));
    }
    await expect
      .poll(
        () =>
          page.locator('[data-testid^="grid-cell-"]').filter({ hasText: 'En attente d’instruction' }).count(),
        {
          timeout: 20_000,
        },
      )
      .toBe(0);
    const ticked = await page.locator(`[data-testid="grid-cell-${monday}-MATIN"] input`).isChecked();
    expect(ticked).toBe(true);
    await screenshot(page, 'desk-booking-states');

    // Signaler une absence on the first day booked, still in time: the day is cancelled, nothing charged.
    await page.getByTestId('booking-back').click();
    const card = page.getByTestId(`planning-child-${first.id}`);
    await card.waitFor();
    await card.getByTestId('planning-absence').click();
    const absence = page.getByTestId('absence-dialog');
    await absence.waitFor();
    await absence.getByTestId('absence-shortcut-le').click();
    const dayField = absence.getByTestId('absence-day').locator('input');
    await dayField.fill(`${monday.slice(8, 10)}/${monday.slice(5, 7)}/${monday.slice(0, 4)}`);
    await dayField.press('Enter');
    await expect.poll(() => absence.getByTestId('absence-preview').textContent()).toMatch(/Annulées/);
    await screenshot(page, 'desk-booking-absence');
    await absence.getByTestId('absence-submit').click();
    await absence.waitFor({ state: 'detached' });
    expect(await page.getByTestId('planning-notice').textContent()).toMatch(/1 jour annulé, 0 jour maintenu/);
    await card.getByTestId('planning-absence-row').first().waitFor();
    await page.mouse.move(0, 0);
    await page.getByTestId('planning-notice').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'desk-booking-family');
  });
});
