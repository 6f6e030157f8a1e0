// The links of the expiry mails into the token panel (issue 13): the link taken from the real
// mail (expiry-warning job, host outbox) opens the panel with the token's row highlighted
// (`#apitokenauth-token-<id>`) and its regenerate dialog open (`?apitokenauth.rotate=<id>`);
// regenerating from there renews the token. In Jira in English, and in Confluence in German,
// where the links name the profile's Settings tab (the page with the panel).
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { Product } from '../../../host-sim/spi';
import { forEachBrowserDatabase, type TestDatabaseKind } from '../../support/databases';
import type { TestHost } from '../../support/hostServer';
import { API, capture, curlStatus, dialog, flagTexts, loginWithForm, PANEL_PAGE, panelReady, useBrowserSuite } from './support/browser';

const DAY = 864e5;
const PLUGIN = 'de.resolution.apitokenauth';
const CASES: ReadonlyArray<{ product: Product; locale: string; database: TestDatabaseKind }> = [
  { product: 'jira', locale: 'en-US', database: 'postgres' }, { product: 'confluence', locale: 'de-DE', database: 'sqlite' },
];

for (const { product, locale, database } of CASES) {
  const de = locale === 'de-DE';
  forEachBrowserDatabase(`MailLinkUi ${product} ${locale}`, database, (dbKind) => {
    let host: TestHost;
    let page: Page;
    const tag = `${product}-${de ? 'de' : 'en'}-${dbKind}`;
    const myself = product === 'jira' ? '/rest/api/2/myself' : '/rest/api/user/current';

    useBrowserSuite({ product, dbKind, locale }, (suite) => {
      ({ host, page } = suite);
      // A machine shared with other suites can be slow to answer; the steps wait, they are not timed.
      page.setDefaultTimeout(30_000);
    });

    const ownTokens = async (): Promise<Array<{ id: number; description: string; validUntil: number }>> =>
      (await host.request(`${API}/user/token`, { auth: ['admin', 'admin'] })).json;

    /**
     * Creates a token expiring in 8 days, moves the host clock a day on (the 7-day warning is
     * due), runs the expiry-warning job, moves the clock back, and returns the mail's link.
     */
    async function mailedLink(name: string): Promise<{ id: number; secret: string; link: string }> {
      const created = await host.request(`${API}/user/token`, {
        method: 'POST', auth: ['admin', 'admin'], body: { tokenDescription: name, tokenExpirationDateTimeMillis: host.runtime.clock.now() + 8 * DAY },
      });
      expect(created.status, created.text).to.equal(200);
      await host.runtime.clock.setOffsetMillis(DAY + 60_000);
      try {
        const ran = await host.request(`/rest/hostsim/1.0/jobs/${encodeURIComponent(`${PLUGIN}:expiry-warning-job`)}/run`, { method: 'POST', auth: ['admin', 'admin'] });
        expect(ran.status, ran.text).to.equal(200);
      } finally {
        await host.runtime.clock.setOffsetMillis(0);
      }
      const outbox = (await host.request('/rest/hostsim/1.0/mail', { auth: ['admin', 'admin'] })).json as Array<{ text: string }>;
      const mail = outbox.find((m) => m.text.includes(`(id ${created.json.id})`) || m.text.includes(`(ID ${created.json.id})`));
      expect(mail, 'expiry mail').to.not.equal(undefined);
      const link = /https?:\/\/\S+\?apitokenauth\.rotate=\d+#apitokenauth-token-\d+/.exec(mail!.text)?.[0];
      expect(link, mail!.text).to.be.a('string');
      return { id: created.json.id, secret: created.json.plainTextToken, link: link! };
    }

    it('should open the panel from the mail with the token highlighted and its regenerate dialog open, and renew it from there', async function () {
    this.timeout(120_000);
      await loginWithForm(page, host, 'admin', 'admin', PANEL_PAGE[product]);
      await panelReady(page);
      await host.request(`${API}/user/token`, { method: 'POST', auth: ['admin', 'admin'], body: { tokenDescription: 'Other token', tokenValidityTimeInMonths: 6 } });
      const { id, secret, link } = await mailedLink('Nightly sync');
      expect(link).to.equal(`${host.url}${PANEL_PAGE[product]}?apitokenauth.rotate=${id}#apitokenauth-token-${id}`);

      await page.goto(link);
      await panelReady(page);
      expect(new URL(page.url()).pathname).to.equal(new URL(`${host.url}${PANEL_PAGE[product]}`).pathname);
      const regenerate = dialog(page, de ? 'Token erneuern' : 'Regenerate token');
      await regenerate.waitFor();
      expect(await regenerate.locator('[data-role=intro]').innerText()).to.contain(de ? 'Token „Nightly sync“' : 'Token "Nightly sync"');
      const row = page.locator(`#apitokenauth-token-${id}`);
      expect(await row.getAttribute('class')).to.contain('ata-row-highlight');
      expect(await row.locator('th').innerText()).to.equal('Nightly sync');
      expect(await page.locator('.ata-row-highlight').count()).to.equal(1);
      // The request is done: a reload must not open the dialog again (the anchor stays).
      expect(new URL(page.url()).searchParams.has('apitokenauth.rotate')).to.equal(false);
      expect(new URL(page.url()).hash).to.equal(`#apitokenauth-token-${id}`);
      await capture(page, `mail-link-dialog-${tag}`);

      const before = (await ownTokens()).find((t) => t.id === id)!;
      await regenerate.getByRole('button', { name: de ? 'Erneuern' : 'Regenerate' }).click();
      const shown = dialog(page, de ? 'Ihr erneuertes API-Token' : 'Your regenerated API token');
      await shown.waitFor();
      const fresh = await shown.getByLabel('Token', { exact: true }).inputValue();
      await shown.getByRole('button', { name: de ? 'Token kopieren' : 'Copy token' }).click();
      await shown.getByRole('button', { name: de ? 'Schließen' : 'Close' }).click();
      await flagTexts(page);
      const after = (await ownTokens()).find((t) => t.id === id)!;
      expect(after.validUntil - before.validUntil, 'renewed by the default validity (12 months), not the 8 days left').to.be.above(300 * DAY);
      expect(await curlStatus(`${host.url}${myself}`, 'admin', secret)).to.equal(401);
      expect(await curlStatus(`${host.url}${myself}`, 'admin', fresh)).to.equal(200);

      await page.reload();
      await panelReady(page);
      expect(await page.locator('[role=dialog]').count(), 'no dialog after a reload').to.equal(0);
      expect(await page.locator(`#apitokenauth-token-${id}`).getAttribute('class')).to.contain('ata-row-highlight');
    });

    it('should only highlight the row for the anchor alone, and say so when the linked token is gone', async function () {
    this.timeout(120_000);
      const [other] = (await ownTokens()).filter((t) => t.description === 'Other token');
      // Within the page (the panel is open on the last link): the hash changes, no reload.
      await page.goto(`${host.url}${PANEL_PAGE[product]}#apitokenauth-token-${other.id}`);
      await page.locator(`#apitokenauth-token-${other.id}.ata-row-highlight`).waitFor();
      expect(await page.locator('.ata-row-highlight').count(), 'one row marked').to.equal(1);
      // And opened afresh (another query: a new document).
      await page.goto(`${host.url}${PANEL_PAGE[product]}?from=mail#apitokenauth-token-${other.id}`);
      await panelReady(page);
      await page.locator('.ata-row-highlight').waitFor();
      expect(await page.locator('.ata-row-highlight th').innerText()).to.equal('Other token');
      expect(await page.locator('[role=dialog]').count()).to.equal(0);

      const gone = await mailedLink('Short lived');
      expect((await host.request(`${API}/user/token/${gone.id}`, { method: 'DELETE', auth: ['admin', 'admin'] })).status).to.be.oneOf([200, 204]);
      await page.goto(gone.link);
      await panelReady(page);
      const warning = page.locator('#apitokenauth-profile .ata-messages .aui-message-warning');
      await warning.waitFor();
      expect(await warning.innerText()).to.contain(de ? `(ID ${gone.id})` : `(id ${gone.id})`);
      expect(await page.locator('[role=dialog]').count()).to.equal(0);
      await capture(page, `mail-link-gone-${tag}`);
    });
  });
}
