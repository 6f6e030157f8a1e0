// The Token Manager in Jira's administration layout (websudo, sidebar): every filter of
// tokensByFilter, paging and page size, create a token for a user (unique default name among
// that user's tokens), delete one, delete all tokens of a user; axe on every state.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { forEachBrowserDatabase } from '../../support/databases';
import type { TestHost } from '../../support/hostServer';
import {
  API, capture, chooseRowAction, createHostUser, curlStatus, dialog, flagTexts, loginWithForm, managerReady, SERVLET, textOf, useBrowserSuite,
} from './support/browser';

interface FilterPage { content: Array<{ id: number; tokenForUserKey: string; validUntil: number }>; total: number; totalPages: number }

forEachBrowserDatabase('TokenManagerPage', 'mariadb', (dbKind) => {
  let host: TestHost;
  let page: Page;
  let adminBearer: string;
  const keys: Record<string, string> = {};
  /** Tokens per user created by the suite (plus admin's own bearer token). */
  const counts: Record<string, number> = { admin: 30, bob: 40, carol: 30, dave: 20 };

  useBrowserSuite({ product: 'jira', dbKind }, (suite) => { ({ host, page } = suite); });

  const filter = async (query: string): Promise<FilterPage> => {
    const res = await host.request(`${API}/user/tokensByFilter?${query}`, { bearer: adminBearer });
    expect(res.status).to.equal(200);
    return res.json;
  };
  const rowIds = async (): Promise<number[]> =>
    (await page.locator('[data-role=tokens] tbody tr').evaluateAll((rows) => rows.map((r) => Number((r as HTMLElement).dataset.tokenId))));
  const summary = () => textOf(page, '[data-role=summary]');
  /** Waits for the list to show the answer to the next tokensByFilter call, and returns that call's URL. */
  async function afterReload(action: () => Promise<void>): Promise<string> {
    const response = page.waitForResponse((r) => r.url().includes('/user/tokensByFilter'));
    await action();
    const url = (await response).url();
    await managerReady(page);
    return url;
  }
  // Enter on the focused button, not a click: a date field's picker can lie over Apply (a click
  // waited 10 s behind one in CI even after Tab and Escape); other suites click it.
  const apply = () => afterReload(() => page.getByRole('button', { name: 'Apply filters' }).press('Enter'));
  const reset = () => afterReload(() => page.getByRole('button', { name: 'Reset' }).click());

  before(async function () {
    this.timeout(180000);
    keys.admin = 'admin';
    keys.bob = await createHostUser(host, 'jira', 'bob', 'Bob Builder');
    keys.carol = await createHostUser(host, 'jira', 'carol', 'Carol Jones', { email: 'carol.jones@example.org' });
    keys.dave = await createHostUser(host, 'jira', 'dave', 'Dave Miller');
    const first = await host.request(`${API}/user/token`, { method: 'POST', auth: ['admin', 'admin'], body: { tokenDescription: 'Suite bearer' } });
    adminBearer = first.json.plainTextToken;
    let n = 0;
    for (const [name, count] of Object.entries(counts)) {
      for (let i = 0; i < count; i++, n++) {
        const res = await host.request(`${API}/user/token`, {
          method: 'POST', bearer: adminBearer,
          body: {
            tokenDescription: `${i % 5 === 0 ? 'Nightly' : 'Job'} ${name} ${i}`, tokenForUserKey: keys[name],
            tokenValidityTimeInMonths: 1 + (n % 12), tokenScope: i % 4 === 0 ? 1 : 2,
          },
        });
        expect(res.status, res.text).to.equal(200);
      }
    }
  });

  it('should list every user\'s tokens sorted by expiry, 25 to a page, in the administration layout', async function () {
    this.timeout(60000); // axe and full-page screenshots are slow on a loaded machine
    await loginWithForm(page, host, 'admin', 'admin', `${SERVLET}/admin`);
    await managerReady(page);
    const api = await filter('page=0&limit=25&notValidAfter=-1');
    expect(api.total).to.equal(121);
    expect(await summary()).to.equal('Showing 1–25 of 121 tokens');
    expect(await textOf(page, '[data-role=page-info]')).to.equal('Page 1 of 5');
    expect(await rowIds()).to.deep.equal(api.content.map((t) => t.id));
    expect(await page.locator('[data-owner] [data-cell=owner]').first().innerText()).to.match(/\(\w+\)$|^admin$/);
    const sidebar = page.getByRole('navigation', { name: 'Administration' });
    expect(await sidebar.getByRole('link', { name: 'Token Manager' }).getAttribute('aria-current')).to.equal('page');
    expect(await textOf(page, '#admin-section-api-tokens-section-heading')).to.match(/^API Tokens$/i);
    await capture(page, `token-manager-${dbKind}`);
  });

  it('should page forwards and backwards and change the page size', async () => {
    await afterReload(() => page.getByRole('button', { name: 'Next' }).click());
    expect(await textOf(page, '[data-role=page-info]')).to.equal('Page 2 of 5');
    expect(await rowIds()).to.deep.equal((await filter('page=1&limit=25&notValidAfter=-1')).content.map((t) => t.id));
    await afterReload(() => page.getByRole('button', { name: 'Previous' }).click());
    expect(await textOf(page, '[data-role=page-info]')).to.equal('Page 1 of 5');

    await page.getByLabel('Tokens per page').selectOption('50');
    await apply();
    expect(await textOf(page, '[data-role=page-info]')).to.equal('Page 1 of 3');
    await afterReload(() => page.getByRole('button', { name: 'Next' }).click());
    await afterReload(() => page.getByRole('button', { name: 'Next' }).click());
    expect(await summary()).to.equal('Showing 101–121 of 121 tokens');
    expect(await rowIds()).to.have.length(21);
    expect(await page.getByRole('button', { name: 'Next' }).isDisabled()).to.equal(true);
  });

  it('should keep keyboard focus in the pager when Next or Previous reaches the last or first page', async () => {
    // Left on page 3 of 3 (50 a page) by the test above.
    const focusedButton = () => page.evaluate(() => {
      const el = document.activeElement;
      return el instanceof HTMLButtonElement ? { name: el.textContent, disabled: el.disabled, inPager: !!el.closest('nav') } : null;
    });
    await afterReload(() => page.getByRole('button', { name: 'Previous' }).press('Enter'));
    expect(await textOf(page, '[data-role=page-info]')).to.equal('Page 2 of 3');
    await afterReload(() => page.getByRole('button', { name: 'Next' }).press('Enter'));
    expect(await textOf(page, '[data-role=page-info]')).to.equal('Page 3 of 3');
    // Next is now disabled: focus must not fall back to the start of the page.
    expect(await focusedButton()).to.deep.equal({ name: 'Previous', disabled: false, inPager: true });
    await afterReload(() => page.keyboard.press('Enter'));
    await afterReload(() => page.keyboard.press('Enter'));
    expect(await textOf(page, '[data-role=page-info]')).to.equal('Page 1 of 3');
    expect(await focusedButton()).to.deep.equal({ name: 'Next', disabled: false, inPager: true });
  });

  it('should filter by users picked by e-mail address or name with the keyboard', async function () {
    this.timeout(60000); // axe and full-page screenshots are slow on a loaded machine
    const search = page.getByRole('combobox', { name: 'Users' });
    await search.fill('carol.jones@');
    await page.getByRole('option', { name: /Carol Jones/ }).waitFor();
    await search.press('Enter');
    await search.fill('bob');
    await page.getByRole('option', { name: /Bob Builder/ }).waitFor();
    await capture(page, `token-manager-user-picker-${dbKind}`);
    await search.press('ArrowDown');
    await search.press('Enter');
    expect(await page.locator('.ata-chip').allInnerTexts()).to.have.length(2);
    await apply();
    expect(await summary()).to.equal('Showing 1–50 of 70 tokens');
    const owners = new Set(await page.locator('[data-cell=owner]').allInnerTexts());
    expect([...owners].sort()).to.deep.equal(['Bob Builder (bob)', 'Carol Jones (carol)']);

    await page.getByRole('button', { name: 'Remove Bob Builder (bob) from the filter' }).click();
    await apply();
    expect(await summary()).to.equal('Showing 1–30 of 30 tokens');
    await capture(page, `token-manager-user-filter-${dbKind}`);
  });

  it('should filter by name, scope, expiry range and "not valid after" as the API does', async () => {
    await reset();
    await page.getByLabel('Name contains').fill('nightly');
    await page.getByLabel('Scope', { exact: true }).selectOption({ label: 'Read only' });
    let url = await apply();
    const q = new URL(url).searchParams;
    expect(q.get('descriptionFilter')).to.equal('nightly');
    expect(q.get('tokenScope')).to.equal('1');
    // i % 5 === 0 and i % 4 === 0: i in {0, 20} for admin, bob (0, 20), carol (0, 20), dave (0)
    expect((await filter(q.toString())).total).to.equal(7);
    expect(await summary()).to.equal('Showing 1–7 of 7 tokens');

    await reset();
    const inTwoMonths = new Date(Date.now() + 61 * 864e5).toISOString().slice(0, 10);
    await page.getByRole('group', { name: 'Expires' }).getByLabel('Until').fill(inTwoMonths);
    await page.keyboard.press('Tab');
    url = await apply();
    const until = Number(new URL(url).searchParams.get('untilExpiresDuring'));
    expect(until).to.be.greaterThan(Date.now() + 59 * 864e5);
    const ranged = await filter(new URL(url).searchParams.toString());
    expect(ranged.total).to.be.greaterThan(0).and.lessThan(121);
    expect(await summary()).to.contain(`of ${ranged.total} tokens`);
    expect(ranged.content.every((t) => t.validUntil <= until)).to.equal(true);

    await reset();
    await page.getByLabel('Not valid after').fill(inTwoMonths);
    await page.keyboard.press('Tab');
    url = await apply();
    expect(Number(new URL(url).searchParams.get('notValidAfter'))).to.equal(until);
    expect(await summary()).to.contain(`of ${ranged.total} tokens`);
    await reset();
  });

  it('should filter by the created, last-used and expires-from ranges as the API does', async () => {
    // The Token Manager offers every filter of tokensByFilter; the test above drove users, name,
    // scope, expires-until and not-valid-after, never these five.
    const today = new Date().toISOString().slice(0, 10);
    const inTwoMonths = new Date(Date.now() + 61 * 864e5).toISOString().slice(0, 10);
    const cases: Array<[group: string, from: string | null, until: string | null, params: string[]]> = [
      ['Created', today, today, ['fromCreated', 'untilCreated']],
      ['Last used', today, today, ['fromLastUsed', 'untilLastUsed']],
      ['Expires', inTwoMonths, null, ['fromExpiresDuring']],
    ];
    for (const [group, from, until, params] of cases) {
      await reset();
      const range = page.getByRole('group', { name: group, exact: true });
      if (from) await range.getByLabel('From').fill(from);
      if (until) await range.getByLabel('Until').fill(until);
      const q = new URL(await apply()).searchParams;
      for (const name of params) expect(Number(q.get(name)), `${group}: ${name}`).to.be.greaterThan(0);
      if (params.length === 2) expect(Number(q.get(params[0])), group).to.be.lessThan(Number(q.get(params[1])));
      const api = await filter(q.toString());
      expect(await summary(), group).to.equal(api.total === 0 ? 'No tokens match the filters.' : `Showing 1–${Math.min(api.total, 25)} of ${api.total} tokens`);
    }
    await reset();
  });

  it('should create a token on behalf of a user found by name, offering a name not taken by that user', async function () {
    this.timeout(60000); // axe and full-page screenshots are slow on a loaded machine
    const taken = `API Token from ${new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' }).format(Date.now())}`;
    expect((await host.request(`${API}/user/token`, { method: 'POST', bearer: adminBearer, body: { tokenDescription: taken, tokenForUserKey: keys.dave } })).status).to.equal(200);
    await page.getByRole('button', { name: 'Create token for a user' }).click();
    const chooser = dialog(page, 'Create token for a user');
    await chooser.getByRole('combobox').fill('dave');
    await page.getByRole('option', { name: /Dave Miller/ }).waitFor();
    await capture(page, `token-manager-choose-user-${dbKind}`);
    await chooser.getByRole('combobox').press('Enter');
    const create = dialog(page, 'Create API token for Dave Miller');
    await create.waitFor();
    expect(await create.getByLabel('Name').inputValue()).to.equal(`${taken} (2)`);
    await create.getByLabel('Name').fill('Made for Dave');
    await create.getByLabel('Months', { exact: true }).fill('2');
    await capture(page, `token-manager-create-for-user-${dbKind}`);
    await create.getByRole('button', { name: 'Create', exact: true }).click();
    const shown = dialog(page, 'Your new API token');
    await shown.waitFor();
    const token = await shown.getByLabel('Token', { exact: true }).inputValue();
    await shown.locator('details[data-role=snippets] summary').click();
    expect(await shown.locator('[data-snippet=curl-basic]').innerText()).to.contain(`'dave:${token}'`);
    expect(await shown.innerText()).to.contain('User: dave');
    await capture(page, `token-manager-on-behalf-${dbKind}`);
    await shown.getByRole('button', { name: 'Copy token' }).click();
    await shown.getByRole('button', { name: 'Close' }).click();
    expect(await flagTexts(page)).to.deep.equal(['Token "Made for Dave" created for Dave Miller (dave).']);
    expect(await curlStatus(`${host.url}/rest/api/2/myself`, 'dave', token)).to.equal(200);
    expect((await filter(`userFilter=${keys.dave}&descriptionFilter=Made%20for%20Dave`)).total).to.equal(1);
  });

  it('should create a token for a user with the keyboard alone', async () => {
    await page.getByRole('button', { name: 'Create token for a user' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.getAttribute('role') === 'combobox' && !!document.activeElement.closest('[role=dialog]'));
    await page.keyboard.type('bob');
    await page.getByRole('option', { name: /Bob Builder/ }).waitFor();
    await page.keyboard.press('Enter');
    await dialog(page, 'Create API token for Bob Builder').waitFor();
    await page.waitForFunction(() => (document.activeElement as HTMLInputElement | null)?.name === 'tokenDescription');
    await page.keyboard.type('Typed for Bob');
    await page.keyboard.press('Enter');
    const shown = dialog(page, 'Your new API token');
    await shown.waitFor();
    await page.waitForFunction(() => document.activeElement?.textContent === 'Copy token');
    await page.keyboard.press('Enter');
    await shown.getByText('Copied to the clipboard.').waitFor();
    await page.keyboard.press('Escape');
    await shown.waitFor({ state: 'detached' });
    await page.waitForFunction(() => document.activeElement?.textContent === 'Create token for a user');
    await flagTexts(page);
    expect((await filter(`userFilter=${keys.bob}&descriptionFilter=Typed%20for%20Bob`)).total).to.equal(1);
  });

  it('should delete one token of another user', async () => {
    const search = page.getByRole('combobox', { name: 'Users' });
    await search.fill('dave');
    await page.getByRole('option', { name: /Dave Miller/ }).waitFor();
    await search.press('Enter');
    await apply();
    expect(await summary()).to.contain('of 22 tokens');
    const first = page.locator('[data-role=tokens] tbody tr').first();
    await chooseRowAction(page, first.getByRole('button', { name: /^Actions for token .* of Dave Miller \(dave\)$/ }), 'Delete');
    await capture(page, `token-manager-delete-confirm-${dbKind}`);
    await afterReload(() => dialog(page, 'Delete token?').getByRole('button', { name: 'Delete' }).click());
    expect(await summary()).to.contain('of 21 tokens');
    // Focus stays with the list (its summary, which reads the new count), not back at the top of the page.
    await page.waitForFunction(() => document.activeElement !== document.body && !document.activeElement?.closest('[role=dialog]'));
    expect(await page.evaluate(() => { const el = document.activeElement as HTMLElement; return el.dataset.role ?? el.textContent; })).to.equal('summary');
    expect((await filter(`userFilter=${keys.dave}`)).total).to.equal(21);
    await flagTexts(page);
  });

  it('should drop a row deleted elsewhere, and clear the error once a later action succeeds', async () => {
    // Left on Dave's tokens by the test above. One row is deleted behind the page's back.
    const rows = page.locator('[data-role=tokens] tbody tr');
    const gone = Number(await rows.first().getAttribute('data-token-id'));
    expect((await host.request(`${API}/user/token/${gone}`, { method: 'DELETE', bearer: adminBearer })).status).to.be.lessThan(300);
    await chooseRowAction(page, rows.first().getByRole('button', { name: /^Actions for token / }), 'Delete');
    await dialog(page, 'Delete token?').getByRole('button', { name: 'Delete' }).click();
    const alert = page.locator('[data-role=messages] [role=alert]');
    expect(await alert.innerText()).to.equal('There is no such token.');
    expect(await page.locator(`[data-role=tokens] tbody tr[data-token-id="${gone}"]`).count(), 'the gone token is no longer listed').to.equal(0);
    const other = page.locator(`[data-role=tokens] tbody tr:not([data-token-id="${gone}"])`).first();
    await chooseRowAction(page, other.getByRole('button', { name: /^Actions for token / }), 'Delete');
    await afterReload(() => dialog(page, 'Delete token?').getByRole('button', { name: 'Delete' }).click());
    await flagTexts(page);
    expect(await alert.count()).to.equal(0);
  });

  it('should delete all tokens of a user (system administrators), naming the count', async () => {
    await page.getByRole('button', { name: 'Delete all tokens of a user' }).click();
    const chooser = dialog(page, 'Delete all tokens of a user');
    await chooser.getByRole('combobox').fill('carol');
    await page.getByRole('option', { name: /Carol Jones/ }).waitFor();
    await chooser.getByRole('combobox').press('Enter');
    await dialog(page, 'Delete all tokens of a user').getByRole('button', { name: 'Delete all' }).click();
    expect(await flagTexts(page)).to.deep.equal(['Deleted 30 tokens of Carol Jones (carol).']);
    expect((await filter(`userFilter=${keys.carol}`)).total).to.equal(0);
    expect((await filter(`userFilter=${keys.bob}`)).total).to.equal(41);
  });
});
