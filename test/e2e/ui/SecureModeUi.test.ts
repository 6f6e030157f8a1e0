import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { forEachDatabase } from '../../support/databases';
import type { TestHost } from '../../support/hostServer';
import { curlStatus, loginWithForm, screenshot, SERVLET, useBrowserSuite } from './support/browser';

const PROFILE = '/secure/ViewProfile.jspa';

forEachDatabase('SecureModeUi', (dbKind) => {
  let host: TestHost;
  let page: Page;

  useBrowserSuite({ product: 'jira', dbKind, env: { HOSTSIM_SYSPROPS: 'apitokenauth.secure.mode=true' } }, (suite) => { ({ host, page } = suite); });

  it('should show a new token without code snippets', async () => {
    await loginWithForm(page, host, 'admin', 'admin', PROFILE);
    await page.getByRole('button', { name: 'Create token' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create API token' });
    expect(await dialog.innerText()).to.contain('Secure mode is on');
    await dialog.getByLabel('Description').fill('Locked down');
    await dialog.getByRole('button', { name: 'Create' }).click();
    const shown = page.getByRole('dialog', { name: 'Your new API token' });
    await shown.waitFor();
    const token = await shown.getByLabel('Token', { exact: true }).inputValue();
    expect(await shown.locator('[data-snippet]').count()).to.equal(0);
    expect(await shown.locator('[data-role=secure-mode]').count()).to.equal(1);
    await screenshot(page, `secure-mode-new-token-${dbKind}`);
    await page.getByRole('button', { name: 'Done' }).click();
    expect(await curlStatus(`${host.url}/rest/api/2/myself`, 'admin', token)).to.equal(200);
  });

  it('should let the description be edited but not the restrictions', async () => {
    await page.getByRole('button', { name: 'Edit token Locked down' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit token' });
    expect(await dialog.getByLabel('Restrictions (optional)').getAttribute('readonly')).to.equal('');
    await dialog.getByLabel('Description').fill('Still locked');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.locator('[data-role=tokens] tbody th', { hasText: 'Still locked' }).waitFor();
  });

  it('should say on the settings page that secure mode is on', async () => {
    await page.goto(`${host.url}${SERVLET}/settings`);
    await page.locator('[data-role=secure-mode]').waitFor();
  });
});
