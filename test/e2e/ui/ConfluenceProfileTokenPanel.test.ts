// Confluence: the token panel under the profile's Settings tab, snippets that call the
// Confluence API, the Token Manager in Confluence's administration layout behind its password
// re-entry (/authenticate.action), in English and German.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { forEachBrowserDatabase } from '../../support/databases';
import type { TestHost } from '../../support/hostServer';
import {
  capture, dialog, flagTexts, loginWithForm, managerReady, open, PANEL_PAGE, panelReady, runShell, SERVLET, settingsReady, textOf, useBrowserSuite,
} from './support/browser';

for (const locale of ['en-US', 'de-DE'] as const) {
  const de = locale === 'de-DE';
  forEachBrowserDatabase(`ConfluenceProfileTokenPanel ${locale}`, locale === 'en-US' ? 'postgres' : 'mariadb', (dbKind) => {
    let host: TestHost;
    let page: Page;
    const tag = `${de ? 'de' : 'en'}-${dbKind}`;

    useBrowserSuite({ product: 'confluence', dbKind, locale }, (suite) => { ({ host, page } = suite); });

    it('should reach the panel through the profile\'s Settings tab and create a token whose snippets call the Confluence API', async () => {
      expect(host.url).to.match(/\/confluence$/);
      await loginWithForm(page, host, 'admin', 'admin', '/users/viewmyprofile.action');
      expect(await page.locator('#apitokenauth-profile').count()).to.equal(0);
      await page.getByRole('link', { name: de ? 'Einstellungen' : 'Settings', exact: true }).click();
      expect(new URL(page.url()).pathname).to.equal(`/confluence${PANEL_PAGE.confluence}`);
      await panelReady(page);
      await capture(page, `confluence-panel-${tag}`);
      await page.getByRole('button', { name: de ? 'Token erstellen' : 'Create token' }).click();
      const create = dialog(page, de ? 'API-Token erstellen' : 'Create API token');
      await create.getByLabel('Name').fill('Confluence sync');
      // The example rule is Confluence's: a Jira rule copied from it would refuse every request.
      expect(await create.locator('textarea[name=restrictions]').getAttribute('placeholder')).to.match(/^\[GET\]\.\*\/rest\/api\/content\[/);
      await create.getByRole('button', { name: de ? 'Erstellen' : 'Create', exact: true }).click();
      const shown = dialog(page, de ? 'Ihr neues API-Token' : 'Your new API token');
      await shown.waitFor();
      await shown.locator('details[data-role=snippets] summary').click();
      const snippet = await shown.locator('[data-snippet=curl-basic]').innerText();
      expect(snippet).to.contain(`${host.url}/rest/api/user/current`);
      await capture(page, `confluence-new-token-${tag}`);
      expect(JSON.parse(await runShell(snippet)).username).to.equal('admin');
      expect(JSON.parse(await runShell(await shown.locator('[data-snippet=curl-bearer]').innerText())).username).to.equal('admin');
      await shown.getByRole('button', { name: de ? 'Token kopieren' : 'Copy token', exact: true }).click();
      await shown.getByRole('button', { name: de ? 'Schließen' : 'Close' }).click();
      await flagTexts(page);
      await page.locator('[data-role=tokens] tbody tr', { hasText: 'Confluence sync' }).waitFor();
    });

    it('should frame the Token Manager and the settings in Confluence\'s administration, after the password re-entry', async () => {
      await page.goto(`${host.url}${SERVLET}/admin`);
      expect(new URL(page.url()).pathname).to.equal('/confluence/authenticate.action');
      await capture(page, `confluence-websudo-${tag}`);
      await open(page, host, `${SERVLET}/admin`);
      await managerReady(page);
      expect(await textOf(page, '#logo')).to.equal('Confluence');
      expect(await textOf(page, '[data-role=summary]')).to.equal(de ? '1–1 von 1 Token' : 'Showing 1–1 of 1 token');
      expect(await page.getByRole('link', { name: de ? 'Abmelden' : 'Log out' }).count()).to.equal(1);
      await capture(page, `confluence-token-manager-${tag}`);
      await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: de ? 'Einstellungen' : 'Settings' }).click();
      await settingsReady(page);
      await capture(page, `confluence-settings-${tag}`);
    });
  });
}
