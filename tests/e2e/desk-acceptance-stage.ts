// The desk acceptance scenarios' stage and steps (tests/e2e/desk-acceptance-*.test.ts): the demo stack with a
// server that can stop and restart on the same port and data (the network going and coming back), writes to the
// server's database as the town's jobs would make them, and the steps an agent takes at the desk. Steps are bound
// properties, so a scenario can destructure the ones it uses.
import { join } from 'node:path';
import { expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { addDays, parisDay } from '../../core/calendar/paris';
import { newId } from '../../core/ids';
import { openDatabase } from '../../db/open';
import type { OpenedDatabase } from '../../db/open';
import { PORTAL_DIR } from '../../scripts/demo-stack';
import type { DemoStack } from '../../scripts/demo-stack';
import { buildServer } from '../../server/app';
import { appendChange } from '../../server/sync/change-log';
import { screenshot } from './browser';
import { closeDeskStack, deskInvoker, openDeskStack, plain } from './desk-stack';

export const shot = (page: Page, name: string) => screenshot(page, `desk-acceptance-${name}`);

/** "2027-02-22" → "22/02/2027", as typed in the desk's date fields. */
export const frDate = (day: string) => day.split('-').reverse().join('/');

export interface RunningServer {
  app: FastifyInstance;
  database: OpenedDatabase | null;
}

export class AcceptanceDesk {
  dataDir!: string;
  stack!: DemoStack;
  browser!: Browser;
  page!: Page;
  serverPort!: number;
  /** The server the desk talks to now (the stack's at first, a restarted one later). */
  server!: RunningServer;
  /** Errors thrown in the page (a scenario ends by checking there were none). */
  readonly pageErrors: string[] = [];

  readonly open = async (name: string): Promise<void> => {
    ({
      dataDir: this.dataDir,
      stack: this.stack,
      browser: this.browser,
      page: this.page,
    } = await openDeskStack(name, { page: { acceptDownloads: true } }));
    this.serverPort = Number(new URL(this.stack.serverUrl).port);
    this.server = { app: this.stack.server, database: null };
    this.page.on('pageerror', (error) => this.pageErrors.push(error.message));
  };

  readonly close = async (): Promise<void> => {
    if (this.server?.database) await this.stopServer(this.server);
    await closeDeskStack({ dataDir: this.dataDir, stack: this.stack, browser: this.browser });
  };

  /** A desk command through the bridge the page uses (same backend, same signed-in agent). */
  readonly invoke = deskInvoker(() => this.stack);

  /** Synchronises now (the background loop does too, with a backoff of up to 30 s) and returns the status. */
  readonly syncNow = () => this.invoke('sync/now', undefined);

  readonly replica = () => this.stack.desk!.session().store.sqlite;
  readonly serverDbPath = () => join(this.dataDir, 'server.sqlite');

  /** The network goes: the server stops, its open connections (the desk's event stream) are cut. */
  readonly stopServer = async (running: RunningServer): Promise<void> => {
    const closing = running.app.close();
    running.app.server.closeAllConnections();
    await closing;
    running.database?.close();
  };

  /** A server on the same data (the stack's SQLite file), on `port` (0: any free port). */
  readonly startServer = async (port: number): Promise<RunningServer & { url: string }> => {
    const database = openDatabase(this.serverDbPath());
    const app = await buildServer({ database, portalDir: PORTAL_DIR });
    const url = await app.listen({ host: '127.0.0.1', port });
    return { app, database, url };
  };

  readonly goOffline = async (): Promise<void> => {
    await this.stopServer(this.server);
    expect((await this.syncNow()).connection).toBe('offline');
    await expect.poll(() => this.page.getByTestId('sync-status').textContent()).toMatch(/Hors ligne/);
  };

  readonly comeBackOnline = async (): Promise<void> => {
    const restarted = await this.startServer(this.serverPort);
    expect(restarted.url).toBe(this.stack.serverUrl);
    this.server = restarted;
    await expect
      .poll(
        async () => {
          const status = await this.syncNow();
          return [status.connection, status.pending];
        },
        { timeout: 60_000, interval: 1_000 },
      )
      .toEqual(['online', 0]);
    await expect.poll(() => this.page.getByTestId('sync-status').textContent()).toMatch(/En ligne/);
    await expect.poll(() => this.page.getByTestId('pending-count').textContent()).toMatch(/^\s*0 en attente/);
  };

  /** Writes to the server's database from another connection, with change rows so desks pull the rows. */
  readonly onServerDb = <T>(write: (sqlite: OpenedDatabase['sqlite'], at: string) => T): T => {
    const database = openDatabase(this.serverDbPath());
    try {
      const at = new Date().toISOString();
      return database.sqlite.transaction(() => write(database.sqlite, at)).immediate();
    } finally {
      database.close();
    }
  };

  readonly choose = async (testId: string, option: string): Promise<void> => {
    await this.page.getByTestId(testId).click();
    await this.page.locator('.v-overlay--active .v-list-item').filter({ hasText: option }).first().click();
  };

  readonly field = (testid: string) => this.page.getByTestId(testid).locator('input').first();

  readonly openFamily = async (householdId: string, tab = 'Inscriptions et réservations'): Promise<void> => {
    await this.page.goto(`${this.stack.deskUrl}/#/familles/${householdId}`);
    await this.page
      .getByTestId('family-header')
      .waitFor()
      .catch(async (error: unknown) => {
        await shot(this.page, 'failed-open-family');
        throw error;
      });
    await this.page.getByRole('tab', { name: tab }).click();
  };

  /** Scrolls the family file down to its tabs (what the screenshot is about), notices gone. */
  readonly scrollToTabs = async (): Promise<void> => {
    await this.page.mouse.move(0, 0);
    await this.page.locator('.v-snackbar__content').waitFor({ state: 'hidden', timeout: 10_000 });
    await this.page.getByRole('tablist').evaluate((tabs) => tabs.scrollIntoView({ block: 'start' }));
  };

  /** The grid shows the week of `day` (next / previous week buttons). */
  readonly showWeekOf = async (day: string): Promise<void> => {
    const cell = this.page.locator(`[data-testid^="grid-cell-${day}-"]`).first();
    for (let i = 0; i < 60 && !(await cell.isVisible()); i++) {
      const first = await this.page
        .locator('[data-testid^="grid-cell-"], [data-testid^="grid-closed-"]')
        .first()
        .getAttribute('data-testid');
      const shown = /(\d{4}-\d{2}-\d{2})/.exec(first ?? '')?.[1] ?? day;
      await this.page.getByTestId(shown < day ? 'grid-next' : 'grid-previous').click();
      await this.page.waitForTimeout(50);
    }
    await cell.waitFor();
  };

  /** Ticks the units of one day in the open grid, goes to the récapitulatif and validates. */
  readonly bookOneDay = async (day: string, units: string[]): Promise<void> => {
    await this.page.getByTestId('booking-grid').waitFor();
    await this.showWeekOf(day);
    for (const unit of units)
      await this.page.getByTestId(`grid-cell-${day}-${unit}`).locator('input').check();
    await expect.poll(() => this.page.getByTestId('booking-changes').textContent()).toMatch(/1 jour/);
    await this.page.getByTestId('booking-to-recap').click();
    await this.page.getByTestId('booking-recap').waitFor();
    await this.page.getByTestId('booking-validate').click();
    await this.page.getByTestId('booking-saved').waitFor();
    await this.showWeekOf(day); // the grid opens again on its first week
  };

  readonly collect = async (fill: () => Promise<void>): Promise<string> => {
    await this.page.getByTestId('cashier-collect').click();
    const dialog = this.page.getByTestId('collect-dialog');
    await dialog.waitFor();
    await fill();
    await this.page.getByTestId('pay-submit').click();
    await dialog.waitFor({ state: 'detached' });
    await this.page.getByTestId('cashier-notice').waitFor();
    return plain(await this.page.getByTestId('cashier-notice').textContent());
  };

  /**
   * The town's monthly billing (a server job, not the desk's): an invoice for the family's confirmed bookings of
   * `activityId`, one line per child and unit, at the prices the town charges for them.
   */
  readonly billBookings = (
    householdId: string,
    activityId: string,
  ): { number: string; totalCents: number } => {
    return this.onServerDb((sqlite, at) => {
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
  };
}
