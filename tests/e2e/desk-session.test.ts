// Agent sign-in in the desk, in Chromium against the real desk backend and server: the sign-in screen (French
// error for a wrong password), the agent's name in the app bar, lock and unlock, and the family's history.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DEMO_PASSWORD } from '../../db/seed';
import type { DemoStack } from '../../scripts/demo-stack';
import { screenshot } from './browser';
import { closeDeskStack, openDeskStack } from './desk-stack';
import { signIn } from './desk-sign-in';

describe('agent sign-in at the desk', () => {
  let dataDir: string;
  let stack: DemoStack;
  let browser: Browser;

  beforeAll(
    async () =>
      ({ dataDir, stack, browser } = await openDeskStack('session', { families: 40, seed: 5, portal: true })),
  );

  afterAll(() => closeDeskStack({ dataDir, stack, browser }));

  it('signs agent.accueil in, shows the name, locks and unlocks, and logs a payment in the family history', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'fr-FR' });
    await page.goto(`${stack.deskUrl}/`);
    await page.getByTestId('signin-view').waitFor();
    expect(await page.getByTestId('family-row').count()).toBe(0);
    await expect.poll(() => page.getByTestId('signin-desk').textContent()).toMatch(/Accueil Hôtel de Ville/);
    await screenshot(page, 'desk-signin');

    await page.getByTestId('signin-login').locator('input').fill('agent.accueil');
    await page.getByTestId('signin-password').locator('input').fill('mauvais');
    await page.getByTestId('signin-submit').click();
    await expect
      .poll(() => page.getByTestId('signin-error').textContent())
      .toMatch(/Identifiant ou mot de passe incorrect\./);
    await screenshot(page, 'desk-signin-error');

    await page.getByTestId('signin-password').locator('input').fill(DEMO_PASSWORD);
    await page.getByTestId('signin-submit').click();
    await page.getByTestId('signin-view').waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('agent-name').textContent()).toMatch(/Mégane Lefèvre/);
    await screenshot(page, 'desk-session-home');

    await page.getByTestId('lock-desk-button').click();
    await page.getByTestId('lock-screen').waitFor();
    expect(await page.getByTestId('lock-agent-name').textContent()).toMatch(/Mégane Lefèvre/);
    await screenshot(page, 'desk-session-locked');
    await page.getByTestId('unlock-password').locator('input').fill('mauvais');
    await page.getByTestId('unlock-submit').click();
    await expect.poll(() => page.getByTestId('unlock-error').textContent()).toMatch(/Mot de passe incorrect/);
    await page.getByTestId('unlock-password').locator('input').fill(DEMO_PASSWORD);
    await page.getByTestId('unlock-submit').click();
    await page.getByTestId('lock-screen').waitFor({ state: 'detached' });
    expect(await page.getByTestId('agent-name').textContent()).toMatch(/Mégane Lefèvre/);

    // A payment taken by the signed-in agent shows in the family's history, with who and at which desk.
    const desk = stack.desk!;
    const found = await desk.invoke('family/search', { query: '', limit: 1 });
    if (!found.ok || !found.value[0]) throw new Error('no family to pay for');
    const household = found.value[0];
    const paid = await desk.invoke('payment/record', {
      householdId: household.id,
      mode: 'especes',
      amountCents: 1250,
    });
    expect(paid.ok).toBe(true);
    await page.goto(`${stack.deskUrl}/#/familles/${household.id}`);
    await page.getByRole('tab', { name: 'Historique' }).click();
    await page.getByTestId('family-audit-row').first().waitFor();
    const row = (await page.getByTestId('family-audit-row').first().textContent()) ?? '';
    expect(row).toMatch(/Mégane Lefèvre/);
    expect(row).toMatch(/Accueil Hôtel de Ville/);
    expect(row).toMatch(/Paiement/);
    expect(row).toMatch(/12,50/);
    await screenshot(page, 'desk-session-audit');
    await page.close();
  });

  it('lets another agent take a locked desk, and signs out', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'fr-FR' });
    await page.goto(`${stack.deskUrl}/`);
    await signIn(page, 'agent.accueil');
    await page.getByTestId('lock-desk-button').click();
    await page.getByTestId('lock-screen').waitFor();
    await signIn(page, 'agent.regie');
    await expect.poll(() => page.getByTestId('agent-name').textContent()).toMatch(/Jérôme Martin/);
    await page.getByTestId('agent-menu').click();
    await page.getByTestId('sign-out').click();
    await page.getByTestId('signin-view').waitFor();
    const current = await stack.desk!.invoke('session/current', undefined);
    expect(current.ok && current.value.agent).toBeNull();
    await page.close();
  });
});
