// The token tables of the profile panel and the Token Manager without a mouse and in narrow
// windows: every relative time carries its exact date and time in the user's zone in the text a
// screen reader reads (not only in a hover title), while the row keeps one visible line; at
// 1024 px neither page scrolls sideways — the table scrolls inside its own region, which is
// named and reachable with the keyboard, and which is no tab stop when nothing overflows. The
// Token Manager's row actions are one "…" menu (AUI dropdown2) per row, for keyboard and mouse.
import { expect } from 'chai';
import type { Locator, Page } from 'playwright-core';
import { forEachBrowserDatabase } from '../../support/databases';
import type { TestHost } from '../../support/hostServer';
import { capture, createHostUser, dialog, expectAccessible, loginWithForm, managerReady, open, panelReady, PANEL_PAGE, SERVLET, useBrowserSuite } from './support/browser';
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

  it('should offer each Token Manager row\'s actions in one "…" menu (AUI dropdown2), by keyboard and mouse, with focus back on it', async function () {
    this.timeout(60000);
    await open(page, host, `${SERVLET}/admin`);
    await managerReady(page);
    const rows = page.locator('[data-role=tokens] tbody tr');
    for (const tr of await rows.all()) {
      const controls = tr.locator('td.ata-actions').locator('button, a[href], [tabindex="0"]');
      expect(await controls.count(), 'one control per row').to.equal(1);
      expect(await controls.getAttribute('aria-haspopup')).to.equal('true');
      expect(await controls.getAttribute('aria-label')).to.contain(await tr.locator('th').innerText());
      expect((await tr.locator('td.ata-actions > :first-child').boundingBox())!.height, 'the actions are one button high').to.be.below(40);
    }
    const row = rows.filter({ has: page.locator('th', { hasText: 'Used once' }) });
    const trigger = row.locator('td.ata-actions button');
    const menu = page.locator(`[id="${await trigger.getAttribute('aria-controls')}"]`);

    await trigger.focus();
    await page.keyboard.press('Enter');
    await menu.getByRole('menuitem').first().waitFor();
    expect(await trigger.getAttribute('aria-expanded')).to.equal('true');
    expect(await menu.getByRole('menuitem').allInnerTexts()).to.deep.equal(['Edit', 'Regenerate', 'Delete']);
    // axe only: a full-page screenshot resizes the window, which closes AUI's menu.
    await expectAccessible(page, `tables-manager-row-menu-${dbKind}`);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const confirm = dialog(page, 'Delete token?');
    await confirm.waitFor();
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    await page.waitForFunction((el) => document.activeElement === el, await trigger.elementHandle());

    await trigger.click();
    await menu.getByRole('menuitem', { name: 'Edit' }).click();
    const edit = dialog(page, 'Edit token');
    await edit.waitFor();
    await page.keyboard.press('Escape');
    await edit.waitFor({ state: 'detached' });
    await page.waitForFunction((el) => document.activeElement === el, await trigger.elementHandle());
    expect(await trigger.getAttribute('aria-expanded')).to.not.equal('true');

    // The last row's menu is not cut off by the table's scroll box: its last item is on top where it is drawn.
    const lastTrigger = rows.last().locator('td.ata-actions button');
    await lastTrigger.click();
    const lastItem = page.locator(`[id="${await lastTrigger.getAttribute('aria-controls')}"]`).getByRole('menuitem').last();
    await lastItem.waitFor();
    expect(await lastItem.evaluate((a) => {
      const box = a.getBoundingClientRect();
      return a.contains(document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2));
    })).to.equal(true);
    await page.keyboard.press('Escape');
  });

  /** How far the page itself scrolls sideways (0: not at all). */
  const pageOverflow = (): Promise<number> => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  /** The element the token table scrolls in, and what it says about itself. */
  async function scrollRegion(table: Locator): Promise<{ role: string | null; named: boolean; tabindex: string | null; overflow: number }> {
    // Two frames: what the page does on a resize has run.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    return table.evaluate((el) => {
      const wrap = el.parentElement!;
      const labelledBy = wrap.getAttribute('aria-labelledby');
      const name = wrap.getAttribute('aria-label') ?? (labelledBy ? document.getElementById(labelledBy)?.textContent : '') ?? '';
      return { role: wrap.getAttribute('role'), named: name.trim() !== '', tabindex: wrap.getAttribute('tabindex'), overflow: wrap.scrollWidth - wrap.clientWidth };
    });
  }
  /** Focuses the region by Tab from the control before it and scrolls it with the arrow key. */
  async function scrollByKeyboard(table: Locator): Promise<number> {
    await table.evaluate((el) => {
      const wrap = el.parentElement!;
      const before = Array.from(document.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, summary, [tabindex]'))
        .filter((f) => !f.hasAttribute('disabled') && f.tabIndex >= 0 && !wrap.contains(f) && (f.compareDocumentPosition(wrap) & Node.DOCUMENT_POSITION_FOLLOWING) && f.offsetParent !== null);
      before[before.length - 1].focus();
    });
    // The region comes right after the last control before it, or after its own header controls.
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      if (await table.evaluate((el) => document.activeElement === el.parentElement)) break;
    }
    expect(await table.evaluate((el) => document.activeElement === el.parentElement), 'the region is reached with Tab').to.equal(true);
    await page.keyboard.press('ArrowRight');
    // Keyboard scrolling is animated.
    await page.waitForFunction((el) => el!.parentElement!.scrollLeft > 0, await table.elementHandle(), { timeout: 3000 }).catch(() => undefined);
    return table.evaluate((el) => el.parentElement!.scrollLeft);
  }

  it('should not scroll the Token Manager sideways at 1024 px: the table scrolls in its own named region, reached and scrolled with the keyboard', async function () {
    this.timeout(60000);
    await page.setViewportSize({ width: 1024, height: 720 });
    try {
      await page.reload();
      await managerReady(page);
      const table = page.locator('[data-role=tokens]');
      expect(await pageOverflow(), 'the page scrolls sideways').to.be.at.most(0);
      const region = await scrollRegion(table);
      expect(region.overflow, 'the table needs more room than 1024 px leave').to.be.greaterThan(0);
      expect(region).to.deep.include({ role: 'region', named: true, tabindex: '0' });
      expect(await scrollByKeyboard(table)).to.be.greaterThan(0);
      await capture(page, `tables-manager-1024-${dbKind}`);
    } finally {
      await page.setViewportSize({ width: 1280, height: 720 });
    }
    await page.reload();
    await managerReady(page);
    // At 1280 px the table fits: nothing to scroll, so the region is no tab stop.
    expect(await pageOverflow()).to.be.at.most(0);
    const wide = await scrollRegion(page.locator('[data-role=tokens]'));
    expect(wide.overflow).to.be.at.most(0);
    expect(wide.tabindex).to.equal(null);
  });

  it('should not scroll the profile page sideways at 1024 px', async () => {
    await page.setViewportSize({ width: 1024, height: 720 });
    try {
      await open(page, host, PANEL_PAGE.jira);
      await panelReady(page);
      const table = page.locator('#apitokenauth-profile [data-role=tokens]');
      expect(await pageOverflow(), 'the page scrolls sideways').to.be.at.most(0);
      const region = await scrollRegion(table);
      expect(region.role).to.equal('region');
      expect(region.named).to.equal(true);
      if (region.overflow > 0) {
        expect(region.tabindex).to.equal('0');
        expect(await scrollByKeyboard(table)).to.be.greaterThan(0);
      } else {
        expect(region.tabindex).to.equal(null);
      }
      await capture(page, `tables-profile-1024-${dbKind}`);
    } finally {
      await page.setViewportSize({ width: 1280, height: 720 });
    }
  });
});
