// Sorting, the CSV download and the last IP and restrictions columns of the Token Manager, in
// Confluence's administration: the server orders every matching token (`sort`/`order` of
// tokensByFilter, also across pages), header buttons work with the keyboard and set aria-sort;
// the download is the server's CSV of every matching row in the list's filter and order, with
// no secret in it. Both databases, axe on every state.
import fs from 'node:fs';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { parseCsv } from '../../support/csv';
import { forEachDatabase } from '../../support/databases';
import type { TestHost } from '../../support/hostServer';
import { capture, createHostUser, loginWithForm, managerReady, SERVLET, textOf, useBrowserSuite } from './support/browser';
import { adminBearer, afterReload, allMatching, createToken, filterPage, rowIds, useToken, type CreatedToken } from './support/managerFixtures';

forEachDatabase('TokenManagerSortExport', (dbKind) => {
  let host: TestHost;
  let page: Page;
  let bearer: string;
  const keys: Record<string, string> = {};
  const created: CreatedToken[] = [];
  let used: CreatedToken;
  let restricted: CreatedToken;
  const names = ['Alpha', 'beta', 'Gamma', 'delta', 'Report, "weekly"'];

  useBrowserSuite({ product: 'confluence', dbKind }, (suite) => { ({ host, page } = suite); });

  before(async function () {
    this.timeout(180000);
    keys.bob = await createHostUser(host, 'confluence', 'bob', 'Bob Builder');
    keys.carol = await createHostUser(host, 'confluence', 'carol', 'Carol Jones');
    bearer = await adminBearer(host);
    for (let i = 0; i < 70; i++) {
      const owner = i % 7 === 0 ? 'carol' : 'bob';
      created.push(await createToken(host, bearer, {
        tokenDescription: `${names[i % names.length]} ${i}`, tokenForUserKey: keys[owner], tokenValidityTimeInMonths: 1 + ((i * 5) % 12), tokenScope: i % 3 === 0 ? 1 : 2,
      }));
    }
    restricted = await createToken(host, bearer, {
      tokenDescription: 'Restricted reader', tokenForUserKey: keys.bob, tokenValidityTimeInMonths: 1,
      restrictions: '[GET].*/rest/api/user/current\n[GET].*/rest/api/content', ipAllowlist: ['127.0.0.1'],
    });
    used = created[3];
    expect(await useToken(host, 'confluence', 'bob', used.plainTextToken)).to.equal(200);
    expect(await useToken(host, 'confluence', 'bob', restricted.plainTextToken)).to.equal(200);
  });

  const header = (column: string) => page.locator(`th[data-column=${column}]`);
  const ariaSorts = () => page.locator('[data-role=tokens] thead th').evaluateAll((ths) => ths.filter((th) => th.hasAttribute('aria-sort'))
    .map((th) => `${(th as HTMLElement).dataset.column}:${th.getAttribute('aria-sort')}`));
  async function expectRowsAsApi(url: URL): Promise<void> {
    const api = await filterPage(host, bearer, url.searchParams.toString());
    expect(await rowIds(page)).to.deep.equal(api.content.map((t) => t.id));
  }

  it('should sort by the server on every column the API orders by, by mouse and keyboard, with aria-sort', async function () {
    this.timeout(90000);
    await loginWithForm(page, host, 'admin', 'admin', `${SERVLET}/admin`);
    await managerReady(page);
    expect(await ariaSorts()).to.deep.equal(['expires:ascending']);
    const sortable = await page.locator('[data-role=tokens] thead th:has(button.ata-sort-button)').evaluateAll((ths) => ths.map((th) => (th as HTMLElement).dataset.column));
    expect(sortable).to.deep.equal(['owner', 'description', 'created', 'last-used', 'expires']);

    let url = await afterReload(page, () => header('description').getByRole('button').click());
    expect([url.searchParams.get('sort'), url.searchParams.get('order'), url.searchParams.get('page')]).to.deep.equal(['description', 'asc', '0']);
    expect(await ariaSorts()).to.deep.equal(['description:ascending']);
    await expectRowsAsApi(url);
    url = await afterReload(page, () => header('description').getByRole('button').click());
    expect(url.searchParams.get('order')).to.equal('desc');
    expect(await ariaSorts()).to.deep.equal(['description:descending']);
    await expectRowsAsApi(url);
    // Across pages: the second page continues the server's order of every matching token.
    url = await afterReload(page, () => page.getByRole('button', { name: 'Next' }).click());
    expect([url.searchParams.get('sort'), url.searchParams.get('order'), url.searchParams.get('page')]).to.deep.equal(['description', 'desc', '1']);
    await expectRowsAsApi(url);
    await capture(page, `token-manager-sorted-${dbKind}`);

    // Keyboard: the header buttons take Enter, and focus stays on them.
    await header('created').getByRole('button').focus();
    url = await afterReload(page, () => page.keyboard.press('Enter'));
    expect([url.searchParams.get('sort'), url.searchParams.get('order'), url.searchParams.get('page')]).to.deep.equal(['created', 'asc', '0']);
    expect(await page.evaluate(() => (document.activeElement?.closest('th') as HTMLElement | null)?.dataset.column)).to.equal('created');
    url = await afterReload(page, () => page.keyboard.press('Enter'));
    expect(url.searchParams.get('order')).to.equal('desc');
    expect(await ariaSorts()).to.deep.equal(['created:descending']);
    await expectRowsAsApi(url);

    for (const [column, key] of [['owner', 'user'], ['last-used', 'lastAccessed'], ['expires', 'validUntil']] as const) {
      url = await afterReload(page, () => header(column).getByRole('button').click());
      expect([url.searchParams.get('sort'), url.searchParams.get('order')]).to.deep.equal([key, 'asc']);
      await expectRowsAsApi(url);
    }
  });

  it('should show the last IP and the restrictions as the server writes them, shortened to the first rule', async function () {
    this.timeout(90000);
    await page.getByLabel('Name contains').fill(used.description);
    await afterReload(page, () => page.getByRole('button', { name: 'Apply filters' }).click());
    expect(await textOf(page, `tr[data-token-id="${used.id}"] [data-cell=last-ip]`)).to.equal('127.0.0.1');
    expect(await textOf(page, `tr[data-token-id="${used.id}"] [data-cell=restrictions]`)).to.equal('None');

    await page.getByLabel('Name contains').fill('Restricted reader');
    await afterReload(page, () => page.getByRole('button', { name: 'Apply filters' }).click());
    const [item] = (await filterPage(host, bearer, 'descriptionFilter=Restricted%20reader')).content;
    const lines = item.restrictionsText!.split('\n');
    expect(lines).to.have.length(3);
    const cell = page.locator(`tr[data-token-id="${restricted.id}"] [data-cell=restrictions]`);
    expect((await cell.locator('summary').innerText()).trim()).to.equal(`${lines[0]} +2 more`);
    expect(await cell.locator('details').evaluate((d) => (d as HTMLDetailsElement).open)).to.equal(false);
    await cell.locator('summary').focus();
    await page.keyboard.press('Enter');
    expect(await cell.locator('details > code').innerText()).to.equal(lines.slice(1).join('\n'));
    expect(await textOf(page, `tr[data-token-id="${restricted.id}"] [data-cell=last-ip]`)).to.equal('127.0.0.1');
    await capture(page, `token-manager-ip-restrictions-${dbKind}`);
  });

  it('should download every matching token as the server\'s CSV, in the list\'s filter and order, without any secret', async function () {
    this.timeout(90000);
    await page.getByRole('button', { name: 'Reset' }).click();
    await managerReady(page);
    const search = page.getByRole('combobox', { name: 'Users' });
    await search.fill('bob');
    await page.getByRole('option', { name: /Bob Builder/ }).waitFor();
    await search.press('Enter');
    await afterReload(page, () => page.getByRole('button', { name: 'Apply filters' }).click());
    await afterReload(page, () => header('description').getByRole('button').click());
    const url = await afterReload(page, () => header('description').getByRole('button').click());
    const expected = await allMatching(host, bearer, `userFilter=${keys.bob}&sort=description&order=desc`);
    expect(expected.length).to.equal(61);
    expect(url.searchParams.getAll('userFilter')).to.deep.equal([keys.bob]);

    const link = page.getByRole('link', { name: 'Download all 61 tokens as CSV' });
    const href = new URL(await link.getAttribute('href') ?? '', page.url());
    expect([href.searchParams.get('format'), href.searchParams.get('sort'), href.searchParams.get('order')]).to.deep.equal(['csv', 'description', 'desc']);
    expect(href.searchParams.getAll('userFilter')).to.deep.equal([keys.bob]);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).to.match(/^api-tokens-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = fs.readFileSync(await download.path(), 'utf8');
    const [head, ...rows] = parseCsv(text);
    expect(head).to.deep.equal(['id', 'userKey', 'userName', 'description', 'created', 'createdBy', 'validUntil', 'lastAccessed', 'lastIp', 'scope', 'restricted']);
    expect(rows.map((r) => Number(r[0]))).to.deep.equal(expected.map((t) => t.id));
    expect(rows.every((r) => r[1] === keys.bob && r[2] === 'bob')).to.equal(true);
    expect(rows.find((r) => Number(r[0]) === restricted.id)?.slice(8)).to.deep.equal(['127.0.0.1', '2', 'true']);
    expect(rows.map((r) => r[3])).to.include('Report, "weekly" 4');
    // No secret, hash or public id.
    expect(text).to.not.contain('apitok_');
    for (const token of [...created, restricted]) {
      expect(text).to.not.contain(token.plainTextToken.slice('apitok_'.length, 'apitok_'.length + 12));
      expect(text).to.not.contain(token.plainTextToken.slice('apitok_'.length + 13));
    }
    expect(text).to.not.match(/[0-9a-f]{64}/i);
    await capture(page, `token-manager-export-${dbKind}`);
  });
});
