// The settings page in the administration layout: every setting, the API's validation messages
// next to their fields (nothing saved), saved changes that the create dialog then follows.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { forEachBrowserDatabase } from '../../support/databases';
import type { TestHost } from '../../support/hostServer';
import { API, capture, dialog, flagTexts, holdGets, loginWithForm, open, panelReady, SERVLET, settingsReady, textOf, useBrowserSuite } from './support/browser';

const PROFILE = '/secure/ViewProfile.jspa';

forEachBrowserDatabase('SettingsPage', 'sqlite', (dbKind) => {
  let host: TestHost;
  let page: Page;

  const settings = async (): Promise<Record<string, unknown>> => (await host.request(`${API}/admin/settings`, { auth: ['admin', 'admin'] })).json;

  useBrowserSuite({ product: 'jira', dbKind }, (suite) => { ({ host, page } = suite); });

  async function openSettings(): Promise<void> {
    await open(page, host, `${SERVLET}/settings`);
    await settingsReady(page);
  }

  it('should show every setting with its current value, in sections', async () => {
    await loginWithForm(page, host, 'admin', 'admin', `${SERVLET}/settings`);
    await settingsReady(page);
    expect(await textOf(page, 'h1')).to.equal('API Token settings');
    expect(await page.getByLabel('Maximum validity (months)').inputValue()).to.equal('12');
    expect(await page.getByLabel('Expiry warnings (days before)').inputValue()).to.equal('7, 1');
    expect(await page.getByLabel('Audit token use').inputValue()).to.equal('sampled');
    expect(await page.getByLabel('Allow Basic authentication with passwords').isChecked()).to.equal(true);
    expect(await page.getByLabel('Allow system administrators to create sudo tokens').isChecked()).to.equal(false);
    for (const name of ['maxValidityMonths', 'defaultValidityMonths', 'passwordBasicAuthAllowed', 'authSchemes', 'createOnBehalfGroups',
      'tokenUserGroups', 'readOnlyOnlyGroups', 'maxTokensPerUser', 'ipAllowlist', 'expiryWarningDays', 'notifyOnNewIp',
      'pruneExpiredAfterDays', 'revokeUnusedAfterDays', 'auditTokenUse', 'sudoTokensAllowed']) {
      expect(await page.locator(`[name=${name}]`).count(), name).to.equal(1);
    }
    expect(await page.getByRole('group', { name: 'Validity and limits' }).count()).to.equal(1);
    // AUI's side-label form: a checkbox sits in the field column like every other input, which
    // only a field group (or fieldset.group) gives it; a bare div.checkbox lines up with the labels.
    const boxes = await page.locator('form[data-form=settings] input[type=checkbox]').evaluateAll((inputs) =>
      inputs.map((i) => ({ name: (i as HTMLInputElement).name, inFieldColumn: !!i.closest('.field-group, fieldset.group') })));
    expect(boxes).to.have.length(3);
    expect(boxes.filter((b) => !b.inFieldColumn).map((b) => b.name)).to.deep.equal([]);
    expect(await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Settings' }).getAttribute('aria-current')).to.equal('page');
    await capture(page, `settings-${dbKind}`);
  });

  it('should show the API validation messages next to the fields and change nothing', async () => {
    await page.getByLabel('Maximum validity (months)').fill('0');
    await page.getByLabel('Allowed client addresses').fill('not-an-ip');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('.ata-messages .aui-message-error').waitFor();
    expect(await textOf(page, '.ata-messages .aui-message-error')).to.equal('Some values need correcting: see the messages next to the fields.');
    const max = page.getByLabel('Maximum validity (months)');
    expect(await max.getAttribute('aria-invalid')).to.equal('true');
    expect((await textOf(page, `#${await max.getAttribute('id')}-error`)).length).to.be.greaterThan(3);
    expect(await page.getByLabel('Allowed client addresses').getAttribute('aria-invalid')).to.equal('true');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).to.equal('maxValidityMonths');
    await capture(page, `settings-errors-${dbKind}`);
    expect((await settings()).maxValidityMonths).to.equal(12);
    expect((await settings()).ipAllowlist).to.deep.equal([]);
    await page.getByRole('button', { name: 'Revert changes' }).click();
    expect(await max.inputValue()).to.equal('12');
    expect(await max.getAttribute('aria-invalid')).to.equal(null);
  });

  it('should save a change that the create dialog then applies', async () => {
    await page.getByLabel('Maximum validity (months)').fill('3');
    await page.getByLabel('Default validity (months)').fill('2');
    await page.getByLabel('Accepted authentication schemes').selectOption('bearer');
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await flagTexts(page)).to.deep.equal(['Settings saved.']);
    expect(await settings()).to.include({ maxValidityMonths: 3, defaultValidityMonths: 2, authSchemes: 'bearer' });

    await page.goto(`${host.url}${PROFILE}`);
    await panelReady(page);
    await page.getByRole('button', { name: 'Create token' }).click();
    const create = dialog(page, 'Create API token');
    const months = create.getByLabel('Months', { exact: true });
    expect(await months.inputValue()).to.equal('2');
    expect(await create.innerText()).to.contain('At most 3 months (set by your administrator).');
    await months.fill('4');
    await create.getByRole('button', { name: 'Create', exact: true }).click();
    expect(await create.innerText()).to.contain('Your administrator allows at most 3 months.');
    await capture(page, `settings-effect-create-dialog-${dbKind}`);
    await months.fill('2');
    await create.getByRole('button', { name: 'Create', exact: true }).click();
    const shown = dialog(page, 'Your new API token');
    await shown.waitFor();
    await shown.locator('details[data-role=snippets] summary').click();
    expect(await shown.locator('[data-snippet=curl-bearer]').count()).to.equal(1);
    expect(await shown.locator('[data-snippet=curl-basic]').count()).to.equal(0);
    await shown.getByRole('button', { name: 'Copy token' }).click();
    await shown.getByRole('button', { name: 'Close' }).click();
    await flagTexts(page);
  });

  it('should offer only read-only tokens to members of a read-only group', async () => {
    await openSettings();
    await page.getByLabel('Groups limited to read-only tokens').fill('jira-administrators');
    await page.getByRole('button', { name: 'Save' }).click();
    await flagTexts(page);
    await page.goto(`${host.url}${PROFILE}`);
    await panelReady(page);
    await page.getByRole('button', { name: 'Create token' }).click();
    const scope = dialog(page, 'Create API token').getByLabel('Scope');
    expect(await scope.locator('option').allInnerTexts()).to.deep.equal(['Read only']);
    await dialog(page, 'Create API token').getByRole('button', { name: 'Cancel' }).click();
    const reset = await host.request(`${API}/admin/settings`, { method: 'PUT', auth: ['admin', 'admin'], body: { readOnlyOnlyGroups: [] } });
    expect(reset.status).to.equal(200);
  });

  it('should keep the form out of reach until the settings have loaded', async () => {
    // The settings answer is held back: until it arrives the form shows no values, so neither
    // a Save (which would send the empty fields) nor typing (overwritten on arrival) may happen.
    const held = await holdGets(page, `**${API}/admin/settings`);
    try {
      await open(page, host, `${SERVLET}/settings`);
      const form = page.locator('form[data-form=settings]');
      await form.waitFor();
      expect(await form.getAttribute('aria-busy')).to.equal('true');
      expect(await page.getByRole('button', { name: 'Save' }).isDisabled()).to.equal(true);
      expect(await page.getByLabel('Maximum validity (months)').isDisabled()).to.equal(true);
      expect(await page.getByLabel('Allow Basic authentication with passwords').isDisabled()).to.equal(true);
      held.release();
      await settingsReady(page);
      expect(await form.getAttribute('aria-busy')).to.equal('false');
      expect(await page.getByRole('button', { name: 'Save' }).isDisabled()).to.equal(false);
      expect(await page.getByLabel('Maximum validity (months)').isEditable()).to.equal(true);
      expect(await page.getByLabel('Maximum validity (months)').inputValue()).to.equal(String((await settings()).maxValidityMonths));
    } finally {
      await held.stop();
    }
  });
});
