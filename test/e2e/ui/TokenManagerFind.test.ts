// The Token Manager's "Find token" box: a pasted (leaked) token or its public id shows whose it
// is (owner, name, created, created by, expiry, last use and IP, uses, restrictions) and its
// row, marked, in the list; an unknown token says so. The pasted token goes into the body of
// POST /admin/tokens/lookup only: never into the page's URL or history, a request URL, a log
// line or an audit event. Jira, both databases, axe on every state.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { forEachBrowserDatabase } from '../../support/databases';
import type { TestHost } from '../../support/hostServer';
import { capture, chooseRowAction, createHostUser, loginWithForm, managerReady, SERVLET, textOf, useBrowserSuite } from './support/browser';
import { adminBearer, afterReload, createToken, filterPage, recordRequests, rowIds, useToken, type CreatedToken } from './support/managerFixtures';

forEachBrowserDatabase('TokenManagerFind', 'postgres', (dbKind) => {
  let host: TestHost;
  let page: Page;
  let bearer: string;
  let leaked: CreatedToken;
  let bobKey: string;
  const rules = '[GET].*/rest/api/2/myself\n[GET].*/rest/api/2/search';

  // Debug level: the host's access lines (every request's path) are among the captured logs.
  useBrowserSuite({ product: 'jira', dbKind, captureLogs: true, logLevel: 'debug' }, (suite) => { ({ host, page } = suite); });

  before(async function () {
    this.timeout(120000);
    bobKey = await createHostUser(host, 'jira', 'bob', 'Bob Builder');
    const carolKey = await createHostUser(host, 'jira', 'carol', 'Carol Jones');
    bearer = await adminBearer(host);
    for (let i = 0; i < 12; i++) {
      await createToken(host, bearer, { tokenDescription: `Deploy key ${i}`, tokenForUserKey: i % 2 ? bobKey : carolKey, tokenValidityTimeInMonths: 1 + (i % 6) });
    }
    leaked = await createToken(host, bearer, { tokenDescription: 'Deploy key', tokenForUserKey: bobKey, tokenValidityTimeInMonths: 2, restrictions: rules });
    expect(await useToken(host, 'jira', 'bob', leaked.plainTextToken)).to.equal(200);
  });

  const findBox = () => page.getByRole('textbox', { name: 'Token or public id' });
  const found = (field: string) => textOf(page, `[data-role=found] [data-field=${field}]`);

  it('should show whose a pasted token is, with its row marked in the list, without the token in any URL, log or audit event', async function () {
    this.timeout(90000);
    await loginWithForm(page, host, 'admin', 'admin', `${SERVLET}/admin`);
    await managerReady(page);
    const historyBefore = await page.evaluate(() => history.length);
    const urlBefore = page.url();
    const recorder = recordRequests(page);
    const lookup = page.waitForRequest((r) => r.url().endsWith('/admin/tokens/lookup'));
    await findBox().fill(leaked.plainTextToken);
    const url = await afterReload(page, () => page.getByRole('button', { name: 'Find', exact: true }).click());
    recorder.stop();

    expect((await lookup).method()).to.equal('POST');
    expect((await lookup).postDataJSON()).to.deep.equal({ token: leaked.plainTextToken });
    expect(await found('owner')).to.equal('Bob Builder (bob)');
    expect(await found('description')).to.equal('Deploy key');
    expect(await found('created-by')).to.equal('Administrator (admin)');
    expect(await found('last-ip')).to.equal('127.0.0.1');
    expect(await found('use-count')).to.equal('1');
    expect(await found('restrictions')).to.equal(rules);
    expect(await found('public-id')).to.equal(leaked.plainTextToken.slice('apitok_'.length, 'apitok_'.length + 12));
    expect(await found('expires')).to.match(/^in /);
    expect(await page.locator('[data-role=found] [data-field=created] time').getAttribute('datetime')).to.be.a('string');
    expect(await page.locator('[data-role=found] [data-field=last-used] time').count()).to.equal(1);

    // The list: Bob's tokens named like it, the found one marked.
    expect(url.searchParams.getAll('userFilter')).to.deep.equal([bobKey]);
    expect(url.searchParams.get('descriptionFilter')).to.equal('Deploy key');
    const api = await filterPage(host, bearer, url.searchParams.toString());
    expect(await rowIds(page)).to.deep.equal(api.content.map((t) => t.id));
    expect(await page.locator('tr[data-found=true]').getAttribute('data-token-id')).to.equal(String(leaked.id));
    expect(await page.locator('tr.ata-row-found').count()).to.equal(1);
    expect(await page.locator('.ata-chip span').allInnerTexts()).to.deep.equal(['Bob Builder (bob)']);
    await capture(page, `token-manager-find-${dbKind}`);

    // Where the token went: the lookup's body, nowhere else.
    expect(await findBox().inputValue()).to.equal('');
    expect(page.url()).to.equal(urlBefore);
    expect(page.url()).to.not.contain(leaked.plainTextToken);
    expect(await page.evaluate(() => history.length)).to.equal(historyBefore);
    expect(recorder.requests.filter((r) => r.url.includes(leaked.plainTextToken))).to.deep.equal([]);
    expect(recorder.requests.filter((r) => r.body?.includes(leaked.plainTextToken)).map((r) => new URL(r.url).pathname))
      .to.deep.equal([`${new URL(host.url).pathname}/rest/de.resolution.apitokenauth/latest/admin/tokens/lookup`]);
    const secret = leaked.plainTextToken.slice('apitok_'.length + 13);
    expect(host.logs.some((line) => line.includes('/admin/tokens/lookup')), 'the access line of the lookup is captured').to.equal(true);
    expect(host.logs.filter((line) => line.includes(secret))).to.deep.equal([]);
    const events = await host.auditEvents({ action: 'token.looked-up', min: 1 });
    expect(events.length).to.be.greaterThan(0);
    expect(JSON.stringify(events)).to.not.contain(secret);
  });

  it('should find a token by its public id, also written with the apitok_ prefix, with the keyboard alone', async function () {
    this.timeout(90000);
    const publicId = leaked.plainTextToken.slice('apitok_'.length, 'apitok_'.length + 12);
    await page.getByRole('button', { name: 'Reset' }).click();
    await managerReady(page);
    for (const typed of [publicId, `apitok_${publicId}`]) {
      const lookup = page.waitForRequest((r) => r.url().endsWith('/admin/tokens/lookup'));
      await findBox().focus();
      await page.keyboard.type(typed);
      await afterReload(page, () => page.keyboard.press('Enter'));
      expect((await lookup).postDataJSON()).to.deep.equal({ publicId });
      expect(await found('owner')).to.equal('Bob Builder (bob)');
      expect(await page.locator('tr[data-found=true]').getAttribute('data-token-id')).to.equal(String(leaked.id));
    }
  });

  it('should say clearly that there is no such token, for an unknown token and for a wrong secret alike', async function () {
    this.timeout(90000);
    const urlBefore = page.url();
    const wrongSecret = `${leaked.plainTextToken.slice(0, -10)}AAAAAAAAAA`;
    for (const value of [wrongSecret, 'apitok_nosuchtoken0_x', 'definitelyNot']) {
      await findBox().fill(value);
      await page.getByRole('button', { name: 'Find', exact: true }).click();
      const alert = page.locator('.ata-find-section [role=alert]').filter({ hasText: 'There is no such token' });
      await alert.waitFor();
      expect(await page.locator('[data-role=found]').innerText()).to.equal('');
      expect(page.url()).to.equal(urlBefore);
    }
    await capture(page, `token-manager-find-not-found-${dbKind}`);

    await findBox().fill('');
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    expect(await findBox().getAttribute('aria-invalid')).to.equal('true');
    expect(await page.locator('.ata-find-section .error').first().innerText()).to.equal('Paste a token or a public id.');
  });

  it('should warn when the pasted secret is one the token had before a regeneration through a token', async function () {
    this.timeout(90000);
    const stolen = await createToken(host, bearer, { tokenDescription: 'Regenerated by a thief', tokenForUserKey: bobKey, tokenValidityTimeInMonths: 2 });
    const rotated = await host.request(`/rest/de.resolution.apitokenauth/latest/user/token/${stolen.id}/rotate`, { method: 'POST', bearer: stolen.plainTextToken });
    expect(rotated.status, rotated.text).to.equal(200);
    const current = String(rotated.json.plainTextToken);
    const warning = page.locator('[data-role=retired-secret]');

    await findBox().fill(stolen.plainTextToken);
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    await warning.waitFor();
    expect(await warning.getAttribute('role')).to.equal('alert');
    expect(await found('description')).to.equal('Regenerated by a thief');
    expect(await found('public-id'), 'the current public id').to.equal(current.slice('apitok_'.length, 'apitok_'.length + 12));
    await capture(page, `token-manager-find-retired-secret-${dbKind}`);

    await findBox().fill(current);
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    await page.locator('[data-role=found] [data-field=public-id]').waitFor();
    expect(await warning.count(), 'none for the current secret').to.equal(0);
  });

  it('should find a token the list is not showing, and revoke it from its marked row', async function () {
    this.timeout(90000);
    await findBox().fill(leaked.plainTextToken);
    await afterReload(page, () => page.getByRole('button', { name: 'Find', exact: true }).click());
    const row = page.locator('tr[data-found=true]');
    await chooseRowAction(page, row.getByRole('button', { name: 'Actions for token Deploy key of Bob Builder (bob)' }), 'Delete');
    await afterReload(page, () => page.getByRole('dialog', { name: 'Delete token?' }).getByRole('button', { name: 'Delete' }).click());
    expect(await useToken(host, 'jira', 'bob', leaked.plainTextToken)).to.equal(401);
    const res = await host.request('/rest/de.resolution.apitokenauth/latest/admin/tokens/lookup', { method: 'POST', bearer, body: { token: leaked.plainTextToken } });
    expect(res.status).to.equal(404);
    expect(await page.locator('tr[data-found=true]').count()).to.equal(0);
  });
});
