// The family wizard and the family file in the desk, in Chromium against the real desk backend and server: an
// agent creates a family (identité, adresse, moyens de contact, enfants), is refused a bad postcode with its
// French message, is shown a possible duplicate and confirms it, then opens the family file — pending under a
// provisional code until the server numbers it — edits it, and prints the access letter.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { DemoStack } from '../../scripts/demo-stack';
import { screenshot } from './browser';
import { SHOTS, closeDeskStack, openDeskStack, deskInvoker } from './desk-stack';
import { signIn } from './desk-sign-in';

describe('the family wizard and the family file', () => {
  let dataDir: string;
  let stack: DemoStack;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => ({ dataDir, stack, browser, page } = await openDeskStack('family')));

  afterAll(() => closeDeskStack({ dataDir, stack, browser }));

  const invoke = deskInvoker(() => stack);

  const field = (testid: string) => page.getByTestId(testid).locator('input').first();

  async function choose(testid: string, option: string): Promise<void> {
    await page.getByTestId(testid).click();
    await page.getByRole('option', { name: option, exact: true }).click();
  }

  /** A child of the demo town the new family will look like (same name and date of birth). */
  function existingChild(): {
    householdId: string;
    code: string;
    lastName: string;
    firstName: string;
    birthDate: string;
  } {
    const sqlite = stack.desk!.session().store.sqlite;
    return sqlite
      .prepare(
        `SELECT h.id AS householdId, h.code, p.usage_last_name AS lastName, p.first_names AS firstName,
                p.birth_date AS birthDate
           FROM persons p JOIN household_members m ON m.person_id = p.id AND m.role = 'enfant'
           JOIN households h ON h.id = m.household_id
          WHERE p.birth_date IS NOT NULL AND p.usage_last_name NOT LIKE '%''%'
          ORDER BY h.code DESC LIMIT 1`,
      )
      .get() as { householdId: string; code: string; lastName: string; firstName: string; birthDate: string };
  }

  it('creates a family with the wizard, confirming a possible duplicate, and opens its file', async () => {
    const twin = existingChild();
    const firstName = twin.firstName.split(' ')[0]!;
    await page.goto(`${stack.deskUrl}/`);
    await signIn(page);
    await page.getByTestId('nav-nouvelle').click();
    await page.getByTestId('family-wizard').waitFor();

    // Identité: the titulaire, then a co-titulaire.
    await page.getByTestId('wizard-next').click();
    await page.getByText('La civilité est obligatoire.').waitFor();
    await choose('titulaire-civility', 'Madame');
    await field('titulaire-usageLastName').fill(twin.lastName.toLocaleUpperCase('fr-FR'));
    await field('titulaire-firstNames').fill('Émilie Jeanne');
    await field('titulaire-birthDate').fill('17/05/1986');
    await page.getByTestId('wizard-toggle-co').click();
    await choose('co-civility', 'Monsieur');
    await field('co-usageLastName').fill('Lemoine');
    await field('co-firstNames').fill('Karim');
    await screenshot(page, 'desk-family-wizard-identity');
    await page.getByTestId('wizard-next').click();

    // Adresse: a postcode of four digits is refused with the rule's French message.
    await field('household-numero').fill('7');
    await field('household-voie').fill('allée des Tilleuls');
    await field('household-postcode').fill('4917');
    await field('household-city').fill('Saint-Aubin-sur-Loire');
    await page.getByTestId('wizard-next').click();
    await page.getByText('Le code postal doit comporter 5 chiffres.').waitFor();
    await field('household-postcode').fill('49170');
    await page.getByTestId('wizard-next').click();

    // Moyens de contact: a bad mobile, then a good one (stored in E.164).
    await field('titulaire-mobile').fill('06 12');
    await field('titulaire-email').fill('emilie.tilleuls@exemple.fr');
    await page.getByTestId('wizard-next').click();
    await page.getByText("Le numéro de téléphone n'est pas valide", { exact: false }).first().waitFor();
    await field('titulaire-mobile').fill('06 71 42 18 90');
    await page.getByTestId('wizard-next').click();

    // Enfants: the same first name and date of birth as a child of another family.
    await page.getByTestId('wizard-add-child').click();
    await field('child-0-firstNames').fill(firstName);
    await field('child-0-birthDate').fill(twin.birthDate.split('-').reverse().join('/'));
    await field('child-0-schoolName').fill('École élémentaire Jean Jaurès');
    await page.getByTestId('wizard-next').click();

    // Vérification: the possible duplicate is shown with a link to its file; creating needs the confirmation.
    await page.getByTestId('wizard-duplicates').waitFor();
    const duplicate = await page.getByTestId('wizard-duplicate').first().textContent();
    expect(duplicate).toContain(twin.code);
    expect(duplicate).toMatch(/même enfant/);
    expect(await page.getByTestId('wizard-create').isDisabled()).toBe(true);
    await page.getByTestId('wizard-confirm-duplicates').locator('input').check();
    await screenshot(page, 'desk-family-wizard');
    await page.getByTestId('wizard-create').click();

    // The file opens; the code is provisional until the server gives the family code, then final.
    await page.waitForURL(/#\/familles\/[0-9a-f-]{36}/);
    const id = /familles\/([0-9a-f-]{36})/.exec(page.url())![1]!;
    await page.getByTestId('family-header').waitFor();
    expect(await page.getByTestId('family-title').textContent()).toContain(
      `${twin.lastName.toLocaleUpperCase('fr-FR')} Émilie`,
    );
    await expect
      .poll(
        async () => {
          await invoke('sync/now', undefined); // the background loop does it too; a loaded machine may lag
          return page.getByTestId('family-code').textContent();
        },
        { timeout: 60_000, interval: 1_000 },
      )
      .toMatch(/Dossier F-\d{6}/);
    const file = await invoke('family/get', { id });
    expect(file.titulaire?.mobile?.e164).toBe('+33671421890');
    expect(file.coTitulaire?.displayName).toBe('LEMOINE Karim');
    expect(file.children.map((c) => c.birthDate)).toEqual([twin.birthDate]);

    // An edit from the file: a grand-mother who may pick the child up.
    await page.getByTestId('add-entourage').click();
    await page.getByTestId('member-dialog').waitFor();
    await field('member-usageLastName').fill('Morvan');
    await field('member-firstNames').fill('Yvette');
    await field('member-mobile').fill('06 98 76 54 32');
    await field('member-relationship').fill('grand-mère');
    await page.getByTestId('edit-save').click();
    await page.getByTestId('member-dialog').waitFor({ state: 'detached' });
    await expect
      .poll(() => page.getByTestId('entourage-0').textContent())
      .toMatch(/MORVAN Yvette.*grand-mère/);
    await expect
      .poll(
        async () => {
          await invoke('sync/now', undefined);
          return page.getByTestId('family-pending').count();
        },
        { timeout: 60_000, interval: 1_000 },
      )
      .toBe(0);
    await page.locator('.v-snackbar__content').waitFor({ state: 'hidden', timeout: 10_000 });
    await screenshot(page, 'desk-family-file');

    // The titulaire's edit dialog (identity, contact means, own address, link with the family).
    await page.getByTestId('edit-titulaire').click();
    await page.getByTestId('person-dialog').waitFor();
    await page.waitForTimeout(400); // the dialog's opening transition
    await screenshot(page, 'desk-family-edit');
    await page.keyboard.press('Escape');
    await page.getByTestId('person-dialog').waitFor({ state: 'detached' });

    // The access letter: a new single-use key, shown in a frame to print or download.
    await page.getByTestId('family-access-letter').click();
    await page.getByTestId('letter-generate').click();
    await page.getByTestId('letter-frame').waitFor();
    expect(await page.getByTestId('letter-issued').textContent()).toMatch(/Clé …[A-Z0-9]{5} créée/);
    await page.waitForTimeout(1500); // the PDF viewer paints the page inside the frame
    await screenshot(page, 'desk-family-letter');
    const letter = await invoke('family/access-letter', { householdId: id });
    const pdf = join(SHOTS, 'desk-family-letter-pdf.pdf');
    writeFileSync(pdf, Buffer.from(letter.pdfBase64, 'base64'));
    execFileSync('pdftoppm', ['-png', '-r', '60', pdf, join(SHOTS, 'desk-family-letter-pdf')]);
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain(letter.identifiant);
    expect(text).toMatch(/Clé Espace Citoyens Enfance\s+\d{5}-[A-Z0-9]{7}/);
    await page.keyboard.press('Escape');
  });

  it('shows a family of the demo town with its children, health, authorisations, QF and balance', async () => {
    const becassines = (await invoke('family/search', { query: 'becassines' }))[0]!;
    await page.goto(`${stack.deskUrl}/#/familles/${becassines.id}`);
    await page.getByTestId('card-children').waitFor();
    expect(await page.getByTestId('family-title').textContent()).toContain('BÉCASSINES');
    expect(await page.getByTestId('child-0').count()).toBe(1);
    const file = await invoke('family/get', { id: becassines.id });
    expect(file.children.length).toBeGreaterThan(1);
    expect(file.coTitulaire).not.toBeNull();
    await screenshot(page, 'desk-family-file-demo');
  });
});
