import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { forEachDatabase } from '../../support/databases';
import { startTestHost, type TestHost } from '../../support/hostServer';
import {
  API, createHostUser, launchChromium, loginWithForm, newHostContext, screenshot, SERVLET, textOf, uiPluginDescriptors,
} from './support/browser';

const PROFILE = '/secure/ViewProfile.jspa';

forEachDatabase('PageAccessAndLocale', (dbKind) => {
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

  it('should send an anonymous visitor to the login page and back to the Token Manager', async () => {
    const page = await newPage();
    await page.goto(`${host.url}${SERVLET}/admin`);
    expect(new URL(page.url()).pathname).to.equal(new URL(`${host.url}/login.jsp`).pathname);
    await page.fill('#login-form-username', 'admin');
    await page.fill('#login-form-password', 'admin');
    await Promise.all([page.waitForURL(`${host.url}${SERVLET}/admin`), page.click('#login-form-submit')]);
    await page.locator('[data-role=summary]').waitFor();
    expect(await textOf(page, 'h1')).to.equal('API Token Manager');
  });

  it('should show the 403 page on both admin pages to a user without permission', async () => {
    const page = await newPage();
    await loginWithForm(page, host, 'alice', 'alice', PROFILE);
    await page.locator('#apitokenauth-profile [data-role=empty]').waitFor();
    for (const path of ['admin', 'settings']) {
      const response = await page.goto(`${host.url}${SERVLET}/${path}`);
      expect(response?.status()).to.equal(403);
      expect(await textOf(page, 'h1')).to.equal('Access denied');
      expect(await page.locator('[role=alert][data-status="403"]').count()).to.equal(1);
    }
    await screenshot(page, `forbidden-${dbKind}`);
  });

  it('should open the Token Manager, without system-admin actions, for a member of an on-behalf group', async () => {
    const page = await newPage();
    await loginWithForm(page, host, 'carl', 'carl', `${SERVLET}/admin`);
    await page.locator('[data-role=summary]').waitFor();
    expect(await page.getByRole('button', { name: 'Create token for a user' }).count()).to.equal(1);
    expect(await page.getByRole('button', { name: 'Delete all tokens of a user' }).count()).to.equal(0);
    expect(await page.getByRole('link', { name: 'API Token settings' }).count()).to.equal(0);
    expect((await page.goto(`${host.url}${SERVLET}/settings`))?.status()).to.equal(403);
  });

  it('should show the pages in German for a German browser', async () => {
    const page = await newPage('de-DE');
    await loginWithForm(page, host, 'admin', 'admin', PROFILE);
    await page.getByRole('button', { name: 'Token erstellen' }).click();
    const dialog = page.getByRole('dialog', { name: 'API-Token erstellen' });
    await dialog.getByLabel('Beschreibung').fill('Deutsches Token');
    await dialog.getByRole('button', { name: 'Erstellen' }).click();
    await page.getByRole('dialog', { name: 'Ihr neues API-Token' }).waitFor();
    await screenshot(page, `profile-new-token-de-${dbKind}`);
    await page.getByRole('button', { name: 'Fertig' }).click();
    const expires = await textOf(page, '[data-role=tokens] tbody tr [data-cell=created]');
    expect(expires).to.match(/\d{1,2}\. \w+\.? \d{4}/);
    expect(await textOf(page, '[data-role=tokens] thead')).to.contain('Läuft ab');
    await screenshot(page, `profile-de-${dbKind}`);

    await page.goto(`${host.url}${SERVLET}/admin`);
    await page.locator('[data-role=summary]').waitFor();
    expect(await textOf(page, 'h1')).to.equal('API-Token-Manager');
    expect(await textOf(page, '[data-role=summary]')).to.equal('1-1 von 1 Tokens');
    await screenshot(page, `token-manager-de-${dbKind}`);
    await page.goto(`${host.url}${SERVLET}/settings`);
    await page.getByLabel('Maximale Gültigkeit (Monate)').waitFor();
  });

  it('should link both pages from the administration sidebar', async () => {
    const page = await newPage();
    await loginWithForm(page, host, 'admin', 'admin', '/secure/admin/ViewApplicationProperties.jspa');
    const sidebar = page.locator('#admin-sidebar');
    await sidebar.getByRole('link', { name: 'API Token Manager' }).click();
    await page.locator('[data-role=summary]').waitFor();
    await page.goBack();
    await sidebar.getByRole('link', { name: 'API Token settings' }).click();
    await page.getByLabel('Maximum validity (months)').waitFor();
  });
});
