// Secure mode (apitokenauth.secure.mode=true): no snippets for a new token, restrictions read-only
// in the edit dialog, a note on the settings page.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { forEachDatabase } from '../../support/databases';
import type { TestHost } from '../../support/hostServer';
import { capture, curlStatus, dialog, flagTexts, loginWithForm, open, panelReady, SERVLET, settingsReady, useBrowserSuite } from './support/browser';

const PROFILE = '/secure/ViewProfile.jspa';

forEachDatabase('SecureModeUi', (dbKind) => {
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

  it('should let the name be edited but not the restrictions', async () => {
    await page.getByRole('button', { name: 'Edit token Locked down' }).click();
    const edit = dialog(page, 'Edit token');
    await edit.getByText('Advanced: restrictions and IP addresses').click();
    expect(await edit.getByLabel('Restrictions (optional)').getAttribute('readonly')).to.equal('');
    expect(await edit.innerText()).to.contain('Secure mode is on: the restrictions of a token cannot be changed');
    await capture(page, `secure-mode-edit-${dbKind}`);
    await edit.getByLabel('Name').fill('Still locked');
    await edit.getByRole('button', { name: 'Save' }).click();
    await page.locator('[data-role=tokens] tbody th', { hasText: 'Still locked' }).waitFor();
    await flagTexts(page);
  });

  it('should say on the settings page that secure mode is on', async () => {
    await open(page, host, `${SERVLET}/settings`);
    await settingsReady(page);
    await page.locator('[data-role=secure-mode]').waitFor();
    await capture(page, `secure-mode-settings-${dbKind}`);
  });
});
