// Settings that cannot lock everyone out, on the settings page (issue 13): an unknown group
// name is refused next to its field (nothing saved), switching password Basic authentication
// off asks first (Cancel keeps it on and saves nothing; confirmed, passwords are refused for
// REST), and a maximum lowered below the default says that the default went down with it.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { forEachBrowserDatabase } from '../../support/databases';
import type { TestHost } from '../../support/hostServer';
import { API, capture, curlStatus, dialog, flagTexts, loginWithForm, SERVLET, settingsReady, textOf, useBrowserSuite } from './support/browser';

const MYSELF = '/rest/api/2/myself';

forEachBrowserDatabase('SettingsSafetyUi', 'mariadb', (dbKind) => {
  let host: TestHost;
  let page: Page;

  useBrowserSuite({ product: 'jira', dbKind }, (suite) => {
    ({ host, page } = suite);
    // A machine shared with other suites can be slow to answer; the steps wait, they are not timed.
    page.setDefaultTimeout(30_000);
  });

  /** The admin's token: the settings are read with it, as the password may be switched off for REST. */
  let adminToken = '';
  const settings = async (): Promise<Record<string, unknown>> => {
    if (!adminToken) {
      const created = await host.request(`${API}/user/token`, { method: 'POST', auth: ['admin', 'admin'], body: { tokenDescription: 'Settings reader', tokenScope: 2 } });
      expect(created.status, created.text).to.equal(200);
      adminToken = created.json.plainTextToken;
    }
    const res = await host.request(`${API}/admin/settings`, { auth: ['admin', adminToken] });
    expect(res.status, res.text).to.equal(200);
    return res.json;
  };
  const errorOf = async (label: string): Promise<string> => textOf(page, `#${await page.getByLabel(label, { exact: true }).getAttribute('id')}-error`);

  it('should refuse unknown group names next to their fields and save nothing', async function () {
    this.timeout(120_000);
    await loginWithForm(page, host, 'admin', 'admin', `${SERVLET}/settings`);
    await settingsReady(page);
    const before = await settings();
    await page.getByLabel('Groups allowed to use tokens', { exact: true }).fill('jira-administrators\njira-admins-typo');
    await page.getByLabel('Groups that may create tokens on behalf of others', { exact: true }).fill('nobody-a\nnobody-b');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('.ata-messages .aui-message-error').waitFor();
    const users = page.getByLabel('Groups allowed to use tokens', { exact: true });
    expect(await users.getAttribute('aria-invalid')).to.equal('true');
    expect(await errorOf('Groups allowed to use tokens')).to.equal('There is no group named "jira-admins-typo".');
    expect(await errorOf('Groups that may create tokens on behalf of others')).to.equal('There are no groups named "nobody-a", "nobody-b".');
    expect(await page.getByLabel('Groups limited to read-only tokens', { exact: true }).getAttribute('aria-invalid')).to.equal(null);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).to.equal('tokenUserGroups');
    await capture(page, `settings-unknown-groups-${dbKind}`);
    expect(await settings(), 'nothing saved').to.deep.equal(before);

    await users.fill('jira-administrators');
    await page.getByLabel('Groups that may create tokens on behalf of others', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await flagTexts(page)).to.deep.equal(['Settings saved.']);
    expect((await settings()).tokenUserGroups).to.deep.equal(['jira-administrators']);
    expect(await users.getAttribute('aria-invalid')).to.equal(null);
  });

  it('should ask before switching password Basic authentication off, and keep it on when cancelled', async function () {
    this.timeout(120_000);
    const box = page.getByLabel('Allow Basic authentication with passwords');
    // AUI draws the checkbox: its label takes the click.
    const toggle = () => page.locator('label', { hasText: 'Allow Basic authentication with passwords' }).click();
    await toggle();
    expect(await box.isChecked()).to.equal(false);
    await page.getByLabel('Maximum tokens per user', { exact: true }).fill('7');
    await page.getByRole('button', { name: 'Save' }).click();
    const confirm = dialog(page, 'Switch off password Basic authentication?');
    await confirm.waitFor();
    expect(await confirm.innerText()).to.contain('will be refused for everyone');
    expect(await page.evaluate(() => document.activeElement?.textContent), 'focus on Cancel').to.equal('Cancel');
    await capture(page, `settings-password-basic-confirm-${dbKind}`);
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    expect(await box.isChecked()).to.equal(true);
    expect(await textOf(page, '.ata-messages .aui-message-info')).to.equal('Nothing was saved: Basic authentication with passwords stays allowed.');
    const kept = await settings();
    expect(kept.passwordBasicAuthAllowed).to.equal(true);
    expect(kept.maxTokensPerUser, 'nothing else saved either').to.not.equal(7);
    expect(await curlStatus(`${host.url}${MYSELF}`, 'admin', 'admin')).to.equal(200);

    await toggle();
    await page.getByRole('button', { name: 'Save' }).click();
    await confirm.getByRole('button', { name: 'Switch off and save' }).click();
    expect(await flagTexts(page)).to.deep.equal(['Settings saved.']);
    expect((await settings()).passwordBasicAuthAllowed).to.equal(false);
    expect(await curlStatus(`${host.url}${MYSELF}`, 'admin', 'admin'), 'passwords refused for REST').to.equal(401);

    // Switching it back on needs no confirmation (the page's session is not Basic).
    await toggle();
    expect(await box.isChecked()).to.equal(true);
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await flagTexts(page)).to.deep.equal(['Settings saved.']);
    expect(await dialog(page, 'Switch off password Basic authentication?').count()).to.equal(0);
    expect(await curlStatus(`${host.url}${MYSELF}`, 'admin', 'admin')).to.equal(200);
  });

  it('should say that a maximum below the default lowered the default too', async function () {
    this.timeout(120_000);
    await page.getByLabel('Maximum validity (months)', { exact: true }).fill('2');
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await flagTexts(page)).to.deep.equal(['Settings saved.']);
    const notice = page.locator('.ata-messages .aui-message-info');
    await notice.waitFor();
    expect(await notice.innerText()).to.equal('The default validity was lowered from 12 to 2 months, the new maximum.');
    expect(await page.getByLabel('Default validity (months)', { exact: true }).inputValue()).to.equal('2');
    expect(await settings()).to.include({ maxValidityMonths: 2, defaultValidityMonths: 2 });
    await capture(page, `settings-lowered-default-${dbKind}`);
  });
});
