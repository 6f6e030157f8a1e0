// Regenerate = renew from the pages (issue 13): the regenerate dialog on the profile panel
// (a new expiry chosen as on create, above the maximum flagged and nothing sent; the new secret
// shown once, the old one refused), on an expired token (offered to the signed-in owner, while
// the server refuses it through a token), and in the Token Manager for an administrator, who
// can also edit another user's token there (name and, on request, the expiry), and for a
// system administrator, who can regenerate a user-less token there too.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { addMonthsUtc } from '../../../plugin/service/TokenValidity';
import { forEachBrowserDatabase } from '../../support/databases';
import type { TestHost } from '../../support/hostServer';
import {
  API, capture, chooseRowAction, createHostUser, curlStatus, dialog, flagTexts, loginWithForm, managerReady, open, panelReady, SERVLET, useBrowserSuite,
} from './support/browser';

const PROFILE = '/secure/ViewProfile.jspa';
const MYSELF = '/rest/api/2/myself';
const DAY = 864e5;

interface RestToken { id: number; description: string; validUntil: number }

forEachBrowserDatabase('RegenerateUi', 'mariadb', (dbKind) => {
  let host: TestHost;
  let page: Page;

  useBrowserSuite({ product: 'jira', dbKind }, (suite) => {
    ({ host, page } = suite);
    // A machine shared with other suites can be slow to answer; the steps wait, they are not timed.
    page.setDefaultTimeout(30_000);
  });

  const row = (name: string) => page.locator('[data-role=tokens] tbody tr', { has: page.locator('th', { hasText: name }) });
  const tokensOf = async (user: string): Promise<RestToken[]> => (await host.request(`${API}/user/token`, { auth: [user, user === 'admin' ? 'admin' : user] })).json;
  const tokenNamed = async (user: string, name: string): Promise<RestToken> => (await tokensOf(user)).find((t) => t.description === name)!;
  const hostNow = (): number => host.runtime.clock.now();

  async function createByRest(user: string, body: Record<string, unknown>): Promise<{ id: number; plainTextToken: string }> {
    const res = await host.request(`${API}/user/token`, { method: 'POST', auth: [user, user === 'admin' ? 'admin' : user], body });
    expect(res.status, res.text).to.equal(200);
    return res.json;
  }

  async function closeNewToken(title: string | RegExp): Promise<string> {
    const shown = dialog(page, title);
    await shown.waitFor();
    const secret = await shown.getByLabel('Token', { exact: true }).inputValue();
    await shown.getByRole('button', { name: 'Copy token' }).click();
    await shown.getByText('Copied to the clipboard.').waitFor();
    await shown.getByRole('button', { name: 'Close' }).click();
    await shown.waitFor({ state: 'detached' });
    return secret;
  }

  it('should regenerate with a chosen number of months, flag a validity above the maximum without sending it, and refuse the old secret', async function () {
    this.timeout(120_000);
    const old = await createByRest('admin', { tokenDescription: 'Deploy bot', tokenValidityTimeInMonths: 1 });
    const before = await tokenNamed('admin', 'Deploy bot');
    await loginWithForm(page, host, 'admin', 'admin', PROFILE);
    await panelReady(page);
    await row('Deploy bot').getByRole('button', { name: 'Regenerate token Deploy bot' }).click();
    const regenerate = dialog(page, 'Regenerate token');
    expect(await regenerate.locator('[data-role=intro]').innerText()).to.contain('Token "Deploy bot" gets a new secret and a new expiry');
    expect(await regenerate.locator('[data-role=current-expiry]').innerText()).to.match(/^Current expiry: /);
    const months = regenerate.getByLabel('Months', { exact: true });
    expect(await months.inputValue(), 'preset to the default validity').to.equal('12');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).name)).to.equal('tokenValidityTimeInMonths');

    await months.fill('13');
    await regenerate.getByRole('button', { name: 'Regenerate' }).click();
    expect(await months.getAttribute('aria-invalid')).to.equal('true');
    expect(await regenerate.locator(`#${await months.getAttribute('id')}-error`).innerText()).to.equal('Your administrator allows at most 12 months.');
    await capture(page, `regenerate-above-maximum-${dbKind}`);
    expect((await tokenNamed('admin', 'Deploy bot')).validUntil, 'nothing sent').to.equal(before.validUntil);
    expect(await curlStatus(`${host.url}${MYSELF}`, 'admin', old.plainTextToken)).to.equal(200);

    await months.fill('3');
    const sentFrom = hostNow();
    await regenerate.getByRole('button', { name: 'Regenerate' }).click();
    const fresh = await closeNewToken('Your regenerated API token');
    const sentUntil = hostNow();
    expect((await flagTexts(page))[0]).to.match(/^Token "Deploy bot" regenerated\. It now expires on /);
    const after = await tokenNamed('admin', 'Deploy bot');
    expect(after.id).to.equal(before.id);
    expect(after.validUntil).to.be.within(addMonthsUtc(sentFrom, 3), addMonthsUtc(sentUntil, 3));
    expect(fresh).to.not.equal(old.plainTextToken);
    expect(await curlStatus(`${host.url}${MYSELF}`, 'admin', old.plainTextToken)).to.equal(401);
    expect(await curlStatus(`${host.url}${MYSELF}`, 'admin', fresh)).to.equal(200);
    // Focus is back on the row's Regenerate button.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).to.equal('Regenerate token Deploy bot');
  });

  it('should offer Regenerate (not Edit) on an expired token and renew it until a chosen day, which a token cannot do', async function () {
    this.timeout(120_000);
    const expiring = await createByRest('admin', { tokenDescription: 'Old cron', tokenExpirationDateTimeMillis: hostNow() + 2 * DAY });
    const helper = await createByRest('admin', { tokenDescription: 'Helper', tokenValidityTimeInMonths: 6 });
    await host.runtime.clock.setOffsetMillis(3 * DAY);
    try {
      // The server's rule, which the page leaves to the server: through a token, an expired token stays expired.
      const byToken = await host.request(`${API}/user/token/${expiring.id}/rotate`, { method: 'POST', auth: ['admin', helper.plainTextToken], body: {} });
      expect(byToken.status, byToken.text).to.equal(400);
      expect(await curlStatus(`${host.url}${MYSELF}`, 'admin', expiring.plainTextToken)).to.equal(401);

      await page.reload();
      await panelReady(page);
      expect(await row('Old cron').locator('[data-mark=expired]').count()).to.equal(1);
      expect(await row('Old cron').getByRole('button', { name: 'Edit token Old cron' }).count()).to.equal(0);
      await row('Old cron').getByRole('button', { name: 'Regenerate token Old cron' }).click();
      const regenerate = dialog(page, 'Regenerate token');
      expect(await regenerate.locator('[data-role=expired]').innerText()).to.match(/^This token expired (yesterday|\d+ hours ago)\. Regenerating it makes it work again/);
      await regenerate.getByText('Until a date', { exact: true }).click();
      const day = new Date(hostNow() + 10 * DAY).toISOString().slice(0, 10);
      await regenerate.getByLabel('Expiry date').fill(day);
      await page.locator('.aui-datepicker-dialog').first().waitFor();
      await capture(page, `regenerate-expired-${dbKind}`);
      await regenerate.getByRole('button', { name: 'Regenerate' }).click();
      const fresh = await closeNewToken('Your regenerated API token');
      await flagTexts(page);
      const renewed = await tokenNamed('admin', 'Old cron');
      expect(renewed.validUntil).to.be.within(hostNow() + 9 * DAY, hostNow() + 11 * DAY);
      expect(await row('Old cron').locator('[data-mark=expired]').count()).to.equal(0);
      expect(await curlStatus(`${host.url}${MYSELF}`, 'admin', fresh)).to.equal(200);
      expect(await curlStatus(`${host.url}${MYSELF}`, 'admin', expiring.plainTextToken)).to.equal(401);
    } finally {
      await host.runtime.clock.setOffsetMillis(0);
    }
  });

  it('should let an administrator edit and regenerate another user\'s token from the Token Manager', async function () {
    this.timeout(120_000);
    await createHostUser(host, 'jira', 'bob', 'Bob Builder');
    const old = await createByRest('bob', { tokenDescription: 'Bob nightly', tokenValidityTimeInMonths: 1 });
    await open(page, host, `${SERVLET}/admin`);
    await managerReady(page);
    const bobRow = (name: string) => page.locator('tbody tr', { has: page.locator('th', { hasText: name }) });
    await chooseRowAction(page, bobRow('Bob nightly').getByRole('button', { name: 'Actions for token Bob nightly of Bob Builder (bob)' }), 'Edit');
    const edit = dialog(page, 'Edit token');
    await edit.getByLabel('Name').fill('Bob nightly export');
    expect(await edit.getByLabel('Months', { exact: true }).isVisible(), 'expiry fields only on request').to.equal(false);
    await edit.locator('label', { hasText: 'Set a new expiry' }).click();
    await edit.getByLabel('Months', { exact: true }).fill('4');
    await capture(page, `regenerate-manager-edit-${dbKind}`);
    const editedFrom = hostNow();
    await edit.getByRole('button', { name: 'Save' }).click();
    await bobRow('Bob nightly export').waitFor();
    expect(await flagTexts(page)).to.deep.equal(['Token saved.']);
    const [edited] = await tokensOf('bob');
    expect(edited.description).to.equal('Bob nightly export');
    expect(edited.validUntil).to.be.within(addMonthsUtc(editedFrom, 4), addMonthsUtc(hostNow(), 4));
    // The secret is unchanged by an edit.
    expect(await curlStatus(`${host.url}${MYSELF}`, 'bob', old.plainTextToken)).to.equal(200);

    await chooseRowAction(page, bobRow('Bob nightly export').getByRole('button', { name: 'Actions for token Bob nightly export of Bob Builder (bob)' }), 'Regenerate');
    const regenerate = dialog(page, 'Regenerate token');
    expect(await regenerate.locator('[data-role=intro]').innerText()).to.contain('Token "Bob nightly export" of Bob Builder (bob) gets a new secret');
    await regenerate.getByLabel('Months', { exact: true }).fill('2');
    await capture(page, `regenerate-manager-dialog-${dbKind}`);
    const sentFrom = hostNow();
    await regenerate.getByRole('button', { name: 'Regenerate' }).click();
    const shown = dialog(page, 'Regenerated API token of Bob Builder (bob)');
    await shown.waitFor();
    await shown.locator('details[data-role=snippets] summary').click();
    expect(await shown.locator('[data-snippet=curl-basic]').innerText()).to.contain('-u \'bob:');
    await capture(page, `regenerate-manager-new-token-${dbKind}`);
    const fresh = await closeNewToken('Regenerated API token of Bob Builder (bob)');
    expect((await flagTexts(page))[0]).to.match(/^Token "Bob nightly export" regenerated\./);
    const [after] = await tokensOf('bob');
    expect(after.validUntil).to.be.within(addMonthsUtc(sentFrom, 2), addMonthsUtc(hostNow(), 2));
    expect(await curlStatus(`${host.url}${MYSELF}`, 'bob', old.plainTextToken)).to.equal(401);
    expect(await curlStatus(`${host.url}${MYSELF}`, 'bob', fresh)).to.equal(200);
  });

  it('should let a system administrator regenerate a user-less token from the Token Manager, with Basic snippets for any user', async function () {
    this.timeout(120_000);
    await createHostUser(host, 'jira', 'carol', 'Carol Cron');
    const old = await createByRest('admin', { userless: true, tokenDescription: 'Shared cron', tokenValidityTimeInMonths: 1, restrictions: `[GET].*${MYSELF}` });
    expect(await curlStatus(`${host.url}${MYSELF}`, 'carol', old.plainTextToken)).to.equal(200);
    await open(page, host, `${SERVLET}/admin`);
    await managerReady(page);
    const sharedRow = page.locator('tbody tr', { has: page.locator('th', { hasText: 'Shared cron' }) });
    await chooseRowAction(page, sharedRow.getByRole('button', { name: 'Actions for token Shared cron of (no user)' }), 'Regenerate');
    const regenerate = dialog(page, 'Regenerate token');
    expect(await regenerate.locator('[data-role=intro]').innerText()).to.contain('User-less token "Shared cron" gets a new secret');
    await regenerate.getByLabel('Months', { exact: true }).fill('2');
    const sentFrom = hostNow();
    await regenerate.getByRole('button', { name: 'Regenerate' }).click();
    const shown = dialog(page, 'Regenerated user-less API token');
    await shown.waitFor();
    expect(await shown.locator('[data-role=facts]').innerText()).to.match(/^No user: signs in with Basic authentication as the active user named with it · Expires: /);
    await shown.locator('details[data-role=snippets] summary').click();
    expect(await shown.locator('[data-snippet=curl-basic]').innerText()).to.contain('-u \'<username>:apitok_');
    expect(await shown.locator('[data-snippet=curl-bearer]').count(), 'a user-less token never signs in with Bearer').to.equal(0);
    await capture(page, `regenerate-manager-userless-${dbKind}`);
    const fresh = await closeNewToken('Regenerated user-less API token');
    expect((await flagTexts(page))[0]).to.match(/^Token "Shared cron" regenerated\./);
    const res = await host.request(`${API}/user/tokensByFilter?descriptionFilter=${encodeURIComponent('Shared cron')}`, { auth: ['admin', 'admin'] });
    const [after] = (res.json as { content: Array<RestToken & { tokenForUserKey: string }> }).content;
    expect(after.id).to.equal(old.id);
    expect(after.tokenForUserKey, 'still user-less').to.equal('');
    expect(after.validUntil).to.be.within(addMonthsUtc(sentFrom, 2), addMonthsUtc(hostNow(), 2));
    expect(await curlStatus(`${host.url}${MYSELF}`, 'carol', old.plainTextToken)).to.equal(401);
    expect(await curlStatus(`${host.url}${MYSELF}`, 'carol', fresh)).to.equal(200);
  });
});
