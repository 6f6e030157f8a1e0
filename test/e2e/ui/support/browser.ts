// Headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core, plus the helpers
// the UI suites share: form login and websudo, screenshots, axe-core checks, running a snippet,
// REST calls as a user.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import type { Product } from '../../../../host-sim/spi';
import type { TestDatabaseKind } from '../../../support/databases';
import { PLUGIN_DESCRIPTOR, ROOT, startTestHost, type TestHost } from '../../../support/hostServer';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const ARTIFACT_DIR = path.join(ROOT, 'test-artifacts');
export const SCREENSHOT_DIR = path.join(ARTIFACT_DIR, 'screenshots');
export const AXE_DIR = path.join(ARTIFACT_DIR, 'axe');
export const SERVLET = '/plugins/servlet/de.resolution.apitokenauth';
export const API = '/rest/de.resolution.apitokenauth/latest';
const AXE_SCRIPT = require.resolve('axe-core/axe.min.js');

/** Where the token panel is: Jira's profile page, Confluence's profile Settings tab. */
export const PANEL_PAGE: Record<Product, string> = { jira: '/secure/ViewProfile.jspa', confluence: '/users/viewmysettings.action' };
export const ADMIN_PAGE: Record<Product, string> = { jira: '/secure/admin/ViewApplicationProperties.jspa', confluence: '/admin/console.action' };
export const WEBSUDO_PAGE: Record<Product, string> = { jira: '/secure/admin/WebSudoAuthenticate.jspa', confluence: '/authenticate.action' };

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** A browser context for a host: clipboard allowed, a 1280×720 screen, the given browser language. */
export async function newHostContext(browser: Browser, host: TestHost, locale = 'en-US'): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, locale });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(host.url).origin });
  return context;
}

/** Confirms the password on the websudo page when the browser is there. */
export async function passWebSudo(page: Page, password: string): Promise<boolean> {
  if (!(await page.locator('#websudo-form').count())) return false;
  await page.fill('#websudo-password', password);
  await Promise.all([page.waitForURL((url) => !url.pathname.endsWith('WebSudoAuthenticate.jspa') && !url.pathname.endsWith('authenticate.action')), page.click('#websudo-submit')]);
  return true;
}

/**
 * Logs in through the login form and waits for `destination`; administration pages ask for the
 * password again (websudo), which is confirmed on the way.
 */
export async function loginWithForm(page: Page, host: TestHost, username: string, password: string, destination: string): Promise<void> {
  await page.goto(`${host.url}/login.jsp?os_destination=${encodeURIComponent(destination)}`);
  await page.fill('#login-form-username', username);
  await page.fill('#login-form-password', password);
  await Promise.all([page.waitForURL((url) => url.pathname !== new URL(`${host.url}/login.jsp`).pathname), page.click('#login-form-submit')]);
  await passWebSudo(page, password);
  expect(new URL(page.url()).pathname).to.equal(new URL(`${host.url}${destination.split('?')[0]}`).pathname);
}

/** Goes to a page of the host; confirms websudo with `password` when asked. */
export async function open(page: Page, host: TestHost, pathname: string, password = 'admin'): Promise<void> {
  await page.goto(`${host.url}${pathname}`);
  await passWebSudo(page, password);
}

/** Waits until the token panel has loaded its list. */
export async function panelReady(page: Page): Promise<void> {
  await page.locator('#apitokenauth-profile').locator('[data-role=tokens], [data-role=empty]').first().waitFor();
}

/** Waits until the Token Manager shows the answer to its last query. */
export async function managerReady(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const summary = document.querySelector('[data-role=summary]')?.textContent ?? '';
    return summary !== '' && !/Loading|Wird geladen/.test(summary);
  });
}

/** Waits until the settings form holds the current settings. */
export async function settingsReady(page: Page): Promise<void> {
  await page.locator('form[data-form=settings][data-loaded=true]').waitFor();
}

/** Saves a full-page screenshot under test-artifacts/screenshots/ (git-ignored). */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: string[];
}

/**
 * Runs axe-core on the page as it is (dialogs included) and fails on any serious or critical
 * violation; every finding is written to test-artifacts/axe/<name>.json.
 */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE_SCRIPT });
  const violations = await page.evaluate(async () => {
    type AxeResult = { violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[]; failureSummary?: string }> }> };
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResult> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${(n.failureSummary ?? '').replace(/\s+/g, ' ')}`),
    }));
  }) as AxeViolation[];
  fs.mkdirSync(AXE_DIR, { recursive: true });
  fs.writeFileSync(path.join(AXE_DIR, `${name}.json`), JSON.stringify(violations, null, 2));
  const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(blocking, `${name}: ${JSON.stringify(blocking, null, 1)}`).to.deep.equal([]);
}

/** Screenshot and axe check of the page in its current state. */
export async function capture(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  await expectAccessible(page, name);
}

/**
 * An open AUI dialog by its title, once its first focus is placed (`data-ready`): AUI focuses
 * in a later task, which would otherwise land in the middle of a `fill` of another field.
 */
export function dialog(page: Page, title: string | RegExp): Locator {
  return page.getByRole('dialog', { name: title }).and(page.locator('[data-ready]'));
}

/** The text of the AUI flags shown since the last call (they are closed afterwards). */
export async function flagTexts(page: Page): Promise<string[]> {
  await page.locator('#aui-flag-container .aui-flag[open]').first().waitFor();
  const texts = await page.locator('#aui-flag-container .aui-flag[open]').allInnerTexts();
  await page.evaluate(() => document.querySelectorAll('#aui-flag-container .aui-flag').forEach((f) => f.remove()));
  return texts.map((t) => t.trim());
}

/** Runs a shell command line (a copied snippet) and returns its stdout. */
export function runShell(commandLine: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('/bin/sh', ['-c', commandLine], { timeout: 15000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${commandLine.split(' ')[0]} failed: ${stderr || err.message}`));
      else resolve(stdout);
    });
  });
}

/** `curl` with Basic `user:secret`; returns the HTTP status. */
export async function curlStatus(url: string, user: string, secret: string): Promise<number> {
  const out = await new Promise<string>((resolve, reject) => {
    execFile('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-u', `${user}:${secret}`, url], { timeout: 15000 },
      (err, stdout) => (err ? reject(err) : resolve(stdout)));
  });
  return Number(out);
}

/** Creates a host user through the product's REST API (as admin). Returns the user key. */
export async function createHostUser(host: TestHost, product: Product, name: string, displayName: string, extra: { email?: string } = {}): Promise<string> {
  const email = extra.email ?? `${name}@example.com`;
  if (product === 'jira') {
    const res = await host.request('/rest/api/2/user', { method: 'POST', auth: ['admin', 'admin'], body: { name, password: name, emailAddress: email, displayName } });
    if (res.status !== 201) throw new Error(`cannot create user ${name}: ${res.status} ${res.text}`);
    return String(res.json.key);
  }
  const res = await host.request('/rest/api/admin/user', { method: 'POST', auth: ['admin', 'admin'], body: { userName: name, fullName: displayName, email, password: name } });
  if (res.status !== 200 && res.status !== 201) throw new Error(`cannot create user ${name}: ${res.status} ${res.text}`);
  const user = await host.request(`/rest/api/user?username=${encodeURIComponent(name)}`, { auth: ['admin', 'admin'] });
  return String(user.json.userKey);
}

/** The text of the first element matching `selector`, trimmed. */
export async function textOf(page: Page, selector: string): Promise<string> {
  return (await page.locator(selector).first().innerText()).trim();
}

/** The plugin descriptor the UI suites load (the real one). */
export function uiPluginDescriptors(): string[] {
  return [PLUGIN_DESCRIPTOR];
}

/** What {@link useBrowserSuite} hands to a suite once its `before` hook has run. */
export interface BrowserSuite {
  readonly host: TestHost;
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
}

/** Closes every AUI dialog and flag (a failed step must not leave a modal over the next test). */
export async function closeLayers(page: Page): Promise<void> {
  await page.evaluate(() => {
    const AJS = (window as unknown as { AJS?: { dialog2(el: Element): { hide(): void } } }).AJS;
    document.querySelectorAll('.aui-dialog2').forEach((d) => { try { AJS?.dialog2(d).hide(); } catch { /* gone */ } d.remove(); });
    document.querySelectorAll('#aui-flag-container .aui-flag').forEach((f) => f.remove());
  }).catch(() => undefined);
}

/**
 * Registers a UI suite's hooks: a host with the real plugin, Chromium and one page (in the
 * browser language `locale`) before the suite (handed over through `assign`), closing stray
 * dialogs after each test, and tearing everything down after the suite.
 */
export function useBrowserSuite(options: { product: Product; dbKind: TestDatabaseKind; env?: Record<string, string>; locale?: string; captureLogs?: boolean; logLevel?: string },
  assign: (suite: BrowserSuite) => void): void {
  let suite: BrowserSuite | undefined;
  let started: Partial<BrowserSuite> = {};
  before(async function () {
    this.timeout(120000);
    const host = await startTestHost({
      product: options.product, dbKind: options.dbKind, descriptors: uiPluginDescriptors(), env: options.env, captureLogs: options.captureLogs, logLevel: options.logLevel,
    });
    started = { host };
    const browser = await launchChromium();
    started = { host, browser };
    const context = await newHostContext(browser, host, options.locale);
    started = { host, browser, context };
    const page = await context.newPage();
    page.setDefaultTimeout(10000);
    suite = { host, browser, context, page };
    assign(suite);
  });
  afterEach(async () => { if (suite) await closeLayers(suite.page); });
  after(async function () {
    this.timeout(60000);
    await started.context?.close();
    await started.browser?.close();
    await started.host?.stop();
  });
}

/**
 * Holds back the page's GET requests to `pattern` until `release()`; `stop()` releases them and
 * removes the route (call it in a `finally`).
 */
export async function holdGets(page: Page, pattern: string): Promise<{ release(): void; stop(): Promise<void> }> {
  let release!: () => void;
  const held = new Promise<void>((resolve) => { release = resolve; });
  await page.route(pattern, async (route) => {
    if (route.request().method() === 'GET') await held;
    await route.fallback();
  });
  return { release, stop: async () => { release(); await page.unroute(pattern); } };
}

/**
 * Chooses `item` ("Edit", "Regenerate", "Delete", …) from a Token Manager row's "…" actions
 * menu (AUI dropdown2), opened by clicking `trigger`.
 */
export async function chooseRowAction(page: Page, trigger: Locator, item: string): Promise<void> {
  await trigger.click();
  await page.locator(`[id="${await trigger.getAttribute('aria-controls')}"]`).getByRole('menuitem', { name: item, exact: true }).click();
}
