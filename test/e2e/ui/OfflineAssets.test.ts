// docs/ui.md "Nothing is loaded from a CDN": every page the plugin adds
// (the profile panel, the Token Manager, the settings page) loads every script, stylesheet, font
// and image from the host itself, and is usable with every other origin unreachable. Nothing
// checked it: an AUI asset, a font or an icon taken from a CDN would have passed every suite on
// a machine with network access.
import { expect } from 'chai';
import type { Page, Request, Response } from 'playwright-core';
import { forEachBrowserDatabase } from '../../support/databases';
import { loginWithForm, managerReady, open, panelReady, PANEL_PAGE, SERVLET, settingsReady, useBrowserSuite, type BrowserSuite } from './support/browser';

const PAGES: ReadonlyArray<[name: string, path: string, ready: (page: Page) => Promise<void>]> = [
  ['profile panel', PANEL_PAGE.jira, panelReady],
  ['Token Manager', `${SERVLET}/admin`, managerReady],
  ['settings page', `${SERVLET}/settings`, settingsReady],
];

forEachBrowserDatabase('OfflineAssets', 'sqlite', (dbKind) => {
  let s: BrowserSuite;
  useBrowserSuite({ product: 'jira', dbKind }, (suite) => { s = suite; });

  it('should load every page of the plugin from the host alone, usable with every other origin cut off', async function () {
    this.timeout(60000);
    const origin = new URL(s.host.url).origin;
    const foreign: string[] = [];
    const broken: string[] = [];
    await s.context.route('**/*', async (route) => {
      const url = route.request().url();
      if (url.startsWith('data:') || url.startsWith('blob:') || new URL(url).origin === origin) { await route.continue(); return; }
      foreign.push(url);
      await route.abort('internetdisconnected');
    });
    const onResponse = (res: Response) => {
      const type = res.request().resourceType();
      if (['script', 'stylesheet', 'font', 'image'].includes(type) && res.status() >= 400) broken.push(`${res.status()} ${type} ${res.url()}`);
    };
    const onFailed = (req: Request) => { if (new URL(req.url()).origin === origin) broken.push(`failed ${req.resourceType()} ${req.url()}`); };
    s.page.on('response', onResponse);
    s.page.on('requestfailed', onFailed);
    try {
      let first = true;
      for (const [name, path, ready] of PAGES) {
        if (first) await loginWithForm(s.page, s.host, 'admin', 'admin', path);
        else await open(s.page, s.host, path);
        first = false;
        await ready(s.page);
        expect(await s.page.evaluate(() => typeof (window as unknown as { AJS?: unknown }).AJS), `${name}: AUI loaded`).to.equal('object');
      }
    } finally {
      s.page.off('response', onResponse);
      s.page.off('requestfailed', onFailed);
      await s.context.unroute('**/*');
    }
    expect(foreign, 'requests to other origins').to.deep.equal([]);
    expect(broken, 'assets that did not load').to.deep.equal([]);
  });
});
