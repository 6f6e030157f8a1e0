// The licence warning (issue 13): while the plugin's licence is expired or missing, every
// plugin page — token panel, Token Manager, settings — shows an AUI warning that tokens can be
// managed but not used to sign in; and so it is: a token created on the page then is refused,
// and works once the licence is valid again (and the warning is gone). In Jira in English and
// in Confluence in German.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { LicenseState, Product } from '../../../host-sim/spi';
import { forEachBrowserDatabase, type TestDatabaseKind } from '../../support/databases';
import type { TestHost } from '../../support/hostServer';
import {
  API, capture, curlStatus, dialog, flagTexts, loginWithForm, managerReady, open, PANEL_PAGE, panelReady, SERVLET, settingsReady, useBrowserSuite,
} from './support/browser';

const CASES: ReadonlyArray<{ product: Product; locale: string; database: TestDatabaseKind }> = [
  { product: 'jira', locale: 'en-US', database: 'sqlite' }, { product: 'confluence', locale: 'de-DE', database: 'mariadb' },
];

for (const { product, locale, database } of CASES) {
  const de = locale === 'de-DE';
  forEachBrowserDatabase(`LicenceBannerUi ${product} ${locale}`, database, (dbKind) => {
    let host: TestHost;
    let page: Page;
    const tag = `${product}-${de ? 'de' : 'en'}-${dbKind}`;
    const myself = product === 'jira' ? '/rest/api/2/myself' : '/rest/api/user/current';
    const warning = () => page.locator('[data-role=licence-warning]');

    useBrowserSuite({ product, dbKind, locale }, (suite) => {
      ({ host, page } = suite);
      // A machine shared with other suites can be slow to answer; the steps wait, they are not timed.
      page.setDefaultTimeout(30_000);
    });

    async function setLicence(state: LicenseState): Promise<void> {
      const res = await host.request(`/rest/hostsim/1.0/license/${encodeURIComponent('de.resolution.apitokenauth')}`, { method: 'PUT', auth: ['admin', 'admin'], body: { state } });
      expect(res.status, res.text).to.equal(200);
    }

    /** Opens each plugin page and returns the licence warning's text on it ('' when there is none). */
    async function warningsOnEveryPage(shot?: string): Promise<string[]> {
      const texts: string[] = [];
      for (const [name, path, ready] of [
        ['panel', PANEL_PAGE[product], panelReady], ['manager', `${SERVLET}/admin`, managerReady], ['settings', `${SERVLET}/settings`, settingsReady],
      ] as const) {
        await open(page, host, path);
        await ready(page);
        texts.push((await warning().count()) ? (await warning().innerText()).replace(/\s+/g, ' ').trim() : '');
        if (shot) await capture(page, `licence-${shot}-${name}-${tag}`);
      }
      return texts;
    }

    it('should show no warning while the licence is valid', async function () {
    this.timeout(120_000);
      await loginWithForm(page, host, 'admin', 'admin', PANEL_PAGE[product]);
      expect(await warningsOnEveryPage()).to.deep.equal(['', '', '']);
    });

    it('should warn on every page while the licence has expired, and tokens created meanwhile do not sign in until it is valid again', async function () {
    this.timeout(120_000);
      await setLicence('expired');
      const expected = de
        ? 'Die Lizenz der API-Token-Authentifizierung ist abgelaufen Tokens lassen sich weiter anlegen, bearbeiten, erneuern und löschen, aber mit keinem kann man sich anmelden, bis eine gültige Lizenz installiert ist.'
        : 'The licence of API Token Authentication has expired Tokens can still be created, edited, regenerated and deleted, but no token can be used to sign in until a valid licence is installed.';
      expect(await warningsOnEveryPage('expired')).to.deep.equal([expected, expected, expected]);

      // Managing still works: a token is created on the panel, under the warning.
      await open(page, host, PANEL_PAGE[product]);
      await panelReady(page);
      await page.getByRole('button', { name: de ? 'Token erstellen' : 'Create token' }).click();
      const create = dialog(page, de ? 'API-Token erstellen' : 'Create API token');
      await create.getByLabel('Name').fill('Made while unlicensed');
      await create.getByRole('button', { name: de ? 'Erstellen' : 'Create', exact: true }).click();
      const shown = dialog(page, de ? 'Ihr neues API-Token' : 'Your new API token');
      await shown.waitFor();
      const secret = await shown.getByLabel('Token', { exact: true }).inputValue();
      await shown.getByRole('button', { name: de ? 'Token kopieren' : 'Copy token' }).click();
      await shown.getByRole('button', { name: de ? 'Schließen' : 'Close' }).click();
      await flagTexts(page);
      const listed = (await host.request(`${API}/user/token`, { auth: ['admin', 'admin'] })).json as Array<{ description: string }>;
      expect(listed.map((t) => t.description)).to.include('Made while unlicensed');
      expect(await curlStatus(`${host.url}${myself}`, 'admin', secret), 'no sign-in without a licence').to.equal(401);

      await setLicence('valid');
      expect(await warningsOnEveryPage()).to.deep.equal(['', '', '']);
      expect(await curlStatus(`${host.url}${myself}`, 'admin', secret)).to.equal(200);
    });

    it('should name a missing licence as such', async function () {
    this.timeout(120_000);
      await setLicence('none');
      await open(page, host, PANEL_PAGE[product]);
      await panelReady(page);
      expect(await warning().getAttribute('data-licence-state')).to.equal('none');
      expect(await warning().locator('.title').innerText()).to.equal(de ? 'Die API-Token-Authentifizierung hat keine Lizenz' : 'API Token Authentication has no licence');
      await capture(page, `licence-none-panel-${tag}`);
      await setLicence('valid');
    });
  });
}
