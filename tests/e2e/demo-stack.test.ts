// The product as `npm start` assembles it: the portal and the desk render the demo town in Chromium.
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DESK_RENDERER_DIR, PORTAL_DIR, startDemoStack } from '../../scripts/demo-stack';
import type { DemoStack } from '../../scripts/demo-stack';
import { launchChromium, screenshot } from './browser';
import { signIn } from './desk-sign-in';

describe('the demo town in a browser', () => {
  let dataDir: string;
  let stack: DemoStack;
  let browser: Browser;

  beforeAll(async () => {
    for (const dir of [PORTAL_DIR, DESK_RENDERER_DIR]) {
      if (!existsSync(join(dir, 'index.html')))
        throw new Error(`${dir} is not built: run \`npm run build\` first`);
    }
    dataDir = mkdtempSync(join(tmpdir(), 'gf-e2e-'));
    stack = await startDemoStack({ dataDir, families: 60, seed: 7, serverPort: 0, deskPort: 0 });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers /healthz with the schema version', async () => {
    const response = await fetch(`${stack.serverUrl}/healthz`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; schemaVersion: number };
    expect(body.status).toBe('ok');
    expect(body.schemaVersion).toBeGreaterThan(0);
  });

  it('shows the town, its news and its activities on the portal home page', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'fr-FR' });
    await page.goto(`${stack.serverUrl}/`);
    await page.getByTestId('town-name').waitFor();
    expect(await page.getByTestId('town-name').textContent()).toMatch(/\S/);
    expect(await page.getByTestId('news-item').count()).toBeGreaterThan(0);
    const activities = await page.getByTestId('activity-item').allTextContents();
    expect(activities.join(' ')).toMatch(/mercredi/i);
    await screenshot(page, 'portal-home');
    await page.close();
  });

  it('lists the families in the desk from its own replica, and finds Bécassines from "becassine"', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'fr-FR' });
    await page.goto(`${stack.deskUrl}/#/familles`);
    await signIn(page);
    await page.getByTestId('family-row').first().waitFor();
    expect(await page.getByTestId('family-row').count()).toBeGreaterThan(10);
    await expect.poll(() => page.getByTestId('sync-status').textContent()).toMatch(/En ligne/);
    await screenshot(page, 'desk-families');

    await page.keyboard.press('F2');
    await page.keyboard.type('becassine');
    await expect
      .poll(async () => (await page.getByTestId('family-row').allTextContents()).join('|'))
      .toMatch(/Bécassines/i);
    await screenshot(page, 'desk-search-becassine');

    await page.getByTestId('family-search').locator('input').fill('zzqxw');
    await page.getByText('Aucune famille ne correspond').waitFor();
    expect(await page.getByTestId('family-row').count()).toBe(0);
    await page.close();
  });
});
