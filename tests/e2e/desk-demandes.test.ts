// The demandes queue and the documents tab in Chromium, against the real desk backend and server: a parent
// sends demandes through the portal API; the agent sees the count on the home screen, opens the queue, looks at
// the attached PDF, refuses one with a message (the server records it and queues the e-mail); then attaches a
// scanned piece to the family from the scanner folder, previewed before saving. Screenshots at 1366×768.
import { writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { DemoStack } from '../../scripts/demo-stack';
import { createDemande, samplePdf, signInParent } from '../support/create-demande';
import type { CreatedDemande } from '../support/create-demande';
import { screenshot } from './browser';
import { closeDeskStack, openDeskStack } from './desk-stack';
import { signIn } from './desk-sign-in';

const REFUSAL =
  'Bonjour, le justificatif joint date de plus de trois mois : merci d’en déposer un plus récent.';

describe('demandes and documents at the desk', () => {
  let dataDir: string;
  let stack: DemoStack;
  let browser: Browser;
  let page: Page;
  let cookie: string;
  let address: CreatedDemande;

  beforeAll(async () => {
    ({ dataDir, stack, browser, page } = await openDeskStack('demandes'));
    cookie = await signInParent(stack.serverUrl);
    address = await createDemande(
      stack.serverUrl,
      {
        type: 'coordonnees',
        subject: 'Changement d’adresse',
        details: {
          numero: '12',
          voie: 'rue des Lilas',
          code_postal: '49170',
          ville: 'Saint-Aubin-sur-Loire',
        },
        message: 'Bonjour, nous avons déménagé le 1er du mois. Merci !',
        attachments: [
          {
            filename: 'facture-electricite.pdf',
            bytes: samplePdf('Facture electricite'),
            qualification: 'justificatif_domicile',
          },
        ],
      },
      { cookie },
    );
    await createDemande(
      stack.serverUrl,
      { type: 'qf', subject: 'Mise à jour du quotient familial' },
      { cookie },
    );
  });

  afterAll(() => closeDeskStack({ dataDir, stack, browser }));

  it('counts open demandes on the home screen', async () => {
    await stack.desk!.syncNow();
    await page.goto(`${stack.deskUrl}/#/`);
    await signIn(page);
    await page.getByTestId('home-demandes-count').waitFor();
    await expect
      .poll(async () => Number(await page.getByTestId('home-demandes-count').textContent()))
      .toBeGreaterThanOrEqual(2);
    expect(await page.getByTestId('home-date').textContent()).toMatch(/\d{4}/);
    await screenshot(page, 'desk-home');
  });

  it('refuses a demande with a message from the queue, after looking at its attachment', async () => {
    await page.getByTestId('home-demandes-link').click();
    await page.getByTestId('demandes-queue').waitFor();
    await page.getByTestId('filter-types').click();
    await page.getByRole('option', { name: 'Changement de coordonnées' }).click();
    await page.keyboard.press('Escape');
    const row = page.getByTestId('demande-row').filter({ hasText: `N° ${address.number}` });
    await row.click();
    const detail = page.getByTestId('demande-detail');
    await expect.poll(() => detail.getByTestId('demande-subject').textContent()).toBe('Changement d’adresse');
    expect(await detail.getByTestId('demande-details').textContent()).toContain('rue des Lilas');
    expect(await detail.getByTestId('demande-message').first().textContent()).toContain(
      'nous avons déménagé',
    );

    await detail.getByTestId('demande-piece').click();
    await page.getByTestId('file-preview-dialog').getByTestId('file-preview').locator('iframe').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('file-preview-dialog').waitFor({ state: 'detached' });

    await detail.getByTestId('decide-refuse').click();
    await detail.getByTestId('decide-message').locator('textarea').first().fill(REFUSAL);
    await screenshot(page, 'desk-demandes');
    await detail.getByTestId('decide-submit').click();
    await expect
      .poll(() => page.getByTestId('demandes-notice').textContent())
      .toContain(`Demande N° ${address.number} refusée`);

    // The server decided it (the desk pushes in the background): the parent's history shows the refusal.
    await expect
      .poll(
        async () => {
          const response = await fetch(new URL('/api/v1/demandes', stack.serverUrl), { headers: { cookie } });
          const list = (await response.json()) as {
            id: string;
            status: string;
            history: { comment: string | null }[];
          }[];
          const mine = list.find((d) => d.id === address.demandeId);
          return mine ? [mine.status, mine.history.at(-1)?.comment] : null;
        },
        { timeout: 20_000 },
      )
      .toEqual(['refusee', REFUSAL]);
    await page.getByTestId('filter-state-closed').click();
    const closed = page.getByTestId('demande-row').filter({ hasText: `N° ${address.number}` });
    await closed.click();
    await expect
      .poll(() => page.getByTestId('demande-detail').getByTestId('demande-status').textContent())
      .toContain('Refusée');
    expect(await page.getByTestId('demande-history').textContent()).toContain(REFUSAL);
  });

  it('attaches a scan from the watched folder to the family, with a preview before saving', async () => {
    const sqlite = stack.desk!.session().store.sqlite;
    const { household_id: householdId } = sqlite
      .prepare('SELECT household_id FROM demandes WHERE id = ?')
      .get(address.demandeId) as { household_id: string };
    // The scanner drops its output into the desk's watched folder.
    writeFileSync(join(dataDir, 'scans', 'SCAN_20260112_0931.pdf'), samplePdf('Attestation CAF'));

    // From the demande to the family's file.
    await page.getByTestId('demande-open-family').click();
    await page.waitForURL(`**/#/familles/${householdId}`);
    await page.getByRole('tab', { name: 'Documents' }).click();
    await page.getByTestId('family-documents').waitFor();
    await page.getByTestId('add-piece').click();
    const dialog = page.getByTestId('attach-dialog');
    await dialog.getByTestId('dialog-scan').filter({ hasText: 'SCAN_20260112_0931.pdf' }).click();
    await dialog.getByTestId('file-preview').locator('iframe').waitFor();
    // A program renamed .pdf, picked by the agent, is refused by its content.
    await dialog.getByTestId('file-input').setInputFiles({
      name: 'scan-virus.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(600, 3)]),
    });
    await expect
      .poll(() => dialog.getByTestId('piece-file-error').textContent())
      .toContain('n’est pas un format accepté');
    await dialog.getByTestId('piece-file').filter({ hasText: 'scan-virus.pdf' }).getByRole('button').click();

    await dialog.getByTestId('piece-qualification').click();
    await page.getByRole('option', { name: 'Attestation CAF / quotient familial' }).click();
    await dialog.getByTestId('piece-title').locator('input').fill('Attestation CAF 2026');
    const validUntil = new Date(Date.now() + 12 * 86_400_000);
    await dialog
      .getByTestId('piece-valid-until')
      .locator('input')
      .fill(validUntil.toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris' }));
    await dialog.getByTestId('piece-valid-until').locator('input').press('Tab');
    await dialog.getByTestId('piece-file').first().click();
    await screenshot(page, 'desk-documents');
    await dialog.getByTestId('piece-save').click();
    await dialog.waitFor({ state: 'detached' });

    const row = page.getByTestId('document-row').filter({ hasText: 'Attestation CAF 2026' });
    await row.waitFor();
    expect(await row.getByTestId('document-validity').textContent()).toContain('Expire le');
    expect(existsSync(join(dataDir, 'scans', 'SCAN_20260112_0931.pdf'))).toBe(false);
    // Uploaded then accepted by the server: the "en attente d'envoi" chip goes.
    await expect.poll(() => row.getByTestId('document-pending').count(), { timeout: 20_000 }).toBe(0);
    await page
      .getByRole('tab', { name: 'Documents' })
      .evaluate((tab) => tab.scrollIntoView({ block: 'start' }));
    await page.locator('.v-snackbar__content').waitFor({ state: 'hidden', timeout: 10_000 });
    await screenshot(page, 'desk-documents-list');
  });
});
