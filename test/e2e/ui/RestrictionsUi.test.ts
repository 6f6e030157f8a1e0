// Restrictions and IP allowlist under "Advanced" in the create and edit dialogs; the list shows
// them in the text form of the server's own formatter, and the filter holds the token to them.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { forEachBrowserDatabase } from '../../support/databases';
import type { TestHost } from '../../support/hostServer';
import { JIRA_TOKEN_TABLE, writeRows } from '../plugin/support/seedTokenRows';
import { capture, curlStatus, dialog, flagTexts, loginWithForm, panelReady, useBrowserSuite } from './support/browser';

const PROFILE = '/secure/ViewProfile.jspa';

forEachBrowserDatabase('RestrictionsUi', 'sqlite', (dbKind) => {
  let host: TestHost;
  let page: Page;
  let token: string;

  useBrowserSuite({ product: 'jira', dbKind }, (suite) => { ({ host, page } = suite); });

  const row = () => page.locator('[data-role=tokens] tbody tr', { has: page.locator('th', { hasText: 'Limited' }) });
  const create = () => dialog(page, 'Create API token');

  it('should keep restrictions under Advanced and show an invalid rule\'s message next to the field, creating nothing', async () => {
    await loginWithForm(page, host, 'admin', 'admin', PROFILE);
    await panelReady(page);
    await page.getByRole('button', { name: 'Create token' }).click();
    await create().getByLabel('Name').fill('Limited');
    const rules = create().getByLabel('Restrictions (optional)');
    expect(await rules.isVisible()).to.equal(false);
    await create().getByText('Advanced: restrictions and IP addresses').click();
    await rules.fill('[GET].*/rest/api/2/(myself');
    await create().getByRole('button', { name: 'Create', exact: true }).click();
    await create().locator('.aui-message-error').waitFor();
    expect(await rules.getAttribute('aria-invalid')).to.equal('true');
    expect((await create().locator(`#${await rules.getAttribute('id')}-error`).innerText()).length).to.be.greaterThan(3);
    await capture(page, `restrictions-error-${dbKind}`);
    await create().getByRole('button', { name: 'Cancel' }).click();
    expect(await page.locator('[data-role=empty]').count()).to.equal(1);
  });

  it('should create a restricted token that the filter then holds to its rules', async () => {
    await page.getByRole('button', { name: 'Create token' }).click();
    await create().getByLabel('Name').fill('Limited');
    await create().getByText('Advanced: restrictions and IP addresses').click();
    await create().getByLabel('Restrictions (optional)').fill('[GET].*/rest/api/2/myself\n.*/rest/api/2/search[QueryParam::jql==project = JRA.*]');
    await create().getByLabel('Allowed IP addresses (optional)').fill('127.0.0.1');
    await create().getByRole('button', { name: 'Create', exact: true }).click();
    const shown = dialog(page, 'Your new API token');
    await shown.waitFor();
    token = await shown.getByLabel('Token', { exact: true }).inputValue();
    await shown.getByRole('button', { name: 'Copy token' }).click();
    await shown.getByRole('button', { name: 'Close' }).click();
    await flagTexts(page);
    const cell = await row().locator('[data-cell=restrictions]').innerText();
    expect(cell).to.contain('[GET].*/rest/api/2/myself').and.to.contain('[QueryParam::jql==project = JRA.*]').and.to.contain('Only from: 127.0.0.1');
    await capture(page, `restrictions-list-${dbKind}`);
    expect(await curlStatus(`${host.url}/rest/api/2/myself`, 'admin', token)).to.equal(200);
    expect(await curlStatus(`${host.url}/rest/api/2/issuetype`, 'admin', token)).to.equal(403);
  });

  it('should change the rules in the edit dialog, where Advanced opens by itself for a restricted token', async () => {
    await row().getByRole('button', { name: 'Edit token Limited' }).click();
    const edit = dialog(page, 'Edit token');
    await edit.waitFor();
    const rules = edit.getByLabel('Restrictions (optional)');
    expect(await rules.isVisible()).to.equal(true);
    expect(await rules.inputValue()).to.contain('[GET].*/rest/api/2/myself');
    expect(await edit.getByLabel('Allowed IP addresses (optional)').inputValue()).to.equal('127.0.0.1');
    await rules.fill('[GET].*/rest/api/2/issuetype');
    await capture(page, `restrictions-edit-${dbKind}`);
    await edit.getByRole('button', { name: 'Save' }).click();
    expect(await flagTexts(page)).to.deep.equal(['Token saved.']);
    expect(await row().locator('[data-cell=restrictions]').innerText()).to.contain('[GET].*/rest/api/2/issuetype');
    expect(await curlStatus(`${host.url}/rest/api/2/issuetype`, 'admin', token)).to.equal(200);
    expect(await curlStatus(`${host.url}/rest/api/2/myself`, 'admin', token)).to.equal(403);
  });

  it('should mark restrictions this version cannot read, and have the edit dialog replace them whole', async () => {
    // What another version (or damage) may leave: the token is refused, and must not look unrestricted.
    await writeRows(host.dbUrl, `UPDATE "${JIRA_TOKEN_TABLE}" SET "RESTRICTIONS" = ? WHERE "DESCRIPTION" = ?`,
      ['{"rules":[{"urlPattern":".*/issuetype"}],"ipAllowlist":["127.0.0.1"', 'Limited']);
    await page.reload();
    await panelReady(page);
    const cell = row().locator('[data-cell=restrictions]');
    expect(await cell.locator('[data-mark=restrictions-unreadable]').textContent()).to.equal('Unreadable');
    expect(await cell.innerText()).to.not.contain('None');
    await row().getByRole('button', { name: 'Edit token Limited' }).click();
    const edit = dialog(page, 'Edit token');
    await edit.waitFor();
    expect(await edit.locator('[data-role=restrictions-unreadable]').isVisible()).to.equal(true);
    expect(await edit.getByLabel('Restrictions (optional)').inputValue()).to.equal('');
    // Only the allowlist typed: the dialog sends both parts, since nothing of the stored value can be kept.
    await edit.getByLabel('Allowed IP addresses (optional)').fill('127.0.0.1');
    await capture(page, `restrictions-unreadable-edit-${dbKind}`);
    await edit.getByRole('button', { name: 'Save' }).click();
    expect(await flagTexts(page)).to.deep.equal(['Token saved.']);
    expect(await cell.innerText()).to.contain('Only from: 127.0.0.1');
    expect(await cell.locator('[data-mark=restrictions-unreadable]').count()).to.equal(0);
    expect(await curlStatus(`${host.url}/rest/api/2/myself`, 'admin', token)).to.equal(200);
  });
});
