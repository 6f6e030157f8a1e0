// The token panel on Jira's profile page, in English: create (name required and unique, the
// validity maximum flagged), the new token shown once (Copy, snippets under a disclosure,
// confirmation before closing uncopied), relative times, "expires soon" after the
// expiryWarningDays setting, sorting, rename, regenerate, delete, delete all, keyboard only.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { forEachBrowserDatabase } from '../../support/databases';
import type { TestHost } from '../../support/hostServer';
import {
  holdGets,
  API, capture, curlStatus, dialog, flagTexts, loginWithForm, panelReady, runShell, textOf, useBrowserSuite,
} from './support/browser';

const PROFILE = '/secure/ViewProfile.jspa';
const DAY = 864e5;

forEachBrowserDatabase('ProfileTokenPanel', 'sqlite', (dbKind) => {
  let host: TestHost;
  let page: Page;

  useBrowserSuite({ product: 'jira', dbKind }, (suite) => { ({ host, page } = suite); });

  const row = (name: string) => page.locator('[data-role=tokens] tbody tr', { has: page.locator('th', { hasText: name }) });
  const ownTokens = async (): Promise<Array<{ id: number; description: string; validUntil: number }>> =>
    (await host.request(`${API}/user/token`, { auth: ['admin', 'admin'] })).json;
  const createDialog = () => dialog(page, 'Create API token');
  const newTokenDialog = () => dialog(page, 'Your new API token');

  async function reloadPanel(): Promise<void> {
    await page.reload();
    await panelReady(page);
  }

  /** Creates a token in the dialog with the given name; returns the shown token (dialog left open). */
  async function createInDialog(name: string, months?: number): Promise<string> {
    await page.getByRole('button', { name: 'Create token' }).click();
    await createDialog().getByLabel('Name').fill(name);
    if (months !== undefined) await createDialog().getByLabel('Months', { exact: true }).fill(String(months));
    await createDialog().getByRole('button', { name: 'Create', exact: true }).click();
    await newTokenDialog().waitFor();
    return newTokenDialog().getByLabel('Token', { exact: true }).inputValue();
  }

  async function copyAndClose(): Promise<void> {
    await newTokenDialog().getByRole('button', { name: 'Copy token' }).click();
    await newTokenDialog().getByText('Copied to the clipboard.').waitFor();
    await newTokenDialog().getByRole('button', { name: 'Close' }).click();
    await newTokenDialog().waitFor({ state: 'detached' });
  }

  it('should log in and show the empty panel inside the profile page, with Administration and Log out in the header', async () => {
    await loginWithForm(page, host, 'admin', 'admin', PROFILE);
    await panelReady(page);
    expect(await textOf(page, '#apitokenauth-profile h2')).to.equal('API tokens');
    expect(await page.getByRole('link', { name: 'Log out' }).count()).to.equal(1);
    expect(await page.getByRole('link', { name: 'Administration' }).count()).to.equal(1);
    expect(await page.evaluate(() => typeof (window as unknown as { AJS?: unknown }).AJS)).to.equal('object');
    await capture(page, `profile-empty-${dbKind}`);
  });

  it('should offer a unique default name, fit 1280×720 with its button visible, and flag a missing name and a validity above the maximum', async () => {
    await page.getByRole('button', { name: 'Create token' }).click();
    const name = createDialog().getByLabel('Name');
    expect(await name.inputValue()).to.match(/^API Token from \w{3} \d{1,2}, \d{4}$/);
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).name)).to.equal('tokenDescription');
    const create = createDialog().getByRole('button', { name: 'Create', exact: true });
    const box = await create.boundingBox();
    expect(box, 'Create button on screen').to.not.equal(null);
    expect(box!.y + box!.height).to.be.at.most(720);
    expect((await createDialog().boundingBox())!.height).to.be.at.most(720);
    await capture(page, `profile-create-dialog-${dbKind}`);

    await name.fill('   ');
    await create.click();
    expect(await name.getAttribute('aria-invalid')).to.equal('true');
    expect(await createDialog().locator(`#${await name.getAttribute('id')}-error`).innerText()).to.equal('Enter a name for the token.');
    await name.fill('Too long');
    const months = createDialog().getByLabel('Months', { exact: true });
    await months.fill('13');
    await create.click();
    expect(await months.getAttribute('aria-invalid')).to.equal('true');
    expect(await createDialog().innerText()).to.contain('Your administrator allows at most 12 months.');
    await capture(page, `profile-create-errors-${dbKind}`);
    await createDialog().getByRole('button', { name: 'Cancel' }).click();
    expect(await ownTokens()).to.deep.equal([]);
  });

  it('should show a new token once, with one Copy button and snippets under a disclosure that work with curl', async () => {
    const token = await createInDialog('CI pipeline');
    expect(token).to.match(/^apitok_[A-Za-z0-9_]{30,}$/);
    expect(await newTokenDialog().getByRole('button', { name: /^Copy token$/ }).count()).to.equal(1);
    const snippets = newTokenDialog().locator('details[data-role=snippets]');
    expect(await snippets.evaluate((d) => (d as HTMLDetailsElement).open)).to.equal(false);
    expect(await newTokenDialog().locator('[data-snippet=curl-basic]').isVisible()).to.equal(false);
    await newTokenDialog().getByRole('button', { name: 'Copy token' }).click();
    await newTokenDialog().getByText('Copied to the clipboard.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).to.equal(token);

    await snippets.locator('summary').click();
    const basicSnippet = await page.locator('[data-snippet=curl-basic]').innerText();
    const bearerSnippet = await page.locator('[data-snippet=curl-bearer]').innerText();
    expect(basicSnippet).to.contain(token).and.to.contain(`${host.url}/rest/api/2/myself`);
    expect(await page.locator('[data-snippet=js-bearer]').innerText()).to.contain(`Bearer ${token}`);
    await capture(page, `profile-new-token-${dbKind}`);
    expect(JSON.parse(await runShell(basicSnippet)).name).to.equal('admin');
    expect(JSON.parse(await runShell(bearerSnippet)).name).to.equal('admin');
    expect(await curlStatus(`${host.url}/rest/api/2/myself`, 'admin', token)).to.equal(200);

    await newTokenDialog().getByRole('button', { name: 'Close' }).click();
    await newTokenDialog().waitFor({ state: 'detached' });
    expect(await flagTexts(page)).to.deep.equal(['Token "CI pipeline" created.']);
    await reloadPanel();
    // The three calls above are this node's unflushed last access: IP and count, times relative with the exact date
    // in hidden text (screen readers) and on hover.
    const lastUsed = row('CI pipeline').locator('[data-cell=last-used]');
    expect(await lastUsed.innerText()).to.match(/^(now|1 minute ago)\s+\(on [^)]+\)\s+from 127\.0\.0\.1 · 3 uses$/);
    expect(await lastUsed.locator('time').getAttribute('title')).to.match(/\d{4}, \d{1,2}:\d{2}\s[AP]M/);
    expect(await lastUsed.locator('time [data-role=exact-time]').textContent()).to.equal(` (on ${await lastUsed.locator('time').getAttribute('title')})`);
    expect(await row('CI pipeline').locator('[data-cell=expires]').innerText()).to.match(/^(next year|in 1[12] months)\s+\(on [^)]+\)$/);
    expect(await row('CI pipeline').locator('[data-cell=scope]').innerText()).to.equal('Read and write');
    await capture(page, `profile-list-${dbKind}`);
  });

  it('should ask before closing a token that was not copied, and offer a default name not yet taken', async () => {
    await page.getByRole('button', { name: 'Create token' }).click();
    const offered = await createDialog().getByLabel('Name').inputValue();
    await createDialog().getByRole('button', { name: 'Create', exact: true }).click();
    await newTokenDialog().waitFor();
    await page.keyboard.press('Escape');
    const confirm = dialog(page, 'Close without copying?');
    await confirm.waitFor();
    await capture(page, `profile-not-copied-${dbKind}`);
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    expect(await newTokenDialog().isVisible()).to.equal(true);
    await newTokenDialog().getByRole('button', { name: 'Close' }).click();
    await dialog(page, 'Close without copying?').getByRole('button', { name: 'Close without copying' }).click();
    await newTokenDialog().waitFor({ state: 'detached' });
    await flagTexts(page);

    await page.getByRole('button', { name: 'Create token' }).click();
    expect(await createDialog().getByLabel('Name').inputValue()).to.equal(`${offered} (2)`);
    await createDialog().getByLabel('Name').fill(offered.toUpperCase());
    await createDialog().getByRole('button', { name: 'Create', exact: true }).click();
    expect(await createDialog().innerText()).to.contain('There is already a token with this name.');
    await createDialog().getByRole('button', { name: 'Cancel' }).click();
    await reloadPanel();
    expect((await ownTokens()).map((t) => t.description).sort()).to.deep.equal(['CI pipeline', offered].sort());
    await row(offered).getByRole('button', { name: `Delete token ${offered}` }).click();
    await dialog(page, 'Delete token?').getByRole('button', { name: 'Delete' }).click();
    await row(offered).waitFor({ state: 'detached' });
    await flagTexts(page);
  });

  it('should mark tokens as expiring soon from the first expiryWarningDays mark, and as expired, on one line', async () => {
    const inFiveDays = new Date(Date.now() + 5 * DAY).toISOString();
    const res = await host.request(`${API}/user/token`, { method: 'POST', auth: ['admin', 'admin'], body: { tokenDescription: 'Short lived', tokenExpirationDateTime: inFiveDays } });
    expect(res.status, res.text).to.equal(200);
    await reloadPanel();
    const expires = row('Short lived').locator('[data-cell=expires]');
    expect(await expires.textContent()).to.match(/^in 5 days\s+\(on [^)]+\)\s+Expires soon$/);
    expect(await expires.locator('[data-mark=expires-soon]').getAttribute('class')).to.contain('aui-lozenge');
    for (const time of await page.locator('[data-role=tokens] time').all()) expect((await time.boundingBox())!.height).to.be.below(24);

    expect((await host.request(`${API}/admin/settings`, { method: 'PUT', auth: ['admin', 'admin'], body: { expiryWarningDays: [3, 1] } })).status).to.equal(200);
    await reloadPanel();
    expect(await expires.locator('[data-mark]').count()).to.equal(0);

    await host.runtime.clock.setOffsetMillis(6 * DAY);
    try {
      await reloadPanel();
      expect(await expires.textContent()).to.match(/^(yesterday|\d+ hours ago)\s+\(on [^)]+\)\s+Expired$/);
      await capture(page, `profile-expiry-states-${dbKind}`);
    } finally {
      await host.runtime.clock.setOffsetMillis(0);
      await host.request(`${API}/admin/settings`, { method: 'PUT', auth: ['admin', 'admin'], body: { expiryWarningDays: [7, 1] } });
    }
    await reloadPanel();
  });

  it('should sort by a column with the keyboard and say so to screen readers', async () => {
    const nameHeader = page.locator('[data-role=tokens] th[data-column=description]');
    await nameHeader.getByRole('button').focus();
    await page.keyboard.press('Enter');
    expect(await nameHeader.getAttribute('aria-sort')).to.equal('ascending');
    expect(await page.locator('[data-role=tokens] tbody th').allInnerTexts()).to.deep.equal(['CI pipeline', 'Short lived']);
    await page.keyboard.press('Enter');
    expect(await nameHeader.getAttribute('aria-sort')).to.equal('descending');
    expect(await page.locator('[data-role=tokens] tbody th').allInnerTexts()).to.deep.equal(['Short lived', 'CI pipeline']);
  });

  it('should rename a token, refusing the name of another token', async () => {
    await row('CI pipeline').getByRole('button', { name: 'Edit token CI pipeline' }).click();
    const edit = dialog(page, 'Edit token');
    await edit.getByLabel('Name').fill('short LIVED');
    await edit.getByRole('button', { name: 'Save' }).click();
    expect(await edit.innerText()).to.contain('There is already a token with this name.');
    await edit.getByLabel('Name').fill('Nightly export');
    await capture(page, `profile-edit-${dbKind}`);
    await edit.getByRole('button', { name: 'Save' }).click();
    await row('Nightly export').waitFor();
    expect(await flagTexts(page)).to.deep.equal(['Token saved.']);
    expect((await ownTokens()).map((t) => t.description).sort()).to.deep.equal(['Nightly export', 'Short lived']);
  });

  it('should regenerate a token with the default validity: the new secret is shown once and the old one stops working', async () => {
    const [before] = (await ownTokens()).filter((t) => t.description === 'Nightly export');
    const old = await createInDialog('Rotating', 1);
    await copyAndClose();
    await flagTexts(page);
    expect(await curlStatus(`${host.url}/rest/api/2/myself`, 'admin', old)).to.equal(200);
    await row('Rotating').getByRole('button', { name: 'Regenerate token Rotating' }).click();
    const regenerate = dialog(page, 'Regenerate token');
    expect(await regenerate.getByLabel('Months', { exact: true }).inputValue()).to.equal('12');
    await capture(page, `profile-regenerate-dialog-${dbKind}`);
    const sentAt = Date.now();
    await regenerate.getByRole('button', { name: 'Regenerate' }).click();
    const shown = dialog(page, 'Your regenerated API token');
    await shown.waitFor();
    const fresh = await shown.getByLabel('Token', { exact: true }).inputValue();
    expect(fresh).to.not.equal(old);
    await shown.getByRole('button', { name: 'Copy token' }).click();
    await shown.getByText('Copied to the clipboard.').waitFor();
    await shown.getByRole('button', { name: 'Close' }).click();
    expect((await flagTexts(page))[0]).to.match(/^Token "Rotating" regenerated\. It now expires on /);
    expect(await curlStatus(`${host.url}/rest/api/2/myself`, 'admin', old)).to.equal(401);
    expect(await curlStatus(`${host.url}/rest/api/2/myself`, 'admin', fresh)).to.equal(200);
    const tokens = await ownTokens();
    expect(tokens.map((t) => t.id)).to.include(before.id);
    // Renewed: about a year from now (the default), no longer the one month it was created with.
    expect(tokens.find((t) => t.description === 'Rotating')!.validUntil).to.be.above(sentAt + 300 * DAY);
  });

  it('should delete a token after confirmation, keep it when cancelled, and clear an error once a retry succeeds', async () => {
    await row('Rotating').getByRole('button', { name: 'Delete token Rotating' }).click();
    await dialog(page, 'Delete token?').getByRole('button', { name: 'Cancel' }).click();
    expect(await row('Rotating').count()).to.equal(1);
    // The first try meets an unavailable database: its error is shown, and gone once the retry succeeds.
    await page.route('**/user/token/*', (route) => (route.request().method() === 'DELETE' ? route.fulfill({ status: 503, body: '' }) : route.fallback()), { times: 1 });
    await row('Rotating').getByRole('button', { name: 'Delete token Rotating' }).click();
    await dialog(page, 'Delete token?').getByRole('button', { name: 'Delete' }).click();
    const alert = page.locator('#apitokenauth-profile [data-role=messages] [role=alert]');
    expect(await alert.innerText()).to.equal('The database is not available at the moment. Try again in a few minutes.');
    await row('Rotating').getByRole('button', { name: 'Delete token Rotating' }).click();
    await dialog(page, 'Delete token?').getByRole('button', { name: 'Delete' }).click();
    await row('Rotating').waitFor({ state: 'detached' });
    expect(await flagTexts(page)).to.deep.equal(['Token "Rotating" deleted.']);
    expect(await alert.count()).to.equal(0);
    expect((await ownTokens()).map((t) => t.description).sort()).to.deep.equal(['Nightly export', 'Short lived']);
  });

  it('should say that the tokens are loading, and offer no Delete all before they are there', async () => {
    // The list is held back: Delete all would confirm "All 0 of your tokens" and delete every one.
    const held = await holdGets(page, `**${API}/user/token`);
    try {
      await page.reload();
      const panel = page.locator('#apitokenauth-profile');
      const deleteAll = panel.getByRole('button', { name: 'Delete all tokens' });
      await deleteAll.waitFor();
      expect(await deleteAll.isDisabled()).to.equal(true);
      expect(await panel.getByRole('status').filter({ hasText: 'Loading...' }).count()).to.equal(1);
      held.release();
      await panelReady(page);
      expect(await deleteAll.isDisabled()).to.equal(false);
      expect(await panel.getByRole('status').filter({ hasText: 'Loading...' }).count()).to.equal(0);
    } finally {
      await held.stop();
    }
  });

  it('should delete all own tokens, naming the count in correct plural', async () => {
    await page.getByRole('button', { name: 'Delete all tokens' }).click();
    const confirm = dialog(page, 'Delete all your tokens?');
    expect(await confirm.innerText()).to.contain('All 2 of your tokens will stop working at once.');
    await confirm.getByRole('button', { name: 'Delete all', exact: true }).click();
    await page.locator('#apitokenauth-profile [data-role=empty]').waitFor();
    expect(await flagTexts(page)).to.deep.equal(['Deleted all 2 of your tokens.']);
    expect(await ownTokens()).to.deep.equal([]);

    expect((await host.request(`${API}/user/token`, { method: 'POST', auth: ['admin', 'admin'], body: { tokenDescription: 'Only one' } })).status).to.equal(200);
    await reloadPanel();
    await page.getByRole('button', { name: 'Delete all tokens' }).click();
    expect(await dialog(page, 'Delete all your tokens?').innerText()).to.contain('Your token will stop working at once.');
    await dialog(page, 'Delete all your tokens?').getByRole('button', { name: 'Delete all', exact: true }).click();
    expect(await flagTexts(page)).to.deep.equal(['Deleted your token.']);
  });

  it('should be usable with the keyboard alone: create, copy, close, delete', async () => {
    await page.getByRole('button', { name: 'Create token' }).focus();
    await page.keyboard.press('Enter');
    await createDialog().waitFor();
    await page.waitForFunction(() => (document.activeElement as HTMLInputElement | null)?.name === 'tokenDescription');
    await page.keyboard.type('Typed only');
    await page.keyboard.press('Enter');
    await newTokenDialog().waitFor();
    await page.waitForFunction(() => document.activeElement?.textContent === 'Copy token');
    await page.keyboard.press('Enter');
    await newTokenDialog().getByText('Copied to the clipboard.').waitFor();
    await page.keyboard.press('Escape');
    await newTokenDialog().waitFor({ state: 'detached' });
    await page.waitForFunction(() => document.activeElement?.textContent === 'Create token');
    await flagTexts(page);
    await row('Typed only').getByRole('button', { name: 'Delete token Typed only' }).focus();
    await page.keyboard.press('Enter');
    await dialog(page, 'Delete token?').waitFor();
    // Focus starts on Cancel for a destructive confirmation; Shift+Tab reaches Delete.
    await page.waitForFunction(() => document.activeElement?.textContent === 'Cancel');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await row('Typed only').waitFor({ state: 'detached' });
    expect(await ownTokens()).to.deep.equal([]);
    await flagTexts(page);
  });

  it('should create a token valid until the end of a day picked in the user\'s time zone', async () => {
    // India has no daylight saving time: the end of any day there is at 23:59:59.999+05:30.
    await host.runtime.users.updateUser('admin', { timeZone: 'Asia/Kolkata' });
    await reloadPanel();
    const day = new Date(Date.now() + 60 * DAY).toISOString().slice(0, 10);
    await page.getByRole('button', { name: 'Create token' }).click();
    await createDialog().getByLabel('Name').fill('Until a day');
    await createDialog().getByText('Until a date', { exact: true }).click();
    const date = createDialog().getByLabel('Expiry date');
    await date.fill(day);
    await page.locator('.aui-datepicker-dialog').first().waitFor();
    await capture(page, `profile-date-picker-${dbKind}`);
    await createDialog().getByRole('button', { name: 'Create', exact: true }).click();
    await newTokenDialog().waitFor();
    await copyAndClose();
    await flagTexts(page);
    const token = (await ownTokens()).find((t) => t.description === 'Until a day')!;
    expect(token.validUntil).to.equal(Date.parse(`${day}T23:59:59.999+05:30`));
    expect(await row('Until a day').locator('[data-cell=expires] time').getAttribute('title')).to.contain('11:59 PM');
    await host.request(`${API}/user/token/deleteAllFor/admin`, { method: 'DELETE', auth: ['admin', 'admin'] });
    await host.runtime.users.updateUser('admin', { timeZone: 'UTC' });
    await reloadPanel();
  });

  it('should close only the calendar on Escape, keeping the create dialog and what was typed', async () => {
    await page.getByRole('button', { name: 'Create token' }).click();
    await createDialog().getByLabel('Name').fill('Kept on Escape');
    await createDialog().getByText('Until a date', { exact: true }).click();
    const date = createDialog().getByLabel('Expiry date');
    await date.focus();
    await page.waitForFunction(() => document.querySelector('input[name=tokenExpirationDateTime]')?.getAttribute('aria-expanded') === 'true');
    await date.press('Escape');
    await page.waitForFunction(() => document.querySelector('input[name=tokenExpirationDateTime]')?.getAttribute('aria-expanded') !== 'true');
    expect(await createDialog().count(), 'the create dialog is still open').to.equal(1);
    expect(await createDialog().getByLabel('Name').inputValue()).to.equal('Kept on Escape');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).to.equal('tokenExpirationDateTime');
    // A second Escape, with the calendar closed, is the dialog's again.
    await date.press('Escape');
    await createDialog().waitFor({ state: 'detached' });
  });

  it('should show the API\'s field error next to its field under Advanced, and create nothing', async () => {
    await page.getByRole('button', { name: 'Create token' }).click();
    await createDialog().getByLabel('Name').fill('Refused');
    await createDialog().getByText('Advanced: restrictions and IP addresses').click();
    const ips = createDialog().getByLabel('Allowed IP addresses (optional)');
    await ips.fill('not-an-ip');
    await createDialog().getByRole('button', { name: 'Create', exact: true }).click();
    await createDialog().locator('.aui-message-error').waitFor();
    expect(await ips.getAttribute('aria-invalid')).to.equal('true');
    expect((await createDialog().locator(`#${await ips.getAttribute('id')}-error`).innerText()).length).to.be.greaterThan(5);
    await capture(page, `profile-create-api-error-${dbKind}`);
    await createDialog().getByRole('button', { name: 'Cancel' }).click();
    expect(await ownTokens()).to.deep.equal([]);
  });
});
