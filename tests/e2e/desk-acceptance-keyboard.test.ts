// The desk's acceptance scenario 3 (issue 4): the keyboard-only path, F2 → name → ↓ / Entrée → the family → Tab
// to « Réserver » → tick a day with Espace, then Valider; the day ends up booked on the server. In Chromium
// against the real desk backend and server, at 1366×768.
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { addDays, parisDay } from '../../core/calendar/paris';
import { plain } from './desk-stack';
import { signIn } from './desk-sign-in';
import { AcceptanceDesk, shot } from './desk-acceptance-stage';

const desk = new AcceptanceDesk();

beforeAll(() => desk.open('acceptance-keys'));
afterAll(() => desk.close());

describe('desk acceptance scenarios', () => {
  it('goes from the search to a booked day with the keyboard only', async () => {
    const { page, stack, pageErrors, invoke, syncNow, replica } = desk;
    await page.goto(`${stack.deskUrl}/`);
    await signIn(page);
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
