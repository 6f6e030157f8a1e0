import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { forEachDatabase } from '../../support/databases';
import type { TestHost } from '../../support/hostServer';
import { API, loginWithForm, screenshot, SERVLET, textOf, useBrowserSuite } from './support/browser';

const PROFILE = '/secure/ViewProfile.jspa';

forEachDatabase('SettingsPage', (dbKind) => {
  let host: TestHost;
  let page: Page;

  const settings = async (): Promise<Record<string, unknown>> => (await host.request(`${API}/admin/settings`, { auth: ['admin', 'admin'] })).json;

  useBrowserSuite({ product: 'jira', dbKind }, (suite) => { ({ host, page } = suite); });

  async function openSettings(): Promise<void> {
    await page.goto(`${host.url}${SERVLET}/settings`);
    await page.waitForFunction(() => (document.querySelector('[name=maxValidityMonths]') as HTMLInputElement | null)?.value !== '');
  }

  it('should show every setting with its current value', async () => {
    await loginWithForm(page, host, 'admin', 'admin', `${SERVLET}/settings`);
    await openSettings();
    expect(await page.getByLabel('Maximum validity (months)').inputValue()).to.equal('12');
    expect(await page.getByLabel('Expiry warnings (days before)').inputValue()).to.equal('7, 1');
    expect(await page.getByLabel('Audit token use').inputValue()).to.equal('sampled');
    expect(await page.getByLabel('Allow Basic authentication with passwords').isChecked()).to.equal(true);
    for (const name of ['maxValidityMonths', 'defaultValidityMonths', 'passwordBasicAuthAllowed', 'authSchemes', 'createOnBehalfGroups',
      'tokenUserGroups', 'readOnlyOnlyGroups', 'maxTokensPerUser', 'ipAllowlist', 'expiryWarningDays', 'notifyOnNewIp',
      'pruneExpiredAfterDays', 'revokeUnusedAfterDays', 'auditTokenUse']) {
      expect(await page.locator(`[name=${name}]`).count(), name).to.equal(1);
    }
    await screenshot(page, `settings-${dbKind}`);
  });

  it('should show the API validation messages next to the fields and change nothing', async () => {
    await page.getByLabel('Maximum validity (months)').fill('0');
    await page.getByLabel('Allowed client addresses').fill('not-an-ip');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('.ata-message-error').waitFor();
    const max = page.getByLabel('Maximum validity (months)');
    expect(await max.getAttribute('aria-invalid')).to.equal('true');
    const maxError = await textOf(page, `#${await max.getAttribute('id')}-error`);
    expect(maxError.length).to.be.greaterThan(3);
    expect(await page.getByLabel('Allowed client addresses').getAttribute('aria-invalid')).to.equal('true');
    await screenshot(page, `settings-errors-${dbKind}`);
    expect((await settings()).maxValidityMonths).to.equal(12);
    expect((await settings()).ipAllowlist).to.deep.equal([]);
  });

  it('should save a change that the create dialog then applies', async () => {
    await openSettings();
    await page.getByLabel('Maximum validity (months)').fill('3');
    await page.getByLabel('Default validity (months)').fill('2');
    await page.getByLabel('Accepted authentication schemes').selectOption('bearer');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Settings saved.').waitFor();
    expect(await settings()).to.include({ maxValidityMonths: 3, defaultValidityMonths: 2, authSchemes: 'bearer' });

    await page.goto(`${host.url}${PROFILE}`);
    await page.getByRole('button', { name: 'Create token' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create API token' });
    const months = dialog.getByLabel('Months', { exact: true });
    expect(await months.getAttribute('max')).to.equal('3');
    expect(await months.inputValue()).to.equal('2');
    expect(await dialog.innerText()).to.contain('At most 3 months');
    await screenshot(page, `settings-effect-create-dialog-${dbKind}`);
    await months.fill('2');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('dialog', { name: 'Your new API token' }).waitFor();
    expect(await page.locator('[data-snippet=curl-bearer]').count()).to.equal(1);
    expect(await page.locator('[data-snippet=curl-basic]').count()).to.equal(0);
    await page.getByRole('button', { name: 'Done' }).click();
  });

  it('should offer only read-only tokens to members of a read-only group', async () => {
    await openSettings();
    await page.getByLabel('Groups limited to read-only tokens').fill('jira-administrators');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Settings saved.').waitFor();
    await page.goto(`${host.url}${PROFILE}`);
    await page.getByRole('button', { name: 'Create token' }).click();
    const scope = page.getByRole('dialog', { name: 'Create API token' }).getByLabel('Scope');
    expect(await scope.locator('option').allInnerTexts()).to.deep.equal(['Read only']);
    await page.getByRole('button', { name: 'Cancel' }).click();
    const reset = await host.request(`${API}/admin/settings`, { method: 'PUT', auth: ['admin', 'admin'], body: { readOnlyOnlyGroups: [] } });
    expect(reset.status).to.equal(200);
  });
});
