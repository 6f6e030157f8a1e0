// Shared pieces of the host pages: product names and paths, the page guard and the frame.
import type { Request, Response } from 'express';
import type { HostRuntime } from '../impl/HostRuntime';
import type { ModuleRegistry } from '../loader/ModuleRegistry';
import type { HostUser, I18nResolver, Product } from '../spi';
import { renderPage } from './html';

export const PRODUCT_NAMES: Record<Product, string> = { jira: 'Jira', confluence: 'Confluence' };
export const PROFILE_PATHS: Record<Product, string> = { jira: '/secure/ViewProfile.jspa', confluence: '/users/viewmyprofile.action' };
export const ADMIN_PATHS: Record<Product, string> = { jira: '/secure/admin/ViewApplicationProperties.jspa', confluence: '/admin/console.action' };

export interface PageDeps {
  readonly runtime: HostRuntime;
  readonly registry: ModuleRegistry;
  /** The host's page and error messages (i18n/hostsim*.properties). */
  readonly i18n: I18nResolver;
}

/** The path a login may send the browser to: local to this context only (no open redirect). */
export function safeDestination(raw: unknown, fallback: string): string {
  if (typeof raw !== 'string' || raw.length > 2000) return fallback;
  if (!raw.startsWith('/') || raw.startsWith('//') || raw.includes('\\') || /[\r\n]/.test(raw)) return fallback;
  return raw;
}

export function pageLocale(deps: PageDeps, req: Request): string {
  return deps.i18n.resolveLocale(req.headers['accept-language'], req.principal?.user.locale);
}

/** The page's user, or a redirect to the login page (returns null then). */
export function pageUser(deps: PageDeps, req: Request, res: Response): HostUser | null {
  if (req.principal) return req.principal.user;
  const { contextPath } = deps.runtime.config;
  const destination = req.originalUrl.slice(contextPath.length) || '/';
  res.redirect(302, `${contextPath}/login.jsp?os_destination=${encodeURIComponent(destination)}`);
  return null;
}

/** Renders a page in the host frame with the user menu (profile, administration, plugin items, logout). */
export async function framedPage(deps: PageDeps, req: Request, title: string, body: string): Promise<string> {
  const { runtime, registry } = deps;
  const { config } = runtime;
  const hostI18n = deps.i18n;
  const locale = pageLocale(deps, req);
  const user = req.principal?.user;
  const menu: Array<readonly [string, string]> = [];
  if (user) {
    menu.push([`${config.contextPath}${PROFILE_PATHS[config.product]}`, hostI18n.getText(locale, 'hostsim.menu.profile')]);
    if (await runtime.users.isAdmin(user.key)) menu.push([`${config.contextPath}${ADMIN_PATHS[config.product]}`, hostI18n.getText(locale, 'hostsim.menu.admin')]);
    const items = await registry.webItems('profile-menu', user, {
      isAdmin: (u) => runtime.users.isAdmin(u.key),
      isSystemAdmin: (u) => runtime.users.isSystemAdmin(u.key),
    });
    for (const item of items) menu.push([`${config.contextPath}${item.module.link}`, item.label(locale)]);
    menu.push([`${config.contextPath}/logout`, hostI18n.getText(locale, 'hostsim.menu.logout')]);
  }
  return renderPage({ title, productName: PRODUCT_NAMES[config.product], contextPath: config.contextPath, locale, user, menu, body });
}
