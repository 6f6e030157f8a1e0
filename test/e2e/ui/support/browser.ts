// Headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core, plus the helpers
// the UI suites share: form login, screenshots, running a snippet, REST calls as a user.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Product } from '../../../../host-sim/spi';
import type { TestDatabaseKind } from '../../../support/databases';
import { PLUGIN_DESCRIPTOR, ROOT, startTestHost, type TestHost } from '../../../support/hostServer';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.join(ROOT, 'test-artifacts', 'screenshots');
export const SERVLET = '/plugins/servlet/de.resolution.apitokenauth';
export const API = '/rest/de.resolution.apitokenauth/latest';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** A browser context for a host: clipboard allowed, a fixed viewport, the given browser language. */
export async function newHostContext(browser: Browser, host: TestHost, locale = 'en-US'): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(host.url).origin });
  return context;
}

/** Logs in through the login form and waits for the redirect to `destination`. */
export async function loginWithForm(page: Page, host: TestHost, username: string, password: string, destination: string): Promise<void> {
  await page.goto(`${host.url}/login.jsp?os_destination=${encodeURIComponent(destination)}`);
  await page.fill('#login-form-username', username);
  await page.fill('#login-form-password', password);
  await Promise.all([
    page.waitForURL((url) => url.pathname.endsWith(destination.split('?')[0])),
    page.click('#login-form-submit'),
  ]);
}

/** Saves a full-page screenshot under test-artifacts/screenshots/ (git-ignored). */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
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
export async function createHostUser(host: TestHost, product: 'jira' | 'confluence', name: string, displayName: string, extra: { email?: string } = {}): Promise<string> {
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

/**
 * Registers a UI suite's hooks: a host with the real plugin, Chromium and one page before the
 * suite (handed over through `assign`), closing stray dialogs after each test, and tearing
 * everything down after the suite.
 */
export function useBrowserSuite(options: { product: Product; dbKind: TestDatabaseKind; env?: Record<string, string> },
  assign: (suite: BrowserSuite) => void): void {
  let suite: BrowserSuite | undefined;
  let started: Partial<BrowserSuite> = {};
  before(async function () {
    this.timeout(120000);
    const host = await startTestHost({ product: options.product, dbKind: options.dbKind, descriptors: uiPluginDescriptors(), env: options.env });
    started = { host };
    const browser = await launchChromium();
    started = { host, browser };
    const context = await newHostContext(browser, host);
    started = { host, browser, context };
    const page = await context.newPage();
    page.setDefaultTimeout(10000);
    suite = { host, browser, context, page };
    assign(suite);
  });
  // A failed step must not leave a modal dialog over the page for the next test.
  afterEach(async () => { await suite?.page.evaluate(() => document.querySelectorAll('dialog[open]').forEach((d) => (d as HTMLDialogElement).close())); });
  after(async function () {
    this.timeout(60000);
    await started.context?.close();
    await started.browser?.close();
    await started.host?.stop();
  });
}
