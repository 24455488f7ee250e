// The desk's acceptance scenario 2 (issue 4): a day booked offline while parents take the last place on the
// server is refused when the desk comes back, and shows in À traiter with the family to call; the agent marks it
// handled. In Chromium against the real desk backend and server, at 1366×768.
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { addDays, parisDay } from '../../core/calendar/paris';
import { appendChange } from '../../server/sync/change-log';
import { signInParent } from '../support/create-demande';
import { plain } from './desk-stack';
import { signIn } from './desk-sign-in';
import { AcceptanceDesk, shot } from './desk-acceptance-stage';

const desk = new AcceptanceDesk();

beforeAll(() => desk.open('acceptance-place'));
afterAll(() => desk.close());

describe('desk acceptance scenarios', () => {
  it('refuses a day booked offline when parents took the last place, and lists it in À traiter', async () => {
    const {
      page,
      stack,
      replica,
      stopServer,
      startServer,
      goOffline,
      comeBackOnline,
      onServerDb,
      openFamily,
      bookOneDay,
    } = desk;
    await page.goto(`${stack.deskUrl}/`);
    await signIn(page);
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
});
