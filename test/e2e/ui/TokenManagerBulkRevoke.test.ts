// Bulk revoke in the Token Manager: row checkboxes, the header checkbox for the page, "select
// all N matching" (POST /admin/tokens/delete with the list's filter), a confirmation naming the
// count in the right plural, the flag with the API's `deleted`, the list reloaded — and the
// tokens really gone (REST and authentication). English and German, Jira, both databases.
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { forEachBrowserDatabase } from '../../support/databases';
import type { TestHost } from '../../support/hostServer';
import {
  capture, createHostUser, dialog, flagTexts, loginWithForm, managerReady, newHostContext, SERVLET, textOf, useBrowserSuite,
} from './support/browser';
import { adminBearer, afterReload, allMatching, createToken, rowIds, useToken, type CreatedToken } from './support/managerFixtures';

forEachBrowserDatabase('TokenManagerBulkRevoke', 'postgres', (dbKind) => {
  let host: TestHost;
  let browser: Browser;
  let page: Page;
  let bearer: string;
  const keys: Record<string, string> = {};
  const tokens: Record<string, CreatedToken[]> = { bob: [], carol: [], dave: [] };
  const counts: Record<string, number> = { bob: 8, carol: 12, dave: 5 };

  useBrowserSuite({ product: 'jira', dbKind }, (suite) => { ({ host, page, browser } = suite); });

  before(async function () {
    this.timeout(120000);
    keys.bob = await createHostUser(host, 'jira', 'bob', 'Bob Builder');
    keys.carol = await createHostUser(host, 'jira', 'carol', 'Carol Jones');
    keys.dave = await createHostUser(host, 'jira', 'dave', 'Dave Miller');
    bearer = await adminBearer(host);
    for (const [name, count] of Object.entries(counts)) {
      for (let i = 0; i < count; i++) {
        tokens[name].push(await createToken(host, bearer, { tokenDescription: `Batch ${name} ${i}`, tokenForUserKey: keys[name], tokenValidityTimeInMonths: 1 + i }));
      }
    }
  });

  const ownedBy = async (name: string): Promise<number[]> => (await allMatching(host, bearer, `userFilter=${keys[name]}`)).map((t) => t.id);
  const selection = () => textOf(page, '[data-role=selection]');
  async function filterByUser(p: Page, name: string, apply: string): Promise<void> {
    const search = p.getByRole('combobox', { name: /^(Users|Benutzer)$/ });
    await search.fill(name);
    await p.getByRole('option', { name: new RegExp(`\\(${name}\\)`) }).waitFor();
    await search.press('Enter');
    await afterReload(p, () => p.getByRole('button', { name: apply }).click());
  }

  it('should revoke the rows ticked, after a confirmation naming the count', async function () {
    this.timeout(90000);
    await loginWithForm(page, host, 'admin', 'admin', `${SERVLET}/admin`);
    await managerReady(page);
    await filterByUser(page, 'bob', 'Apply filters');
    const shown = await rowIds(page);
    expect(shown).to.have.length(8);
    expect(await page.locator('[data-role=bulk-bar]').isHidden()).to.equal(true);
    const picked = shown.slice(0, 3);
    for (const id of picked) await page.locator(`tr[data-token-id="${id}"] input[type=checkbox]`).check();
    expect(await selection()).to.equal('3 tokens selected.');
    expect(await page.getByRole('checkbox', { name: 'Select every token on this page' }).evaluate((b) => (b as HTMLInputElement).indeterminate)).to.equal(true);
    await page.getByRole('button', { name: 'Revoke 3 tokens' }).click();
    const confirm = dialog(page, 'Revoke 3 tokens?');
    expect(await confirm.innerText()).to.contain('3 tokens will stop working at once');
    await capture(page, `token-manager-bulk-confirm-${dbKind}`);

    const request = page.waitForRequest((r) => r.url().endsWith('/admin/tokens/delete'));
    await afterReload(page, () => confirm.getByRole('button', { name: 'Revoke 3 tokens' }).click());
    expect((await request).postDataJSON()).to.deep.equal({ ids: picked });
    expect(await flagTexts(page)).to.deep.equal(['Revoked 3 tokens.']);
    expect(await textOf(page, '[data-role=summary]')).to.equal('Showing 1–5 of 5 tokens');
    expect(await ownedBy('bob')).to.have.members(shown.slice(3));
    for (const token of tokens.bob.filter((t) => picked.includes(t.id))) expect(await useToken(host, 'jira', 'bob', token.plainTextToken)).to.equal(401);
    expect(await useToken(host, 'jira', 'bob', tokens.bob.find((t) => t.id === shown[3])!.plainTextToken)).to.equal(200);
  });

  it('should ask again in the singular for one token, and change nothing when cancelled', async function () {
    this.timeout(90000);
    const box = page.getByRole('checkbox', { name: /^Select token Batch bob \d+ of Bob Builder \(bob\)$/ }).first();
    await box.focus();
    await page.keyboard.press('Space');
    expect(await selection()).to.equal('1 token selected.');
    await page.getByRole('button', { name: 'Revoke 1 token' }).click();
    const confirm = dialog(page, 'Revoke 1 token?');
    expect(await confirm.innerText()).to.contain('1 token will stop working at once, for every script that uses it.');
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'detached' });
    expect(await ownedBy('bob')).to.have.length(5);
  });

  it('should select the page with the header checkbox, then every matching token, and revoke them by filter', async function () {
    this.timeout(90000);
    await page.getByRole('button', { name: 'Reset' }).click();
    await managerReady(page);
    await page.getByLabel('Tokens per page').selectOption('10');
    await filterByUser(page, 'carol', 'Apply filters');
    expect(await rowIds(page)).to.have.length(10);
    await page.getByRole('checkbox', { name: 'Select every token on this page' }).check();
    expect(await page.locator('input[data-role=select-row]:checked').count()).to.equal(10);
    expect(await selection()).to.equal('All 10 tokens on this page are selected.');
    await page.getByRole('button', { name: 'Select all 12 matching tokens' }).click();
    expect(await selection()).to.equal('All 12 tokens matching the filters are selected.');
    await capture(page, `token-manager-bulk-all-matching-${dbKind}`);
    await page.getByRole('button', { name: 'Revoke 12 tokens' }).click();
    const request = page.waitForRequest((r) => r.url().endsWith('/admin/tokens/delete'));
    await afterReload(page, () => dialog(page, 'Revoke 12 tokens?').getByRole('button', { name: 'Revoke 12 tokens' }).click());
    expect((await request).postDataJSON()).to.deep.equal({ filter: { userFilter: [keys.carol] } });
    expect(await flagTexts(page)).to.deep.equal(['Revoked 12 tokens.']);
    expect(await textOf(page, '[data-role=summary]')).to.equal('No tokens match the filters.');
    expect(await ownedBy('carol')).to.deep.equal([]);
    expect(await ownedBy('bob')).to.have.length(5);
    expect(await ownedBy('dave')).to.have.length(5);
    expect(await useToken(host, 'jira', 'carol', tokens.carol[11].plainTextToken)).to.equal(401);
    const deleted = await host.auditEvents({ action: 'token.deleted', min: 15 });
    expect(deleted.length).to.be.at.least(15);
  });

  it('should revoke in German, with German plurals', async function () {
    this.timeout(90000);
    const context = await newHostContext(browser, host, 'de-DE');
    try {
      const de = await context.newPage();
      de.setDefaultTimeout(10000);
      await loginWithForm(de, host, 'admin', 'admin', `${SERVLET}/admin`);
      await managerReady(de);
      await filterByUser(de, 'dave', 'Filter anwenden');
      await de.getByRole('checkbox', { name: 'Alle Tokens auf dieser Seite auswählen' }).check();
      expect(await textOf(de, '[data-role=selection]')).to.equal('Alle 5 Tokens auf dieser Seite sind ausgewählt.');
      await de.locator('input[data-role=select-row]').first().uncheck();
      expect(await textOf(de, '[data-role=selection]')).to.equal('4 Tokens ausgewählt.');
      await de.getByRole('button', { name: '4 Tokens widerrufen' }).click();
      const confirm = dialog(de, '4 Tokens widerrufen?');
      expect(await confirm.innerText()).to.contain('4 Tokens funktionieren sofort nicht mehr');
      await capture(de, `token-manager-bulk-confirm-de-${dbKind}`);
      await afterReload(de, () => confirm.getByRole('button', { name: '4 Tokens widerrufen' }).click());
      expect(await flagTexts(de)).to.deep.equal(['4 Tokens wurden widerrufen.']);
      expect(await ownedBy('dave')).to.have.length(1);

      await de.locator('input[data-role=select-row]').first().check();
      expect(await textOf(de, '[data-role=selection]')).to.equal('Das einzige Token auf dieser Seite ist ausgewählt.');
      await de.getByRole('button', { name: '1 Token widerrufen' }).click();
      await afterReload(de, () => dialog(de, '1 Token widerrufen?').getByRole('button', { name: '1 Token widerrufen' }).click());
      expect(await flagTexts(de)).to.deep.equal(['1 Token wurde widerrufen.']);
      expect(await ownedBy('dave')).to.deep.equal([]);
    } finally {
      await context.close();
    }
  });
});
