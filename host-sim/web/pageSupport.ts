// Shared pieces of the host pages: product names and paths, the page guard, websudo and the
// page frame (header with Administration and Log out, the administration sidebar).
import type { Request, Response } from 'express';
import { currentSessionId } from '../auth/SeraphLogin';
import { passesWebSudo, WEBSUDO_PATHS, type WebSudoSessions } from '../auth/webSudo';
import type { HostRuntime } from '../impl/HostRuntime';
import type { ModuleRegistry } from '../loader/ModuleRegistry';
import type { HostUser, I18nResolver, Product } from '../spi';
import { renderPage, type HeaderLinks, type NavLink, type NavSection, type PageLayout } from './html';

export const PRODUCT_NAMES: Record<Product, string> = { jira: 'Jira', confluence: 'Confluence' };
export const PROFILE_PATHS: Record<Product, string> = { jira: '/secure/ViewProfile.jspa', confluence: '/users/viewmyprofile.action' };
/** Where `profile-page` web panels are shown: Jira's profile page, Confluence's profile Settings tab. */
export const PROFILE_PANEL_PATHS: Record<Product, string> = { jira: '/secure/ViewProfile.jspa', confluence: '/users/viewmysettings.action' };
export const ADMIN_PATHS: Record<Product, string> = { jira: '/secure/admin/ViewApplicationProperties.jspa', confluence: '/admin/console.action' };
export { WEBSUDO_PATHS };
/** The web-item section of the administration sidebar; plugin web sections live at this location. */
export const ADMIN_SIDEBAR = 'admin-sidebar';

export interface PageDeps {
  readonly runtime: HostRuntime;
  readonly registry: ModuleRegistry;
  /** The host's page and error messages (i18n/hostsim*.properties). */
  readonly i18n: I18nResolver;
  readonly webSudo: WebSudoSessions;
}

/** Control characters, spaces and the Unicode line and paragraph separators: never in a path a login sends the browser to. */
const NOT_IN_DESTINATION = /[\u0000-\u0020\u007f-\u00a0\u2028\u2029]/;

/**
 * The path a login may send the browser to: local to this context only (no open redirect). A
 * browser drops tabs and line breaks from a URL, so `/<tab>/evil` would become `//evil`: every
 * control character and space is refused, as well as `//` and backslashes.
 */
export function safeDestination(raw: unknown, fallback: string): string {
  if (typeof raw !== 'string' || raw.length > 2000) return fallback;
  if (!raw.startsWith('/') || raw.startsWith('//') || raw.includes('\\') || NOT_IN_DESTINATION.test(raw)) return fallback;
  return raw;
}

export function pageLocale(deps: PageDeps, req: Request): string {
  return deps.i18n.resolveLocale(req.headers['accept-language'], req.principal?.user.locale);
}

/** The request's path and query below the context path. */
export function localDestination(deps: PageDeps, req: Request): string {
  return req.originalUrl.slice(deps.runtime.config.contextPath.length) || '/';
}

/** The page's user, or a redirect to the login page (returns null then). */
export function pageUser(deps: PageDeps, req: Request, res: Response): HostUser | null {
  if (req.principal) return req.principal.user;
  const { contextPath } = deps.runtime.config;
  res.redirect(302, `${contextPath}/login.jsp?os_destination=${encodeURIComponent(localDestination(deps, req))}`);
  return null;
}

/**
 * Websudo for an administration page: true (and the window extended) when the request may
 * proceed; otherwise the browser is sent to the password re-entry page and false is returned.
 */
export function requireWebSudo(deps: PageDeps, req: Request, res: Response): boolean {
  const sessionId = currentSessionId(res);
  if (passesWebSudo(req, sessionId, deps.webSudo)) {
    if (sessionId) deps.webSudo.touch(sessionId);
    return true;
  }
  const { contextPath, product } = deps.runtime.config;
  const { path, param } = WEBSUDO_PATHS[product];
  res.redirect(302, `${contextPath}${path}?${param}=${encodeURIComponent(localDestination(deps, req))}`);
  return false;
}

export interface FrameOptions {
  /** Plain text. */
  readonly title: string;
  /** Already-escaped HTML. */
  readonly body: string;
  readonly layout?: PageLayout;
  /** The id of the sidebar link to mark as current (a web-item key, or `admin-general-link`). */
  readonly activeItem?: string;
  /** Already-escaped HTML for `<head>`. */
  readonly head?: string;
  /** Overrides the locale resolved from the request (a decorated plugin page's own `lang`). */
  readonly locale?: string;
}

const conditions = (deps: PageDeps) => ({
  isAdmin: (u: HostUser) => deps.runtime.users.isAdmin(u.key),
  isSystemAdmin: (u: HostUser) => deps.runtime.users.isSystemAdmin(u.key),
});

async function headerLinks(deps: PageDeps, user: HostUser, locale: string): Promise<HeaderLinks> {
  const { config } = deps.runtime;
  const t = (key: string): string => deps.i18n.getText(locale, key);
  const extra: NavLink[] = (await deps.registry.webItems('profile-menu', user, conditions(deps)))
    .map((item) => ({ id: item.module.key, href: `${config.contextPath}${item.module.link}`, label: item.label(locale) }));
  return {
    admin: (await deps.runtime.users.isAdmin(user.key))
      ? { id: 'header-admin-link', href: `${config.contextPath}${ADMIN_PATHS[config.product]}`, label: t('hostsim.menu.admin') }
      : undefined,
    profile: { id: 'header-profile-link', href: `${config.contextPath}${PROFILE_PATHS[config.product]}`, label: user.displayName || user.name },
    extra,
    logout: { id: 'header-logout-link', href: `${config.contextPath}/logout`, label: t('hostsim.menu.logout') },
  };
}

/** The administration sidebar: the host's own section, each plugin web section with its items, then loose items. */
export async function adminSidebar(deps: PageDeps, user: HostUser, locale: string, activeItem?: string): Promise<NavSection[]> {
  const { config } = deps.runtime;
  const t = (key: string): string => deps.i18n.getText(locale, key);
  const toLink = (key: string, href: string, label: string): NavLink => ({ id: key, href, label, current: key === activeItem });
  const sections: NavSection[] = [{
    id: 'admin-section-system', heading: t('hostsim.page.admin.system'),
    items: [toLink('admin-general-link', `${config.contextPath}${ADMIN_PATHS[config.product]}`, t('hostsim.page.admin.general'))],
  }];
  for (const section of deps.registry.webSections(ADMIN_SIDEBAR)) {
    const items = await deps.registry.webItems(`${ADMIN_SIDEBAR}/${section.module.key}`, user, conditions(deps));
    if (items.length === 0) continue;
    sections.push({
      id: `admin-section-${section.module.key}`, heading: section.label(locale),
      items: items.map((i) => toLink(i.module.key, `${config.contextPath}${i.module.link}`, i.label(locale))),
    });
  }
  const loose = await deps.registry.webItems(ADMIN_SIDEBAR, user, conditions(deps));
  if (loose.length > 0) {
    sections.push({
      id: 'admin-section-apps', heading: t('hostsim.page.admin.apps'),
      items: loose.map((i) => toLink(i.module.key, `${config.contextPath}${i.module.link}`, i.label(locale))),
    });
  }
  return sections;
}

/** Renders a page in the host frame; the admin layout falls back to the general one for non-admins. */
export async function framedPage(deps: PageDeps, req: Request, options: FrameOptions): Promise<string> {
  const { config } = deps.runtime;
  const locale = options.locale ?? pageLocale(deps, req);
  const t = (key: string, ...args: string[]): string => deps.i18n.getText(locale, key, ...args);
  const user = req.principal?.user;
  let layout: PageLayout = options.layout ?? 'general';
  if (layout === 'admin' && !(user && await deps.runtime.users.isAdmin(user.key))) layout = 'general';
  return renderPage({
    title: options.title,
    productName: PRODUCT_NAMES[config.product],
    contextPath: config.contextPath,
    locale,
    layout,
    user,
    header: user ? await headerLinks(deps, user, locale) : undefined,
    sidebar: layout === 'admin' && user ? await adminSidebar(deps, user, locale, options.activeItem) : undefined,
    labels: {
      skipToContent: t('hostsim.page.skipToContent'),
      siteNav: t('hostsim.page.nav.site'),
      adminNav: t('hostsim.page.nav.admin'),
      footer: t('hostsim.page.footer', PRODUCT_NAMES[config.product]),
    },
    head: options.head,
    body: options.body,
  });
}
