// Who reaches which page, and the pages in German: the login and websudo on the way to an
// administration page, one 403 page in the host's layout, the Token Manager for a member of an
// on-behalf group (general layout, no system-admin actions), the sidebar links, Log out, and
// every page in German with natural wording and plural forms.
import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { forEachBrowserDatabase } from '../../support/databases';
import { startTestHost, type TestHost } from '../../support/hostServer';
import {
  ADMIN_PAGE, API, capture, createHostUser, dialog, flagTexts, launchChromium, loginWithForm, managerReady, newHostContext, open,
  panelReady, passWebSudo, SERVLET, settingsReady, textOf, uiPluginDescriptors,
} from './support/browser';

const PROFILE = '/secure/ViewProfile.jspa';

forEachBrowserDatabase('PageAccessAndLocale', 'postgres', (dbKind) => {
  let host: TestHost;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  async function newPage(locale = 'en-US'): Promise<Page> {
    const context = await newHostContext(browser, host, locale);
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(10000);
    return page;
  }

  before(async function () {
    this.timeout(120000);
    host = await startTestHost({ product: 'jira', dbKind, descriptors: uiPluginDescriptors() });
    await createHostUser(host, 'jira', 'alice', 'Alice Example');
    await createHostUser(host, 'jira', 'carl', 'Carl Helper');
    await host.runtime.users.createGroup('token-helpers');
    await host.runtime.users.addUserToGroup('carl', 'token-helpers');
    const res = await host.request(`${API}/admin/settings`, { method: 'PUT', auth: ['admin', 'admin'], body: { createOnBehalfGroups: ['token-helpers'] } });
    expect(res.status).to.equal(200);
    browser = await launchChromium();
  });
  after(async function () {
    this.timeout(60000);
    for (const c of contexts) await c.close();
    await browser?.close();
    await host?.stop();
  });

  it('should send an anonymous visitor through the login and the password re-entry to the Token Manager', async () => {
    const page = await newPage();
    await page.goto(`${host.url}${SERVLET}/admin`);
    expect(new URL(page.url()).pathname).to.equal(new URL(`${host.url}/login.jsp`).pathname);
    await capture(page, `login-${dbKind}`);
    await page.fill('#login-form-username', 'admin');
    await page.fill('#login-form-password', 'admin');
    await Promise.all([page.waitForURL(/WebSudoAuthenticate\.jspa/), page.click('#login-form-submit')]);
    expect(await textOf(page, 'h1')).to.equal('Administrator access');
    await page.fill('#websudo-password', 'wrong');
    await page.click('#websudo-submit');
    await page.locator('#websudo-message').waitFor();
    await capture(page, `websudo-${dbKind}`);
    expect(await passWebSudo(page, 'admin')).to.equal(true);
    expect(page.url()).to.equal(`${host.url}${SERVLET}/admin`);
    await managerReady(page);
    expect(await textOf(page, 'main h1')).to.equal('API Token Manager');

    await page.getByRole('link', { name: 'Log out' }).click();
    await page.locator('#login-message').waitFor();
    expect(await textOf(page, '#login-message')).to.equal('You are now logged out.');
  });

  it('should show one 403 page in the host\'s layout on both admin pages and the host\'s own to a user without permission', async () => {
    const page = await newPage();
    await loginWithForm(page, host, 'alice', 'alice', PROFILE);
    await panelReady(page);
    for (const path of [`${SERVLET}/admin`, `${SERVLET}/settings`, ADMIN_PAGE.jira]) {
      const response = await page.goto(`${host.url}${path}`);
      expect(response?.status(), path).to.equal(403);
      expect(await textOf(page, 'main h1')).to.equal('Access denied');
      expect(await page.locator('#forbidden-message[role=alert]').count()).to.equal(1);
      expect(await page.getByRole('link', { name: 'Log out' }).count()).to.equal(1);
      expect(await page.locator('#admin-sidebar').count()).to.equal(0);
    }
    await capture(page, `forbidden-${dbKind}`);
  });

  it('should open the Token Manager without websudo, sidebar or system-admin actions for a member of an on-behalf group', async () => {
    const page = await newPage();
    await loginWithForm(page, host, 'carl', 'carl', `${SERVLET}/admin`);
    await managerReady(page);
    expect(await page.getByRole('button', { name: 'Create token for a user' }).count()).to.equal(1);
    expect(await page.getByRole('button', { name: 'Delete all tokens of a user' }).count()).to.equal(0);
    expect(await page.locator('#admin-sidebar').count()).to.equal(0);
    expect(await page.getByRole('link', { name: 'Administration' }).count()).to.equal(0);
    await capture(page, `token-manager-delegate-${dbKind}`);
    expect((await page.goto(`${host.url}${SERVLET}/settings`))?.status()).to.equal(403);
  });

  it('should link both pages from the administration sidebar\'s API Tokens section', async () => {
    const page = await newPage();
    await loginWithForm(page, host, 'admin', 'admin', ADMIN_PAGE.jira);
    const sidebar = page.getByRole('navigation', { name: 'Administration' });
    await capture(page, `administration-${dbKind}`);
    await sidebar.getByRole('link', { name: 'Token Manager' }).click();
    await managerReady(page);
    await sidebar.getByRole('link', { name: 'Settings' }).click();
    await settingsReady(page);
    expect(await page.getByLabel('Maximum validity (months)').inputValue()).to.equal('12');
  });

  it('should show every page in German, with natural wording and plural forms', async () => {
    const page = await newPage('de-DE');
    await loginWithForm(page, host, 'admin', 'admin', PROFILE);
    await panelReady(page);
    expect(await textOf(page, '#apitokenauth-profile h2')).to.equal('API-Tokens');
    expect(await page.getByRole('link', { name: 'Abmelden' }).count()).to.equal(1);
    await page.getByRole('button', { name: 'Token erstellen' }).click();
    const create = dialog(page, 'API-Token erstellen');
    expect(await create.getByLabel('Name').inputValue()).to.match(/^API-Token vom \d{2}\.\d{2}\.\d{4}$/);
    expect(await create.innerText()).to.contain('Höchstens 12 Monate (von Ihrem Administrator festgelegt).');
    await create.getByLabel('Monate', { exact: true }).fill('13');
    await create.getByRole('button', { name: 'Erstellen', exact: true }).click();
    expect(await create.innerText()).to.contain('Ihr Administrator erlaubt höchstens 12 Monate.');
    await capture(page, `profile-create-de-${dbKind}`);
    await create.getByLabel('Name').fill('Deutsches Token');
    await create.getByLabel('Monate', { exact: true }).fill('1');
    await create.getByRole('button', { name: 'Erstellen', exact: true }).click();
    const shown = dialog(page, 'Ihr neues API-Token');
    await shown.waitFor();
    await shown.locator('details[data-role=snippets] summary').click();
    await capture(page, `profile-new-token-de-${dbKind}`);
    await shown.getByRole('button', { name: 'Schließen' }).click();
    const notCopied = dialog(page, 'Schließen, ohne zu kopieren?');
    await capture(page, `profile-not-copied-de-${dbKind}`);
    await notCopied.getByRole('button', { name: 'Ohne Kopieren schließen' }).click();
    expect(await flagTexts(page)).to.deep.equal(['Token „Deutsches Token“ wurde erstellt.']);
    const row = page.locator('[data-role=tokens] tbody tr').first();
    // Relative, with the exact time in German for screen readers (hidden text) and on hover (title).
    expect(await row.locator('[data-cell=created]').innerText()).to.match(/^jetzt\s+\(am \d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}\)$/);
    expect(await row.locator('[data-cell=expires]').innerText()).to.match(/^(in (28|29|30|31) Tagen|in 4 Wochen|nächsten Monat)\s+\(am [^)]+\)$/);
    expect(await row.locator('[data-cell=created] time').getAttribute('title')).to.match(/^\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}$/);
    expect(await textOf(page, '[data-role=tokens] thead')).to.contain('Läuft ab');
    await page.getByRole('button', { name: 'Alle Tokens löschen' }).click();
    expect(await dialog(page, 'Alle Ihre Tokens löschen?').innerText()).to.contain('Ihr Token funktioniert dann sofort nicht mehr.');
    await dialog(page, 'Alle Ihre Tokens löschen?').getByRole('button', { name: 'Abbrechen' }).click();
    await capture(page, `profile-de-${dbKind}`);

    await open(page, host, `${SERVLET}/admin`);
    await managerReady(page);
    expect(await textOf(page, 'main h1')).to.equal('API-Token-Manager');
    expect(await textOf(page, '[data-role=summary]')).to.equal('1–1 von 1 Token');
    expect(await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Token-Manager' }).count()).to.equal(1);
    await capture(page, `token-manager-de-${dbKind}`);
    await open(page, host, `${SERVLET}/settings`);
    await settingsReady(page);
    expect(await page.getByLabel('Maximale Gültigkeit (Monate)').inputValue()).to.equal('12');
    await capture(page, `settings-de-${dbKind}`);
  });
});
