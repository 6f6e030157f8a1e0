// Fixtures for the UI servlet tests that need no host: an I18nResolver over the UI bundles,
// an in-memory user directory and a configurable access provider.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import winston from 'winston';
import type { HostUser, I18nResolver, UserManager } from '../../../../host-sim/spi';
import { createUiModules, type UiDependencies, type UserUiAccess } from '../../../../plugin/ui';

export const UI_BUNDLE_DIR = path.resolve(__dirname, '../../../../i18n');

/** Reads a `.properties` file (UTF-8, `key=value`, `#` comments). */
export function readProperties(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of fs.readFileSync(file, 'utf8').split(/\r?\n/)) {
    const m = /^\s*([^#!\s][^=]*?)\s*=(.*)$/.exec(line);
    if (m) out[m[1]] = m[2];
  }
  return out;
}

/** An I18nResolver over the plugin's bundles. */
export function uiBundleResolver(): I18nResolver {
  const en = readProperties(path.join(UI_BUNDLE_DIR, 'apitokenauth.properties'));
  const de = { ...en, ...readProperties(path.join(UI_BUNDLE_DIR, 'apitokenauth_de.properties')) };
  const bundle = (locale: string): Record<string, string> => (locale === 'de' ? de : en);
  return {
    getText: (locale, key, ...args) => (bundle(locale)[key] ?? key).replace(/\{(\d+)\}/g, (m, n: string) => (args[Number(n)] === undefined ? m : String(args[Number(n)]))),
    resolveLocale: (header, userLocale) => {
      // An explicit header wins when it names a supported language (`*` does not).
      const fromHeader = /(^|,)\s*(de|en)\b/i.exec(header ?? '');
      if (fromHeader) return fromHeader[2].toLowerCase();
      return (userLocale ?? 'en').toLowerCase().startsWith('de') ? 'de' : 'en';
    },
    supportedLocales: () => ['en', 'de'],
    getBundle: (locale) => bundle(locale),
  };
}

export function makeUser(partial: Partial<HostUser> & { key: string; name: string }): HostUser {
  return { displayName: partial.name, email: `${partial.name}@example.com`, active: true, locale: 'en_US', timeZone: 'Europe/Berlin', ...partial };
}

export function memoryUserManager(users: readonly HostUser[]): UserManager {
  return {
    getUserByName: async (name) => users.find((u) => u.name.toLowerCase() === name.toLowerCase()) ?? null,
    getUserByKey: async (key) => users.find((u) => u.key === key) ?? null,
    peekUserByKey: (key) => users.find((u) => u.key === key) ?? null,
    findUsersByEmail: async (email) => users.filter((u) => u.email.toLowerCase() === email.toLowerCase()),
    searchUsers: async (query, limit) => users.filter((u) => `${u.name} ${u.displayName} ${u.email}`.toLowerCase().includes(query.toLowerCase())).slice(0, limit),
    getGroupNames: async () => [],
    isUserInGroup: async () => false,
    isSystemAdmin: async () => false,
    isAdmin: async () => false,
    checkPassword: async () => null,
  };
}

export const NO_ACCESS: UserUiAccess = {
  canUseTokens: true, canCreateOnBehalf: false, isSystemAdmin: false, readOnlyOnly: false,
  maxValidityMonths: 12, defaultValidityMonths: 12, secureMode: false, authSchemes: 'both', expiryWarningDays: [7, 1],
};

/** A running express app with the UI servlet at the host's path; `?as=<name>` sets the principal. */
export interface UiServletServer {
  readonly url: string;
  readonly deps: UiDependencies;
  close(): Promise<void>;
}

export async function startUiServlet(users: readonly HostUser[], accessByKey: Record<string, Partial<UserUiAccess>>): Promise<UiServletServer> {
  const deps: UiDependencies = {
    i18n: uiBundleResolver(),
    userManager: memoryUserManager(users),
    baseUrl: 'http://127.0.0.1/jira',
    contextPath: '/jira',
    pluginKey: 'de.resolution.apitokenauth',
    access: { forUser: async (key) => ({ ...NO_ACCESS, ...(accessByKey[key] ?? {}) }) },
    logger: winston.createLogger({ silent: true }),
  };
  const ui = createUiModules(deps);
  const app = express();
  app.use((req, _res, next) => {
    const as = typeof req.query.as === 'string' ? users.find((u) => u.name === req.query.as) : undefined;
    if (as) req.principal = { user: as, method: 'session' };
    next();
  });
  app.use('/jira/plugins/servlet/de.resolution.apitokenauth', ui.adminServlet);
  app.get('/jira/panel', async (req, res) => {
    const user = users.find((u) => u.name === req.query.as);
    if (!user) { res.status(400).end(); return; }
    res.type('html').send(await ui.profilePanel({ user, locale: String(req.query.locale ?? 'en'), baseUrl: deps.baseUrl, contextPath: deps.contextPath }));
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/jira`,
    deps,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}
