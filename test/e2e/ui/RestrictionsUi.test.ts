import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { forEachDatabase } from '../../support/databases';
import type { TestHost } from '../../support/hostServer';
import { curlStatus, loginWithForm, screenshot, useBrowserSuite } from './support/browser';

const PROFILE = '/secure/ViewProfile.jspa';

forEachDatabase('RestrictionsUi', (dbKind) => {
  let host: TestHost;
  let page: Page;
  let token: string;

  useBrowserSuite({ product: 'jira', dbKind }, (suite) => { ({ host, page } = suite); });

  const row = () => page.locator('[data-role=tokens] tbody tr', { has: page.locator('th', { hasText: 'Limited' }) });

  it('should show an invalid rule\'s message next to the restrictions field and create nothing', async () => {
    await loginWithForm(page, host, 'admin', 'admin', PROFILE);
    await page.getByRole('button', { name: 'Create token' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create API token' });
    await dialog.getByLabel('Description').fill('Limited');
    const rules = dialog.getByLabel('Restrictions (optional)');
    await rules.fill('[GET].*/rest/api/2/(myself');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.locator('.ata-message-error').waitFor();
    expect(await rules.getAttribute('aria-invalid')).to.equal('true');
    expect((await dialog.locator(`#${await rules.getAttribute('id')}-error`).innerText()).length).to.be.greaterThan(3);
    await screenshot(page, `restrictions-error-${dbKind}`);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await page.locator('[data-role=empty]').count()).to.equal(1);
  });

  it('should create a restricted token that the filter then holds to its rules', async () => {
    await page.getByRole('button', { name: 'Create token' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create API token' });
    await dialog.getByLabel('Description').fill('Limited');
    await dialog.getByLabel('Restrictions (optional)').fill('[GET].*/rest/api/2/myself\n.*/rest/api/2/search[QueryParam::jql==project = JRA.*]');
    await dialog.getByLabel('Allowed IP addresses (optional)').fill('127.0.0.1');
    await dialog.getByRole('button', { name: 'Create' }).click();
    const shown = page.getByRole('dialog', { name: 'Your new API token' });
    await shown.waitFor();
    token = await shown.getByLabel('Token', { exact: true }).inputValue();
    await page.getByRole('button', { name: 'Done' }).click();
    const cell = await row().locator('[data-cell=restrictions]').innerText();
    expect(cell).to.contain('[GET].*/rest/api/2/myself').and.to.contain('[QueryParam::jql==project = JRA.*]').and.to.contain('Only from: 127.0.0.1');
    await screenshot(page, `restrictions-list-${dbKind}`);
    expect(await curlStatus(`${host.url}/rest/api/2/myself`, 'admin', token)).to.equal(200);
    expect(await curlStatus(`${host.url}/rest/api/2/issuetype`, 'admin', token)).to.equal(403);
  });

  it('should change the rules in the edit dialog', async () => {
    await row().getByRole('button', { name: 'Edit token Limited' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit token' });
    const rules = dialog.getByLabel('Restrictions (optional)');
    expect(await rules.inputValue()).to.contain('[GET].*/rest/api/2/myself');
    await rules.fill('[GET].*/rest/api/2/issuetype');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Token saved.').waitFor();
    expect(await row().locator('[data-cell=restrictions]').innerText()).to.contain('[GET].*/rest/api/2/issuetype');
    expect(await curlStatus(`${host.url}/rest/api/2/issuetype`, 'admin', token)).to.equal(200);
    expect(await curlStatus(`${host.url}/rest/api/2/myself`, 'admin', token)).to.equal(403);
  });
});
