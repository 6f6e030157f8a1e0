// Secure mode (apitokenauth.secure.mode=true): no snippets for a new token, no change and no
// regeneration of an existing token (only Delete is offered), a note on the settings page.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { forEachBrowserDatabase } from '../../support/databases';
import type { TestHost } from '../../support/hostServer';
import { capture, curlStatus, dialog, flagTexts, loginWithForm, open, panelReady, SERVLET, settingsReady, useBrowserSuite } from './support/browser';

const PROFILE = '/secure/ViewProfile.jspa';

forEachBrowserDatabase('SecureModeUi', 'sqlite', (dbKind) => {
  let host: TestHost;
  let page: Page;

  useBrowserSuite({ product: 'jira', dbKind, env: { HOSTSIM_SYSPROPS: 'apitokenauth.secure.mode=true' } }, (suite) => { ({ host, page } = suite); });

  it('should show a new token without code snippets', async () => {
    await loginWithForm(page, host, 'admin', 'admin', PROFILE);
    await panelReady(page);
    await page.getByRole('button', { name: 'Create token' }).click();
    const create = dialog(page, 'Create API token');
    expect(await create.innerText()).to.contain('Secure mode is on');
    await create.getByLabel('Name').fill('Locked down');
    await create.getByRole('button', { name: 'Create', exact: true }).click();
    const shown = dialog(page, 'Your new API token');
    await shown.waitFor();
    const token = await shown.getByLabel('Token', { exact: true }).inputValue();
    expect(await shown.locator('[data-snippet], details[data-role=snippets]').count()).to.equal(0);
    expect(await shown.locator('[data-role=secure-mode]').count()).to.equal(1);
    await capture(page, `secure-mode-new-token-${dbKind}`);
    await shown.getByRole('button', { name: 'Copy token' }).click();
    await shown.getByRole('button', { name: 'Close' }).click();
    await flagTexts(page);
    expect(await curlStatus(`${host.url}/rest/api/2/myself`, 'admin', token)).to.equal(200);
  });

  it('should offer only Delete for an existing token: no change and no regeneration after creation', async () => {
    const row = page.locator('[data-role=tokens] tbody tr', { has: page.locator('th', { hasText: 'Locked down' }) });
    expect(await row.locator('[data-cell=actions], td.ata-actions').getByRole('button').allInnerTexts()).to.deep.equal(['Delete']);
    expect(await page.getByRole('button', { name: 'Edit token Locked down' }).count()).to.equal(0);
    expect(await page.getByRole('button', { name: 'Regenerate token Locked down' }).count()).to.equal(0);
    await capture(page, `secure-mode-list-${dbKind}`);
    await row.getByRole('button', { name: 'Delete token Locked down' }).click();
    await dialog(page, 'Delete token?').getByRole('button', { name: 'Delete' }).click();
    await page.locator('[data-role=empty]').waitFor();
    await flagTexts(page);
  });

  it('should say on the settings page that secure mode is on', async () => {
    await open(page, host, `${SERVLET}/settings`);
    await settingsReady(page);
    await page.locator('[data-role=secure-mode]').waitFor();
    await capture(page, `secure-mode-settings-${dbKind}`);
  });
});
