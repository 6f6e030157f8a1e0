// An administrator whose websudo window ended while the Token Manager was open (10 minutes of the
// host clock without administrative activity) and who then deletes a token: the call is refused
// (WEBSUDO_REQUIRED, nothing deleted), an AUI dialog says why and leads to the host's password page,
// which comes back to the Token Manager, where the same delete now works.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { forEachBrowserDatabase } from '../../support/databases';
import type { TestHost } from '../../support/hostServer';
import {
  API, capture, chooseRowAction, createHostUser, dialog, loginWithForm, managerReady, passWebSudo, SERVLET, useBrowserSuite, WEBSUDO_PAGE,
} from './support/browser';

const MINUTE = 60_000;

forEachBrowserDatabase('WebSudoPromptUi', 'mariadb', (dbKind) => {
  let host: TestHost;
  let page: Page;
  useBrowserSuite({ product: 'jira', dbKind }, (suite) => ({ host, page } = suite));
  afterEach(async () => { await host?.clock.setOffset(0); });

  const tokensOf = async (userKey: string): Promise<number> =>
    (await host.request(`${API}/user/tokensByFilter?userFilter=${userKey}`, { auth: ['admin', 'admin'] })).json.total as number;

  it('should explain the password prompt, lead through the websudo page and back, and then delete', async () => {
    const daveKey = await createHostUser(host, 'jira', 'dave', 'Dave Miller');
    const created = await host.request(`${API}/user/token`, { method: 'POST', auth: ['dave', 'dave'], body: { tokenDescription: 'Nightly export' } });
    expect(created.status).to.equal(200);
    await loginWithForm(page, host, 'admin', 'admin', `${SERVLET}/admin`);
    await managerReady(page);

    await host.clock.advance(11 * MINUTE);
    await chooseRowAction(page, page.getByRole('button', { name: 'Actions for token Nightly export of Dave Miller (dave)' }), 'Delete');
    await dialog(page, 'Delete token?').getByRole('button', { name: 'Delete' }).click();
    const prompt = dialog(page, 'Confirm your password');
    await prompt.waitFor();
    expect(await prompt.innerText()).to.contain('administrative actions need your password again after 10 minutes without administrative activity');
    expect(await tokensOf(daveKey), 'nothing deleted').to.equal(1);
    await capture(page, `websudo-prompt-${dbKind}`);

    await Promise.all([page.waitForURL((url) => url.pathname.endsWith(WEBSUDO_PAGE.jira)), prompt.getByRole('button', { name: 'Confirm password' }).click()]);
    expect(await passWebSudo(page, 'admin')).to.equal(true);
    expect(new URL(page.url()).pathname).to.equal(new URL(`${host.url}${SERVLET}/admin`).pathname);
    await managerReady(page);

    await chooseRowAction(page, page.getByRole('button', { name: 'Actions for token Nightly export of Dave Miller (dave)' }), 'Delete');
    await dialog(page, 'Delete token?').getByRole('button', { name: 'Delete' }).click();
    await page.waitForFunction(() => /of 0 tokens|No tokens/.test(document.querySelector('[data-role=summary]')?.textContent ?? ''));
    expect(await tokensOf(daveKey), 'deleted after the password').to.equal(0);
  });
});
