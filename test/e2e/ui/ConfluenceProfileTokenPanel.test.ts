import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { forEachDatabase } from '../../support/databases';
import type { TestHost } from '../../support/hostServer';
import { loginWithForm, runShell, screenshot, SERVLET, textOf, useBrowserSuite } from './support/browser';

const PROFILE = '/users/viewmyprofile.action';

forEachDatabase('ConfluenceProfileTokenPanel', (dbKind) => {
  let host: TestHost;
  let page: Page;

  useBrowserSuite({ product: 'confluence', dbKind }, (suite) => { ({ host, page } = suite); });

  it('should create a token on the Confluence profile page whose snippets call the Confluence API', async () => {
    expect(host.url).to.match(/\/confluence$/);
    await loginWithForm(page, host, 'admin', 'admin', PROFILE);
    await page.getByRole('button', { name: 'Create token' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create API token' });
    await dialog.getByLabel('Description').fill('Confluence sync');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('dialog', { name: 'Your new API token' }).waitFor();
    const snippet = await page.locator('[data-snippet=curl-basic]').innerText();
    expect(snippet).to.contain(`${host.url}/rest/api/user/current`);
    await screenshot(page, `confluence-new-token-${dbKind}`);
    expect(JSON.parse(await runShell(`${snippet} -s`)).username).to.equal('admin');
    expect(JSON.parse(await runShell(`${await page.locator('[data-snippet=curl-bearer]').innerText()} -s`)).username).to.equal('admin');
    await page.getByRole('button', { name: 'Done' }).click();
    await page.locator('[data-role=tokens] tbody tr', { hasText: 'Confluence sync' }).waitFor();
  });

  it('should frame the Token Manager as Confluence administration', async () => {
    await page.goto(`${host.url}${SERVLET}/admin`);
    await page.locator('[data-role=summary]').waitFor();
    expect(await textOf(page, '.ata-header-product')).to.equal('Confluence administration');
    expect(await page.getByRole('link', { name: 'Your profile' }).getAttribute('href')).to.equal(new URL(`${host.url}${PROFILE}`).pathname);
    expect(await textOf(page, '[data-role=summary]')).to.equal('Showing 1-1 of 1 tokens');
    await screenshot(page, `confluence-token-manager-${dbKind}`);
  });
});
