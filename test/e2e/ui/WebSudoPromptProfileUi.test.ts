// An administrator on the profile page without a websudo window (logged in, no administrative
// activity since) deletes their own sudo token, or all their tokens while one is a sudo token: the
// call is refused (WEBSUDO_REQUIRED, nothing deleted), the same AUI dialog as on the Token Manager
// leads to the host's password page, and that page comes back to the profile, where the delete
// now works. Jira's profile and Confluence's Settings tab alike.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { Product } from '../../../host-sim/spi';
import { forEachBrowserDatabase, type TestDatabaseKind } from '../../support/databases';
import type { TestHost } from '../../support/hostServer';
import { API, dialog, flagTexts, loginWithForm, PANEL_PAGE, panelReady, passWebSudo, useBrowserSuite, WEBSUDO_PAGE } from './support/browser';

const MINUTE = 60_000;

const CASES: ReadonlyArray<readonly [Product, TestDatabaseKind]> = [['jira', 'sqlite'], ['confluence', 'postgres']];

for (const [product, dbKind] of CASES) {
  forEachBrowserDatabase(`WebSudoPromptProfileUi ${product}`, dbKind, (kind) => {
    let host: TestHost;
    let page: Page;
    useBrowserSuite({ product, dbKind: kind }, (suite) => ({ host, page } = suite));
    afterEach(async () => { await host?.clock.setOffset(0); });
    before(async () => {
      const enabled = await host.request(`${API}/admin/settings`, { method: 'PUT', auth: ['admin', 'admin'], body: { sudoTokensAllowed: true } });
      expect(enabled.status).to.equal(200);
    });

    const ownTokens = async (): Promise<string[]> =>
      ((await host.request(`${API}/user/token`, { auth: ['admin', 'admin'] })).json as Array<{ description: string }>).map((t) => t.description).sort();
    const createToken = async (description: string, sudo: boolean): Promise<void> => {
      const res = await host.request(`${API}/user/token`, { method: 'POST', auth: ['admin', 'admin'], body: { tokenDescription: description, ...(sudo ? { sudo: true } : {}) } });
      expect(res.status, description).to.equal(200);
    };
    const row = (name: string) => page.locator('#apitokenauth-profile [data-role=tokens] tbody tr', { hasText: name });
    const panelPath = () => new URL(`${host.url}${PANEL_PAGE[product]}`).pathname;

    /** The prompt is open: nothing was deleted; confirming leads through the password page back to the panel. */
    async function confirmPassword(expected: string[]): Promise<void> {
      const prompt = dialog(page, 'Confirm your password');
      await prompt.waitFor();
      expect(await ownTokens(), 'nothing deleted').to.deep.equal(expected);
      await Promise.all([page.waitForURL((url) => url.pathname.endsWith(WEBSUDO_PAGE[product])), prompt.getByRole('button', { name: 'Confirm password' }).click()]);
      expect(await passWebSudo(page, 'admin')).to.equal(true);
      expect(new URL(page.url()).pathname).to.equal(panelPath());
      await panelReady(page);
    }

    it('should ask for the password when deleting one\'s own sudo token, and delete it afterwards', async () => {
      await createToken('Run as anyone', true);
      await createToken('Plain script', false);
      await loginWithForm(page, host, 'admin', 'admin', PANEL_PAGE[product]);
      await panelReady(page);

      await row('Run as anyone').getByRole('button', { name: 'Delete token Run as anyone' }).click();
      await dialog(page, 'Delete token?').getByRole('button', { name: 'Delete' }).click();
      await confirmPassword(['Plain script', 'Run as anyone']);

      await row('Run as anyone').getByRole('button', { name: 'Delete token Run as anyone' }).click();
      await dialog(page, 'Delete token?').getByRole('button', { name: 'Delete' }).click();
      await row('Run as anyone').waitFor({ state: 'detached' });
      expect(await flagTexts(page)).to.deep.equal(['Token "Run as anyone" deleted.']);
      expect(await ownTokens()).to.deep.equal(['Plain script']);
    });

    it('should ask for the password for "Delete all tokens" while one is a sudo token, and delete all afterwards', async () => {
      // The window the first case opened has ended: 10 minutes without administrative activity.
      await host.clock.advance(11 * MINUTE);
      await createToken('Run as again', true);
      await page.goto(`${host.url}${PANEL_PAGE[product]}`);
      await panelReady(page);

      await page.getByRole('button', { name: 'Delete all tokens' }).click();
      await dialog(page, 'Delete all your tokens?').getByRole('button', { name: 'Delete all', exact: true }).click();
      await confirmPassword(['Plain script', 'Run as again']);

      await page.getByRole('button', { name: 'Delete all tokens' }).click();
      await dialog(page, 'Delete all your tokens?').getByRole('button', { name: 'Delete all', exact: true }).click();
      await page.locator('#apitokenauth-profile [data-role=empty]').waitFor();
      expect(await ownTokens()).to.deep.equal([]);
    });
  });
}
