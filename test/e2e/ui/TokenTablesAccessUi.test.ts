// The token tables of the profile panel and the Token Manager without a mouse: every relative
// time carries its exact date and time in the user's zone in the text a screen reader reads
// (not only in a hover title), while the row keeps one visible line.
import { expect } from 'chai';
import type { Locator, Page } from 'playwright-core';
import { forEachBrowserDatabase } from '../../support/databases';
import type { TestHost } from '../../support/hostServer';
import { capture, createHostUser, loginWithForm, managerReady, open, panelReady, PANEL_PAGE, SERVLET, useBrowserSuite } from './support/browser';
import { adminBearer, createToken, useToken } from './support/managerFixtures';

const ZONE = 'Pacific/Chatham'; // +12:45 / +13:45: no browser default gets it right by chance

forEachBrowserDatabase('TokenTablesAccessUi', 'sqlite', (dbKind) => {
  let host: TestHost;
  let page: Page;

  useBrowserSuite({ product: 'jira', dbKind }, (suite) => { ({ host, page } = suite); });

  before(async function () {
    this.timeout(120000);
    const bobKey = await createHostUser(host, 'jira', 'bob', 'Bob Builder with a rather long display name');
    const bearer = await adminBearer(host);
    const rules = '[GET].*/rest/api/2/myself[QueryParam::expand==groups,applicationRoles]\n[GET].*/rest/api/2/search';
    for (let i = 0; i < 6; i++) {
      await createToken(host, bearer, {
        tokenDescription: `Nightly export of the reporting warehouse ${i}`, tokenForUserKey: i % 2 ? bobKey : 'admin',
        tokenValidityTimeInMonths: 1 + i, restrictions: rules, ipAllowlist: ['10.20.30.0/24', '192.168.100.0/24'],
      });
    }
    const used = await createToken(host, bearer, { tokenDescription: 'Used once', tokenForUserKey: 'admin' });
    expect(await useToken(host, 'jira', 'admin', used.plainTextToken)).to.equal(200);
    await host.runtime.users.updateUser('admin', { timeZone: ZONE });
  });

  /**
   * Every `<time>` of the table: its instant, the text a screen reader gets for its cell (the
   * accessibility tree, not the title), the exact time as the user's zone writes it, and its
   * rendered height.
   */
  async function timesIn(table: Locator): Promise<Array<{ cellName: string; exact: string; height: number }>> {
    const out: Array<{ cellName: string; exact: string; height: number }> = [];
    for (const time of await table.locator('tbody time').all()) {
      const iso = await time.getAttribute('datetime');
      expect(Number.isNaN(Date.parse(iso ?? ''))).to.equal(false);
      const exact = await page.evaluate(([instant, zone]) => new Intl.DateTimeFormat('en-US', { timeZone: zone, dateStyle: 'medium', timeStyle: 'short' })
        .format(new Date(instant)), [iso!, ZONE] as const);
      const cell = time.locator('xpath=ancestor::td[1]');
      out.push({ cellName: await cell.ariaSnapshot(), exact, height: (await time.boundingBox())!.height });
    }
    return out;
  }

  function expectExactTimesReadable(times: Array<{ cellName: string; exact: string; height: number }>): void {
    expect(times.length).to.be.greaterThan(2);
    const flat = (s: string): string => s.replace(/\s+/g, ' ');
    for (const t of times) {
      expect(flat(t.cellName), 'the cell as a screen reader reads it').to.contain(flat(t.exact));
      expect(t.height, 'still one visible line').to.be.below(24);
    }
  }

  it('should give screen readers the exact date and time of every relative time on the profile panel, in the user\'s zone', async () => {
    await loginWithForm(page, host, 'admin', 'admin', PANEL_PAGE.jira);
    await panelReady(page);
    expectExactTimesReadable(await timesIn(page.locator('#apitokenauth-profile [data-role=tokens]')));
    await capture(page, `tables-profile-exact-times-${dbKind}`);
  });

  it('should give screen readers the exact date and time of every relative time in the Token Manager', async function () {
    this.timeout(60000);
    await open(page, host, `${SERVLET}/admin`);
    await managerReady(page);
    expectExactTimesReadable(await timesIn(page.locator('[data-role=tokens]')));
  });
});
