import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { forEachDatabase } from '../../support/databases';
import { startTestHost, type TestHost } from '../../support/hostServer';
import {
  API, createHostUser, curlStatus, launchChromium, loginWithForm, newHostContext, screenshot, SERVLET, textOf, uiPluginDescriptors,
} from './support/browser';

interface FilterPage { content: Array<{ id: number; tokenForUserKey: string; validUntil: number }>; total: number; totalPages: number }

forEachDatabase('TokenManagerPage', (dbKind) => {
  let host: TestHost;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let adminBearer: string;
  const keys: Record<string, string> = {};
  /** Tokens per user created by the suite (plus admin's own bearer token). */
  const counts: Record<string, number> = { admin: 30, bob: 40, carol: 30, dave: 20 };

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
    await page.waitForFunction(() => !document.querySelector('[data-role=summary]')?.textContent?.includes('Loading'));
    return url;
  }

  before(async function () {
    this.timeout(180000);
    host = await startTestHost({ product: 'jira', dbKind, descriptors: uiPluginDescriptors() });
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

  it('should list every user\'s tokens sorted by expiry, 25 to a page', async () => {
    await loginWithForm(page, host, 'admin', 'admin', `${SERVLET}/admin`);
    await page.locator('[data-role=tokens]').waitFor();
    const api = await filter('page=0&limit=25&notValidAfter=-1');
    expect(api.total).to.equal(121);
    expect(await summary()).to.equal('Showing 1-25 of 121 tokens');
    expect(await textOf(page, '[data-role=page-info]')).to.equal('Page 1 of 5');
    expect(await rowIds()).to.deep.equal(api.content.map((t) => t.id));
    expect(await page.locator('[data-owner] [data-cell=owner]').first().innerText()).to.match(/\(\w+\)$|^admin$/);
    await screenshot(page, `token-manager-${dbKind}`);
  });

  it('should page forwards and backwards and change the page size', async () => {
    await afterReload(() => page.getByRole('button', { name: 'Next' }).click());
    expect(await textOf(page, '[data-role=page-info]')).to.equal('Page 2 of 5');
    expect(await rowIds()).to.deep.equal((await filter('page=1&limit=25&notValidAfter=-1')).content.map((t) => t.id));
    await afterReload(() => page.getByRole('button', { name: 'Previous' }).click());
    expect(await textOf(page, '[data-role=page-info]')).to.equal('Page 1 of 5');

    await page.getByLabel('Tokens per page').selectOption('50');
    await afterReload(() => page.getByRole('button', { name: 'Apply filters' }).click());
    expect(await textOf(page, '[data-role=page-info]')).to.equal('Page 1 of 3');
    await afterReload(() => page.getByRole('button', { name: 'Next' }).click());
    await afterReload(() => page.getByRole('button', { name: 'Next' }).click());
    expect(await summary()).to.equal('Showing 101-121 of 121 tokens');
    expect(await rowIds()).to.have.length(21);
    expect(await page.getByRole('button', { name: 'Next' }).isDisabled()).to.equal(true);
  });

  it('should filter by users picked by e-mail address or name with the keyboard', async () => {
    const search = page.getByRole('combobox', { name: 'Users' });
    await search.fill('carol.jones@');
    await page.getByRole('option', { name: /Carol Jones/ }).waitFor();
    await search.press('Enter');
    await search.fill('bob');
    await page.getByRole('option', { name: /Bob Builder/ }).waitFor();
    await search.press('ArrowDown');
    await search.press('Enter');
    expect(await page.locator('.ata-chip').allInnerTexts()).to.have.length(2);
    await afterReload(() => page.getByRole('button', { name: 'Apply filters' }).click());
    expect(await summary()).to.equal('Showing 1-50 of 70 tokens');
    const owners = new Set(await page.locator('[data-cell=owner]').allInnerTexts());
    expect([...owners].sort()).to.deep.equal(['Bob Builder (bob)', 'Carol Jones (carol)']);

    await page.getByRole('button', { name: 'Remove Bob Builder (bob) from the filter' }).click();
    await afterReload(() => page.getByRole('button', { name: 'Apply filters' }).click());
    expect(await summary()).to.equal('Showing 1-30 of 30 tokens');
    await screenshot(page, `token-manager-user-filter-${dbKind}`);
  });

  it('should filter by description, scope, expiry range and "not valid after" as the API does', async () => {
    await afterReload(() => page.getByRole('button', { name: 'Reset' }).click());
    await page.getByLabel('Description contains').fill('nightly');
    await page.getByLabel('Scope', { exact: true }).selectOption({ label: 'Read only' });
    let url = await afterReload(() => page.getByRole('button', { name: 'Apply filters' }).click());
    const q = new URL(url).searchParams;
    expect(q.get('descriptionFilter')).to.equal('nightly');
    expect(q.get('tokenScope')).to.equal('1');
    // i % 5 === 0 and i % 4 === 0: i in {0, 20} for admin, bob (0, 20), carol (0, 20), dave (0)
    const expected = await filter(q.toString());
    expect(expected.total).to.equal(7);
    expect(await summary()).to.equal('Showing 1-7 of 7 tokens');

    await afterReload(() => page.getByRole('button', { name: 'Reset' }).click());
    const inTwoMonths = new Date(Date.now() + 61 * 864e5).toISOString().slice(0, 10);
    await page.getByRole('group', { name: 'Expires' }).getByLabel('Until').fill(inTwoMonths);
    url = await afterReload(() => page.getByRole('button', { name: 'Apply filters' }).click());
    const until = Number(new URL(url).searchParams.get('untilExpiresDuring'));
    expect(until).to.be.greaterThan(Date.now() + 59 * 864e5);
    const ranged = await filter(new URL(url).searchParams.toString());
    expect(ranged.total).to.be.greaterThan(0).and.lessThan(121);
    expect(await summary()).to.contain(`of ${ranged.total} tokens`);
    expect(ranged.content.every((t) => t.validUntil <= until)).to.equal(true);

    await afterReload(() => page.getByRole('button', { name: 'Reset' }).click());
    await page.getByLabel('Not valid after').fill(inTwoMonths);
    url = await afterReload(() => page.getByRole('button', { name: 'Apply filters' }).click());
    expect(Number(new URL(url).searchParams.get('notValidAfter'))).to.equal(until);
    expect(await summary()).to.contain(`of ${ranged.total} tokens`);
    await afterReload(() => page.getByRole('button', { name: 'Reset' }).click());
  });

  it('should create a token on behalf of a user found by name', async () => {
    await page.getByRole('button', { name: 'Create token for a user' }).click();
    const chooser = page.getByRole('dialog', { name: 'Create token for a user' });
    await chooser.getByRole('combobox').fill('dave');
    await page.getByRole('option', { name: /Dave Miller/ }).waitFor();
    await chooser.getByRole('combobox').press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Create API token for Dave Miller' });
    await dialog.getByLabel('Description').fill('Made for Dave');
    await dialog.getByLabel('Months', { exact: true }).fill('2');
    await dialog.getByRole('button', { name: 'Create' }).click();
    const shown = page.getByRole('dialog', { name: 'Your new API token' });
    await shown.waitFor();
    const token = await shown.getByLabel('Token', { exact: true }).inputValue();
    expect(await page.locator('[data-snippet=curl-basic]').innerText()).to.contain(`'dave:${token}'`);
    await screenshot(page, `token-manager-on-behalf-${dbKind}`);
    await page.getByRole('button', { name: 'Done' }).click();
    expect(await curlStatus(`${host.url}/rest/api/2/myself`, 'dave', token)).to.equal(200);
    const daves = await filter(`userFilter=${keys.dave}&descriptionFilter=Made%20for%20Dave`);
    expect(daves.total).to.equal(1);
  });

  it('should delete one token of another user', async () => {
    const search = page.getByRole('combobox', { name: 'Users' });
    await search.fill('dave');
    await page.getByRole('option', { name: /Dave Miller/ }).waitFor();
    await search.press('Enter');
    await afterReload(() => page.getByRole('button', { name: 'Apply filters' }).click());
    expect(await summary()).to.contain('of 21 tokens');
    const first = page.locator('[data-role=tokens] tbody tr').first();
    await first.getByRole('button', { name: /^Delete token/ }).click();
    await afterReload(() => page.getByRole('dialog', { name: 'Delete token?' }).getByRole('button', { name: 'Delete' }).click());
    expect(await summary()).to.contain('of 20 tokens');
    expect((await filter(`userFilter=${keys.dave}`)).total).to.equal(20);
  });

  it('should delete all tokens of a user (system administrators)', async () => {
    await page.getByRole('button', { name: 'Delete all tokens of a user' }).click();
    const chooser = page.getByRole('dialog', { name: 'Delete all tokens of a user' });
    await chooser.getByRole('combobox').fill('carol');
    await page.getByRole('option', { name: /Carol Jones/ }).waitFor();
    await chooser.getByRole('combobox').press('Enter');
    await page.getByRole('dialog', { name: 'Delete all tokens of a user' }).getByRole('button', { name: 'Delete all' }).click();
    await page.locator('.ata-message-success', { hasText: 'Deleted 30 tokens of Carol Jones (carol).' }).waitFor();
    expect((await filter(`userFilter=${keys.carol}`)).total).to.equal(0);
    expect((await filter(`userFilter=${keys.bob}`)).total).to.equal(40);
  });
});
