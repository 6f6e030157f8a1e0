import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { forEachDatabase } from '../../support/databases';
import type { TestHost } from '../../support/hostServer';
import { API, curlStatus, loginWithForm, runShell, screenshot, textOf, useBrowserSuite } from './support/browser';

const PROFILE = '/secure/ViewProfile.jspa';

forEachDatabase('ProfileTokenPanel', (dbKind) => {
  let host: TestHost;
  let page: Page;

  useBrowserSuite({ product: 'jira', dbKind }, (suite) => { ({ host, page } = suite); });

  const row = (description: string) => page.locator('[data-role=tokens] tbody tr', { has: page.locator('th', { hasText: description }) });
  const ownTokens = async (): Promise<Array<{ id: number; description: string; validUntil: number }>> =>
    (await host.request(`${API}/user/token`, { auth: ['admin', 'admin'] })).json;

  async function createInDialog(description: string): Promise<string> {
    await page.getByRole('button', { name: 'Create token' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create API token' });
    await dialog.getByLabel('Description').fill(description);
    await dialog.getByRole('button', { name: 'Create' }).click();
    const shown = page.getByRole('dialog', { name: 'Your new API token' });
    await shown.waitFor();
    return shown.getByLabel('Token', { exact: true }).inputValue();
  }

  async function closeNewTokenDialog(): Promise<void> {
    await page.getByRole('button', { name: 'Done' }).click();
    await page.locator('dialog').waitFor({ state: 'detached' });
  }

  it('should log in at /login.jsp and show the empty token panel on the profile page', async () => {
    await loginWithForm(page, host, 'admin', 'admin', PROFILE);
    await page.locator('#apitokenauth-profile [data-role=empty]').waitFor();
    expect(await textOf(page, '#apitokenauth-profile h2')).to.equal('API tokens');
    await screenshot(page, `profile-empty-${dbKind}`);
  });

  it('should create a token, show it once with a working copy button and snippets that work with curl', async () => {
    const token = await createInDialog('CI pipeline');
    expect(token).to.match(/^[A-Za-z0-9_]{30,}$/);
    await page.getByRole('button', { name: 'Copy token' }).click();
    await page.getByText('Copied to the clipboard.').first().waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).to.equal(token);

    const basicSnippet = await page.locator('[data-snippet=curl-basic]').innerText();
    const bearerSnippet = await page.locator('[data-snippet=curl-bearer]').innerText();
    expect(basicSnippet).to.contain(token).and.to.contain(`${host.url}/rest/api/2/myself`);
    expect(await page.locator('[data-snippet=js-bearer]').innerText()).to.contain(`Bearer ${token}`);
    await screenshot(page, `profile-new-token-${dbKind}`);
    // The snippets run as written (`curl … URL`): the host answers with the token's owner.
    expect(JSON.parse(await runShell(`${basicSnippet} -s`)).name).to.equal('admin');
    expect(JSON.parse(await runShell(`${bearerSnippet} -s`)).name).to.equal('admin');
    expect(await curlStatus(`${host.url}/rest/api/2/myself`, 'admin', token)).to.equal(200);

    await closeNewTokenDialog();
    await page.reload();
    await row('CI pipeline').waitFor();
    // The three calls above are this node's unflushed last access: the list shows them with the client IP.
    expect(await row('CI pipeline').locator('[data-cell=last-used]').innerText()).to.match(/from 127\.0\.0\.1[\s\S]*Uses: 3/);
    expect(await row('CI pipeline').locator('[data-cell=scope]').innerText()).to.contain('Read and write');
    await screenshot(page, `profile-list-${dbKind}`);
  });

  it('should rename a token in place', async () => {
    await row('CI pipeline').getByRole('button', { name: 'Edit token CI pipeline' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit token' });
    await dialog.getByLabel('Description').fill('Nightly export');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await row('Nightly export').waitFor();
    expect((await ownTokens()).map((t) => t.description)).to.deep.equal(['Nightly export']);
  });

  it('should rotate a token: the new secret is shown once and the old one stops working', async () => {
    const [before] = await ownTokens();
    const old = await createInDialog('Rotating');
    await closeNewTokenDialog();
    expect(await curlStatus(`${host.url}/rest/api/2/myself`, 'admin', old)).to.equal(200);
    await row('Rotating').getByRole('button', { name: 'Rotate token Rotating' }).click();
    await page.getByRole('dialog', { name: 'Rotate token?' }).getByRole('button', { name: 'Rotate' }).click();
    const shown = page.getByRole('dialog', { name: 'Your rotated API token' });
    await shown.waitFor();
    const fresh = await shown.getByLabel('Token', { exact: true }).inputValue();
    expect(fresh).to.not.equal(old);
    await closeNewTokenDialog();
    expect(await curlStatus(`${host.url}/rest/api/2/myself`, 'admin', old)).to.equal(401);
    expect(await curlStatus(`${host.url}/rest/api/2/myself`, 'admin', fresh)).to.equal(200);
    expect((await ownTokens()).map((t) => t.id)).to.include(before.id);
  });

  it('should delete a token after confirmation, and keep it when cancelled', async () => {
    await row('Rotating').getByRole('button', { name: 'Delete token Rotating' }).click();
    await page.getByRole('dialog', { name: 'Delete token?' }).getByRole('button', { name: 'Cancel' }).click();
    expect(await row('Rotating').count()).to.equal(1);
    await row('Rotating').getByRole('button', { name: 'Delete token Rotating' }).click();
    await page.getByRole('dialog', { name: 'Delete token?' }).getByRole('button', { name: 'Delete' }).click();
    await row('Rotating').waitFor({ state: 'detached' });
    expect((await ownTokens()).map((t) => t.description)).to.deep.equal(['Nightly export']);
  });

  it('should delete all own tokens', async () => {
    for (const d of ['Second', 'Third']) {
      const res = await host.request(`${API}/user/token`, { method: 'POST', auth: ['admin', 'admin'], body: { tokenDescription: d } });
      expect(res.status).to.equal(200);
    }
    await page.reload();
    await row('Third').waitFor();
    await page.getByRole('button', { name: 'Delete all tokens' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete all your tokens?' });
    expect(await dialog.innerText()).to.contain('3');
    await dialog.getByRole('button', { name: 'Delete all tokens' }).click();
    await page.locator('#apitokenauth-profile [data-role=empty]').waitFor();
    expect(await ownTokens()).to.deep.equal([]);
  });

  it('should be usable with the keyboard alone', async () => {
    await page.getByRole('button', { name: 'Create token' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Create API token' });
    await dialog.waitFor();
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).name)).to.equal('tokenDescription');
    await page.keyboard.type('Typed only');
    await page.keyboard.press('Enter');
    const shown = page.getByRole('dialog', { name: 'Your new API token' });
    await shown.waitFor();
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).name)).to.equal('plainTextToken');
    await page.keyboard.press('Escape');
    await page.locator('dialog').waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.textContent)).to.equal('Create token');
    await row('Typed only').getByRole('button', { name: 'Delete token Typed only' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Delete token?' }).waitFor();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await row('Typed only').waitFor({ state: 'detached' });
    expect(await ownTokens()).to.deep.equal([]);
  });

  it('should create a token valid until the end of a chosen day in the user\'s time zone', async () => {
    // India has no daylight saving time: the end of any day there is at 23:59:59.999+05:30.
    await host.runtime.users.updateUser('admin', { timeZone: 'Asia/Kolkata' });
    await page.reload();
    const day = new Date(Date.now() + 60 * 864e5).toISOString().slice(0, 10);
    await page.getByRole('button', { name: 'Create token' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create API token' });
    await dialog.getByLabel('Description').fill('Until a day');
    await dialog.getByLabel('Until a date').check();
    await dialog.getByLabel('Expiry date').fill(day);
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('dialog', { name: 'Your new API token' }).waitFor();
    await closeNewTokenDialog();
    const token = (await ownTokens()).find((t) => t.description === 'Until a day')!;
    expect(token.validUntil).to.equal(Date.parse(`${day}T23:59:59.999+05:30`));
    expect(await row('Until a day').locator('[data-cell=expires]').innerText()).to.contain('11:59 PM');
    await host.request(`${API}/user/token/deleteAllFor/admin`, { method: 'DELETE', auth: ['admin', 'admin'] });
    await host.runtime.users.updateUser('admin', { timeZone: 'UTC' });
    await page.reload();
  });

  it('should show the API error message when a create is refused', async () => {
    await page.getByRole('button', { name: 'Create token' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create API token' });
    await dialog.getByLabel('Description').fill('x'.repeat(255));
    await dialog.getByLabel('Until a date').check();
    await dialog.getByLabel('Expiry date').fill('2000-01-01');
    await dialog.getByRole('button', { name: 'Create' }).click();
    const alert = dialog.locator('.ata-message-error');
    await alert.waitFor();
    expect((await alert.innerText()).length).to.be.greaterThan(5);
    await screenshot(page, `profile-create-error-${dbKind}`);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await ownTokens()).to.deep.equal([]);
  });
});
