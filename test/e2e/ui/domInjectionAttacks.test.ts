// Attack review (2026-12-04): script and markup injection into the plugin's pages, tried in headless Chromium: text an
// attacker chooses — token names, display names, user names, e-mail addresses, restriction rules
// (URL patterns, parameter, header and JSON node names), the last IP behind a trusted proxy, error
// messages that echo input, the pages' own query strings and fragments, login and websudo
// destinations, REST answers opened in the browser — must reach the victim's DOM as text only.
// Each check asserts three things: no `alert`/`confirm` dialog opened, `window.__pwned` (set by every
// payload's handler) stays undefined, and no element the payload would create exists (an
// `img[src="x"]`, any element with a `pwn-…` id or an inline handler naming `__pwned`) — while the
// payload itself is on the page as literal text, so a check cannot pass by not rendering it.
import { expect } from 'chai';
import type { BrowserContext, Dialog as PwDialog, Page } from 'playwright-core';
import { forEachBrowserDatabase } from '../../support/databases';
import type { TestHost } from '../../support/hostServer';
import {
  API, chooseRowAction, createHostUser, dialog, loginWithForm, managerReady, newHostContext, PANEL_PAGE, panelReady, SERVLET, useBrowserSuite, WEBSUDO_PAGE,
  type BrowserSuite,
} from './support/browser';
import { createToken } from './support/managerFixtures';

/** A payload that, parsed as HTML, runs script (setting `window.__pwned` to `label`) and adds `#pwn-<label>`. */
const pwn = (label: string): string => `<img src="x" onerror="window.__pwned='${label}';alert('${label}')"><b id="pwn-${label}">${label}</b>`;
/** The same without whitespace (user names allow none). */
const pwnNoSpace = (label: string): string => `<svg/onload="window.__pwned='${label}'"/id="pwn-${label}">`;
/** Breaks out of a double-quoted attribute first. */
const pwnAttr = (label: string): string => `"'><img src="x" onerror="window.__pwned='${label}'" id="pwn-${label}">`;

const MALLORY_DISPLAY = pwn('displayname');
const MALLORY_EMAIL = `${pwnAttr('email').replace(/ /g, '')}@example.com`;
const EVIL_DISPLAY = pwnAttr('displayname2');
const DESC = pwn('desc');
const DEL_DESC = pwn('deldesc');
const VICTIM_DESC = pwn('vdesc');
const RULE_URL = `[GET].*/rest/api/2/myself${pwn('ruleurl')}`;
const RULE_QP = `[GET].*/rest/api/2/search[QueryParam::${pwnAttr('qpname')}==a]`;
const RULE_JSON = `[POST].*/rest/api/2/issue[JsonData::${pwnAttr('jsonnode')}==${pwn('jsonvalue')}]`;
const RULE_HEADER = `[GET].*/rest/api/2/issue[Header::X-Client==${pwn('headervalue')}]`;
const RULES = [RULE_URL, RULE_QP, RULE_JSON, RULE_HEADER].join('\n');

interface InjectionState {
  readonly pwned: unknown;
  readonly elements: string[];
}

/** What the payloads left in the page: the flag and every element made from markup. */
async function injectionState(page: Page): Promise<InjectionState> {
  return page.evaluate(() => {
    const elements: string[] = [];
    document.querySelectorAll('*').forEach((el) => {
      const made = (el.tagName === 'IMG' && el.getAttribute('src') === 'x') || el.id.startsWith('pwn-')
        || Array.from(el.attributes).some((a) => a.name.startsWith('on') && a.value.includes('__pwned'));
      if (made) elements.push(el.outerHTML.slice(0, 160));
    });
    return { pwned: (window as unknown as { __pwned?: unknown }).__pwned ?? null, elements };
  });
}

forEachBrowserDatabase('DomInjectionAttacks', 'sqlite', (dbKind) => {
  let suite: BrowserSuite;
  let host: TestHost;
  let page: Page;
  let bearer: string;
  const dialogs: string[] = [];
  const onDialog = (d: PwDialog): void => { dialogs.push(`${d.type()}: ${d.message()}`); void d.dismiss().catch(() => undefined); };
  const keys: Record<string, string> = {};
  const ids: Record<string, number> = {};
  const secrets: Record<string, string> = {};
  let lastIp: string | null = null;

  useBrowserSuite({ product: 'jira', dbKind, env: { HOSTSIM_SYSPROPS: 'hostsim.trusted.proxies=127.0.0.1' } }, (s) => {
    suite = s;
    ({ host, page } = s);
    page.on('dialog', onDialog);
  });

  /** Fails when any payload ran or made an element on `p`; `where` names the step. */
  async function expectClean(p: Page, where: string): Promise<void> {
    const state = await injectionState(p);
    expect({ where, dialogs, ...state }).to.deep.equal({ where, dialogs: [], pwned: null, elements: [] });
  }

  /** The payload is on the page as text (inside `selector`), i.e. it was rendered, and nothing ran. */
  async function expectLiteral(p: Page, selector: string, text: string, where: string): Promise<void> {
    const shown = await p.locator(selector).evaluateAll((els) => els.map((el) => el.textContent ?? '').join('\n'));
    expect(shown, `${where}: ${selector} should show the payload as text`).to.contain(text);
    await expectClean(p, where);
  }

  async function newPage(locale?: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await newHostContext(suite.browser, host, locale);
    const p = await context.newPage();
    p.setDefaultTimeout(10000);
    p.on('dialog', onDialog);
    return { context, page: p };
  }

  const managerRow = (id: number) => page.locator(`[data-role=tokens] tbody tr[data-token-id="${id}"]`);

  before(async function () {
    this.timeout(60000);
    const admin = await host.request(`${API}/user/token`, { method: 'POST', auth: ['admin', 'admin'], body: { tokenDescription: 'Suite bearer' } });
    expect(admin.status, admin.text).to.equal(200);
    bearer = admin.json.plainTextToken;
    keys.mallory = await createHostUser(host, 'jira', 'mallory', MALLORY_DISPLAY, { email: MALLORY_EMAIL });
    // Jira's user REST allows only letters, digits and . _ @ + - in user names: the markup goes into the display name.
    keys.evil = await createHostUser(host, 'jira', 'evil', EVIL_DISPLAY, { email: 'evil@example.com' });
    keys.victor = await createHostUser(host, 'jira', 'victor', 'Victor Victim');

    // Mallory, an ordinary user, names her own tokens and writes their rules.
    const mine = await host.request(`${API}/user/token`, { method: 'POST', auth: ['mallory', 'mallory'], body: { tokenDescription: DESC } });
    expect(mine.status, mine.text).to.equal(200);
    ids.desc = mine.json.id;
    secrets.desc = mine.json.plainTextToken;
    const ruled = await host.request(`${API}/user/token`, {
      method: 'POST', auth: ['mallory', 'mallory'], body: { tokenDescription: 'ruled', restrictions: RULES, ipAllowlist: ['127.0.0.1', '10.0.0.0/8'] },
    });
    expect(ruled.status, ruled.text).to.equal(200);
    ids.ruled = ruled.json.id;
    const del = await host.request(`${API}/user/token`, { method: 'POST', auth: ['mallory', 'mallory'], body: { tokenDescription: DEL_DESC } });
    expect(del.status, del.text).to.equal(200);
    ids.del = del.json.id;
    // Used through the trusted proxy with a forged X-Forwarded-For: whatever the host makes of it is the last IP.
    const used = await host.request('/rest/api/2/myself', { auth: ['mallory', mine.json.plainTextToken], headers: { 'X-Forwarded-For': pwn('xff') } });
    expect(used.status, used.text).to.equal(200);
    const evilToken = await createToken(host, bearer, { tokenDescription: 'for the user with a hostile name', tokenForUserKey: keys.evil });
    ids.evil = evilToken.id;

    // Victor's tokens, named by someone who may create tokens for him.
    const forVictor = await createToken(host, bearer, { tokenDescription: VICTIM_DESC, tokenForUserKey: keys.victor, restrictions: RULES });
    ids.victor = forVictor.id;
    const viaProxy = await host.request('/rest/api/2/myself', { auth: ['victor', forVictor.plainTextToken], headers: { 'X-Forwarded-For': `${pwn('xff2')}, 127.0.0.1` } });
    expect([200, 403]).to.include(viaProxy.status);
    const list = await host.request(`${API}/user/tokensByFilter?page=0&limit=50`, { bearer });
    lastIp = (list.json.content as Array<{ id: number; lastAccessedFromIp: string | null }>).find((t) => t.id === ids.desc)?.lastAccessedFromIp ?? null;
  });

  it('should detect a payload parsed as HTML (the detector itself)', async () => {
    const { context, page: p } = await newPage();
    try {
      await p.goto(`${host.url}/login.jsp`);
      await p.evaluate((html) => { document.body.insertAdjacentHTML('beforeend', html); }, pwn('selftest'));
      await p.waitForFunction(() => (window as unknown as { __pwned?: unknown }).__pwned === 'selftest');
      const state = await injectionState(p);
      expect(state.pwned).to.equal('selftest');
      expect(state.elements).to.have.length(2);
      // The payload's alert reaches this process as an event of its own: wait for it, then forget it.
      while (!dialogs.length) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(dialogs.splice(0)).to.deep.equal(['alert: selftest']);
    } finally {
      await context.close();
    }
  });

  it('should show hostile token names, owners, rules and the forwarded last IP as text in the Token Manager', async function () {
    this.timeout(30000);
    await loginWithForm(page, host, 'admin', 'admin', `${SERVLET}/admin`);
    await managerReady(page);
    await expectLiteral(page, `[data-role=tokens] tr[data-token-id="${ids.desc}"] [data-cell=description]`, DESC, 'manager description');
    await expectLiteral(page, `[data-role=tokens] tr[data-token-id="${ids.desc}"] [data-cell=owner]`, `${MALLORY_DISPLAY} (mallory)`, 'manager owner');
    await expectLiteral(page, `[data-role=tokens] tr[data-token-id="${ids.evil}"] [data-cell=owner]`, `${EVIL_DISPLAY} (evil)`, 'manager owner attribute breakout');
    const ipCell = (await managerRow(ids.desc).locator('[data-cell=last-ip]').textContent())?.trim();
    expect(ipCell).to.equal(lastIp ?? '—');
    await managerRow(ids.ruled).locator('details.ata-rules-more summary').click();
    for (const rule of [RULE_URL, RULE_QP, RULE_JSON, RULE_HEADER]) {
      await expectLiteral(page, `[data-role=tokens] tr[data-token-id="${ids.ruled}"] [data-cell=restrictions]`, rule, `manager restrictions ${rule.slice(0, 30)}`);
    }
    // The accessible names of the row's checkbox and actions menu carry the same text.
    expect(await managerRow(ids.desc).locator('[data-role=row-actions]').getAttribute('aria-label')).to.contain(DESC);
    await expectClean(page, 'manager loaded');
  });

  it('should list hostile display names and e-mail addresses as text in the user picker', async function () {
    this.timeout(20000);
    const search = page.getByRole('combobox', { name: 'Users' });
    await search.fill('mallory');
    await page.getByRole('option').first().waitFor();
    await expectLiteral(page, '[role=listbox] [role=option]', `${MALLORY_DISPLAY} (mallory)`, 'picker display name');
    await expectLiteral(page, '[role=listbox] [role=option]', MALLORY_EMAIL, 'picker e-mail');
    await search.press('Enter');
    await expectLiteral(page, '.ata-chip', MALLORY_DISPLAY, 'picked user chip');
    await search.fill('evil');
    await page.getByRole('option').first().waitFor();
    await expectLiteral(page, '[role=listbox] [role=option]', EVIL_DISPLAY, 'picker attribute breakout');
    await search.press('Escape');
    await page.getByRole('button', { name: 'Reset' }).click();
    await managerReady(page);
    await expectClean(page, 'picker closed');
  });

  it('should show a hostile name as text in the delete confirmation and in its AUI flag (HTML body)', async function () {
    this.timeout(20000);
    await chooseRowAction(page, managerRow(ids.del).locator('[data-role=row-actions]'), 'Delete');
    const confirm = dialog(page, 'Delete token?');
    await confirm.waitFor();
    await expectLiteral(page, '[role=dialog]', DEL_DESC, 'delete confirmation');
    await expectLiteral(page, '[role=dialog]', MALLORY_DISPLAY, 'delete confirmation owner');
    await confirm.locator('[data-action=confirm]').click();
    await page.locator('#aui-flag-container .aui-flag[open]').first().waitFor();
    await expectLiteral(page, '#aui-flag-container .aui-flag', DEL_DESC, 'delete flag');
    await managerReady(page);
  });

  it('should show a hostile display name and name as text while creating a token for that user, and echoed rule errors as text', async function () {
    this.timeout(30000);
    await page.locator('[data-action=create-for-user]').click();
    const chooser = page.locator('[role=dialog][data-role=choose-user][data-ready]');
    await chooser.waitFor();
    await chooser.getByRole('combobox').fill('mallory');
    await chooser.getByRole('option').first().waitFor();
    await expectLiteral(page, '[role=dialog] [role=option]', `${MALLORY_DISPLAY} (mallory)`, 'choose-user option');
    await chooser.getByRole('combobox').press('Enter');
    const create = page.locator('[role=dialog][data-role=create-token][data-ready]');
    await create.waitFor();
    await expectLiteral(page, '[role=dialog][data-role=create-token] h2', MALLORY_DISPLAY, 'create dialog title');
    await create.locator('input[name=tokenDescription]').fill(pwn('newdesc'));
    await create.getByText(/Advanced/).click();
    // An invalid rule whose message may quote it.
    await create.locator('textarea[name=restrictions]').fill(`[FETCH]${pwn('badrule')}\n.*(${pwn('badrule2')}`);
    await create.locator('[data-action=create]').click();
    await create.locator('.error:not(:empty), .aui-message-error').first().waitFor();
    await expectClean(page, 'create dialog rule errors');
    await create.locator('textarea[name=restrictions]').fill('');
    await create.locator('[data-action=create]').click();
    const shown = page.locator('[role=dialog][data-role=new-token][data-ready]');
    await shown.waitFor();
    await expectLiteral(page, '#aui-flag-container .aui-flag', pwn('newdesc'), 'created-for flag');
    await expectLiteral(page, '#aui-flag-container .aui-flag', MALLORY_DISPLAY, 'created-for flag user');
    await shown.locator('details[data-role=snippets] summary').click();
    await expectLiteral(page, '[role=dialog][data-role=new-token]', 'mallory', 'new token facts');
    await shown.locator('[data-action=copy-token]').click();
    await shown.locator('[data-action=done]').click();
    await managerReady(page);
    await expectClean(page, 'after create for user');
  });

  it('should show a hostile name as text in the Token Manager\'s edit and regenerate dialogs', async function () {
    this.timeout(20000);
    await chooseRowAction(page, managerRow(ids.desc).locator('[data-role=row-actions]'), 'Edit');
    const edit = page.locator('[role=dialog][data-role=edit-token][data-ready]');
    await edit.waitFor();
    expect(await edit.locator('input[name=tokenDescription]').inputValue()).to.equal(DESC);
    await expectClean(page, 'edit dialog');
    await edit.locator('[data-action=cancel], button:has-text("Cancel")').first().click();
    await chooseRowAction(page, managerRow(ids.desc).locator('[data-role=row-actions]'), 'Regenerate');
    const regen = page.locator('[role=dialog][data-role=regenerate-token][data-ready]');
    await regen.waitFor();
    await expectLiteral(page, '[role=dialog][data-role=regenerate-token]', DESC, 'regenerate dialog');
    await regen.locator('[data-action=cancel]').click();
    await expectClean(page, 'after regenerate dialog');
  });

  it('should show a hostile display name as text when deleting all tokens of that user', async function () {
    this.timeout(20000);
    await page.locator('[data-action=delete-all-for-user]').click();
    const chooser = page.locator('[role=dialog][data-role=choose-user][data-ready]');
    await chooser.waitFor();
    await chooser.getByRole('combobox').fill('evil');
    await chooser.getByRole('option').first().waitFor();
    await chooser.getByRole('combobox').press('Enter');
    const confirm = page.locator('[role=dialog][data-role=confirm][data-ready]');
    await confirm.waitFor();
    await expectLiteral(page, '[role=dialog][data-role=confirm]', EVIL_DISPLAY, 'delete-all confirmation');
    await confirm.locator('[data-action=confirm]').click();
    await page.locator('#aui-flag-container .aui-flag[open]').first().waitFor();
    await expectLiteral(page, '#aui-flag-container .aui-flag', EVIL_DISPLAY, 'delete-all flag');
    await managerReady(page);
  });

  it('should keep hostile filter and Find input, and the page\'s own query and fragment, out of the markup', async function () {
    this.timeout(20000);
    await page.getByLabel('Name contains').fill(pwn('filter'));
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await managerReady(page);
    await expectClean(page, 'description filter');
    const find = page.locator('[data-role=find-token]');
    await find.fill(`apitok_${pwnNoSpace('find')}`);
    await find.press('Enter');
    await page.locator('.ata-find-section .aui-message, .ata-find-section .error:not(:empty)').first().waitFor();
    await expectClean(page, 'find box error');
    await find.fill(secrets.desc);
    await find.press('Enter');
    await page.locator('[data-role=found]:not(:empty)').waitFor();
    await managerReady(page);
    await expectLiteral(page, '[data-role=found]', DESC, 'found token name');
    await expectLiteral(page, '[data-role=found]', MALLORY_DISPLAY, 'found token owner');
    for (const suffix of [`?find=${encodeURIComponent(pwn('q'))}&sort=${encodeURIComponent(pwn('sort'))}#${pwn('frag')}`,
      `#<img src=x onerror=window.__pwned='frag2'>`]) {
      await page.goto(`${host.url}${SERVLET}/admin${suffix}`);
      await managerReady(page);
      await expectClean(page, `manager ${suffix.slice(0, 20)}`);
    }
    await page.goto(`${host.url}${SERVLET}/settings?x=${encodeURIComponent(pwn('settingsq'))}#${pwn('settingsfrag')}`);
    await page.locator('form[data-form=settings][data-loaded=true]').waitFor();
    await expectClean(page, 'settings query and fragment');
  });

  it('should show hostile group names and addresses echoed by the settings\' errors as text', async function () {
    this.timeout(20000);
    await page.goto(`${host.url}${SERVLET}/settings`);
    await page.locator('form[data-form=settings][data-loaded=true]').waitFor();
    await page.getByLabel('Groups that may create tokens on behalf of others', { exact: true }).fill(`${pwn('group')}\n${pwnAttr('group2')}`);
    await page.getByLabel('Allowed client addresses', { exact: true }).fill(pwn('globalip'));
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('form[data-form=settings] .error:not(:empty)').first().waitFor();
    await expectLiteral(page, 'form[data-form=settings] .error', pwn('group'), 'settings unknown group error');
    await expectClean(page, 'settings errors');
  });

  it('should render hostile input echoed by REST answers and unknown servlet paths as data, not a page', async function () {
    this.timeout(20000);
    const urls = [
      `${API}/user/tokensByFilter?sort=${encodeURIComponent(pwn('restsort'))}&order=${encodeURIComponent(pwn('restorder'))}`,
      `${API}/user/tokensByFilter?description=${encodeURIComponent(pwn('restdesc'))}`,
      `${API}/user/token/${encodeURIComponent(pwn('restid'))}`,
      `${API}/user/tokensByFilter?format=${encodeURIComponent(pwn('restformat'))}`,
      `${SERVLET}/${encodeURIComponent(pwn('servlet'))}`,
      `${SERVLET}/static/${encodeURIComponent(pwn('static'))}`,
      `${SERVLET}/users/search?query=${encodeURIComponent(pwn('usersearch'))}`,
      `${SERVLET}/users/lookup?key=${encodeURIComponent(pwn('userlookup'))}`,
    ];
    for (const url of urls) {
      await page.goto(`${host.url}${url}`);
      await expectClean(page, url);
    }
  });

  it('should never follow a javascript: or foreign login or websudo destination, nor reflect it as markup', async function () {
    this.timeout(30000);
    const { context, page: p } = await newPage();
    try {
      for (const dest of ['javascript:window.__pwned=\'loginjs\'', `/secure/ViewProfile.jspa"><img src=x onerror="window.__pwned='logindest'">`, '//evil.example/', '/\\evil.example/']) {
        await p.goto(`${host.url}/login.jsp?os_destination=${encodeURIComponent(dest)}`);
        await expectClean(p, `login page ${dest}`);
      }
      await p.fill('#login-form-username', 'admin');
      await p.fill('#login-form-password', 'admin');
      await Promise.all([p.waitForURL((u) => !u.pathname.endsWith('login.jsp')), p.click('#login-form-submit')]);
      expect(new URL(p.url()).origin).to.equal(new URL(host.url).origin);
      await expectClean(p, 'after login');
      for (const dest of ['javascript:window.__pwned=\'sudojs\'', `${SERVLET}/admin"><img src=x onerror="window.__pwned='sudodest'">`, '//evil.example/']) {
        await p.goto(`${host.url}${WEBSUDO_PAGE.jira}?webSudoDestination=${encodeURIComponent(dest)}`);
        await p.locator('#websudo-form').waitFor();
        await expectClean(p, `websudo page ${dest}`);
      }
      await p.fill('#websudo-password', 'admin');
      await Promise.all([p.waitForURL((u) => !u.pathname.endsWith('WebSudoAuthenticate.jspa')), p.click('#websudo-submit')]);
      expect(new URL(p.url()).origin).to.equal(new URL(host.url).origin);
      await expectClean(p, 'after websudo');
    } finally {
      await context.close();
    }
  });

  it('should show hostile token names and rules as text on the victim\'s profile panel, its dialogs and the mail link', async function () {
    this.timeout(40000);
    const { context, page: p } = await newPage();
    try {
      await loginWithForm(p, host, 'victor', 'victor', PANEL_PAGE.jira);
      await panelReady(p);
      const row = `#apitokenauth-profile tr[data-token-id="${ids.victor}"]`;
      await expectLiteral(p, `${row} [data-cell=description]`, VICTIM_DESC, 'panel description');
      for (const rule of [RULE_URL, RULE_QP, RULE_JSON, RULE_HEADER]) {
        await expectLiteral(p, `${row} [data-cell=restrictions]`, rule, `panel restrictions ${rule.slice(0, 30)}`);
      }
      await expectClean(p, 'panel last used');

      await p.locator(`${row} [data-action=delete]`).click();
      await p.locator('[role=dialog][data-role=confirm][data-ready]').waitFor();
      await expectLiteral(p, '[role=dialog][data-role=confirm]', VICTIM_DESC, 'panel delete confirmation');
      await p.locator('[role=dialog][data-role=confirm]').getByRole('button', { name: 'Cancel' }).click();

      await p.locator(`${row} [data-action=edit]`).click();
      const edit = p.locator('[role=dialog][data-role=edit-token][data-ready]');
      await edit.waitFor();
      expect(await edit.locator('input[name=tokenDescription]').inputValue()).to.equal(VICTIM_DESC);
      await edit.locator('input[name=tokenDescription]').fill(pwn('renamed'));
      await edit.locator('button[type=submit], [data-action=save]').first().click();
      await p.locator('#aui-flag-container .aui-flag[open]').first().waitFor();
      await panelReady(p);
      await expectLiteral(p, `${row} [data-cell=description]`, pwn('renamed'), 'panel renamed');

      // The mails' link: the regenerate dialog of that token, then hostile variants of the link.
      await p.goto(`${host.url}${PANEL_PAGE.jira}?apitokenauth.rotate=${ids.victor}#apitokenauth-token-${ids.victor}`);
      const regen = p.locator('[role=dialog][data-role=regenerate-token][data-ready]');
      await regen.waitFor();
      await expectLiteral(p, '[role=dialog][data-role=regenerate-token]', pwn('renamed'), 'mail link regenerate dialog');
      await regen.locator('[data-action=cancel]').click();
      for (const link of [
        `?apitokenauth.rotate=${encodeURIComponent(pwn('rotate'))}#apitokenauth-token-${pwn('anchor')}`,
        `?apitokenauth.rotate=${ids.victor}${encodeURIComponent(pwn('rotate2'))}`,
        `#apitokenauth-token-${ids.victor}"><img src=x onerror="window.__pwned='anchor2'">`,
        '?apitokenauth.rotate=999999999',
      ]) {
        await p.goto(`${host.url}${PANEL_PAGE.jira}${link}`);
        await panelReady(p);
        await expectClean(p, `mail link ${link.slice(0, 40)}`);
      }
      await p.evaluate(() => { window.location.hash = '#apitokenauth-token-1<img src=x onerror="window.__pwned=\'hashchange\'">'; });
      await expectClean(p, 'hashchange');
    } finally {
      await context.close();
    }
  });

  it('should show a hostile display name and e-mail address as text on the user\'s own profile page', async function () {
    this.timeout(20000);
    const { context, page: p } = await newPage();
    try {
      await loginWithForm(p, host, 'mallory', 'mallory', PANEL_PAGE.jira);
      await panelReady(p);
      await expectLiteral(p, '#up-d-fullname', MALLORY_DISPLAY, 'profile full name');
      await expectLiteral(p, '#up-d-email', MALLORY_EMAIL, 'profile e-mail');
      await expectLiteral(p, `#apitokenauth-profile tr[data-token-id="${ids.desc}"] [data-cell=description]`, DESC, 'own panel description');
      await expectClean(p, 'own profile');
    } finally {
      await context.close();
    }
  });

  it('should answer the CSV export as a download, not as a page the browser renders', async () => {
    const res = await page.request.get(`${host.url}${API}/user/tokensByFilter?format=csv&description=${encodeURIComponent('<img')}`);
    expect(res.status()).to.equal(200);
    expect(res.headers()['content-type']).to.match(/^text\/csv/);
    expect(res.headers()['content-disposition']).to.match(/^attachment; filename="api-tokens-[0-9-]+\.csv"$/);
    expect(await res.text()).to.contain('<img src=""x""');
  });
});
