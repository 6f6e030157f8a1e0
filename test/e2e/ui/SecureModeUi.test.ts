import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { forEachDatabase } from '../../support/databases';
import { startTestHost, type TestHost } from '../../support/hostServer';
import { curlStatus, launchChromium, loginWithForm, newHostContext, screenshot, SERVLET, uiPluginDescriptors } from './support/browser';

const PROFILE = '/secure/ViewProfile.jspa';

forEachDatabase('SecureModeUi', (dbKind) => {
  let host: TestHost;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  before(async function () {
    this.timeout(120000);
    host = await startTestHost({ product: 'jira', dbKind, descriptors: uiPluginDescriptors(), env: { HOSTSIM_SYSPROPS: 'apitokenauth.secure.mode=true' } });
    browser = await launchChromium();
    context = await newHostContext(browser, host);
    page = await context.newPage();
    page.setDefaultTimeout(10000);
  });
  // A failed step must not leave a modal dialog over the page for the next test.
  afterEach(async () => { await page?.evaluate(() => document.querySelectorAll('dialog[open]').forEach((d) => (d as HTMLDialogElement).close())); });
  after(async function () {
    this.timeout(60000);
    await context?.close();
    await browser?.close();
    await host?.stop();
  });

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
