// Signs an agent in at the desk opened in `page` (the backend keeps one session per desk: a page opened after
// another may find it signed in already, as another agent, or locked).
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../db/seed';

export async function signIn(page: Page, login = 'agent.accueil', password = DEMO_PASSWORD): Promise<void> {
  const form = page.getByTestId('signin-form');
  const lock = page.getByTestId('lock-screen');
  const agent = page.getByTestId('agent-name');
  await form.or(lock).or(agent).first().waitFor();
  if (await lock.isVisible()) {
    await page.getByTestId('lock-other-agent').click();
  } else if (!(await form.isVisible())) {
    if ((await agent.getAttribute('data-login')) === login) return;
    await page.getByTestId('agent-menu').click();
    await page.getByTestId('sign-out').click();
  }
  await form.waitFor();
  await page.getByTestId('signin-login').locator('input').fill(login);
  await page.getByTestId('signin-password').locator('input').fill(password);
  await page.getByTestId('signin-submit').click();
  await page.locator(`[data-testid="agent-name"][data-login="${login}"]`).waitFor();
  await page.getByTestId('signin-form').waitFor({ state: 'detached' });
}
