import path from 'node:path';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { isServiceUnavailable, type HostUser } from '../../host-sim/spi';
import { escapeHtml } from './html';
import { localeFor, loginRedirectUrl, mayOpen, type ServletPage } from './pageAccess';
import { renderPage, type ChromeNavLink } from './pageChrome';
import { buildPageConfig, productOf, servletBaseOf } from './pageConfig';
import type { UiDependencies, UserUiAccess } from './UiDependencies';
import { uiText } from './uiStrings';
import { createUserLookupRouter } from './UserLookupRouter';

const STATIC_DIR = path.join(__dirname, 'static');

/**
 * The plugin's servlet (mounted by the host at `/plugins/servlet/de.resolution.apitokenauth`):
 * `/admin` (Token Manager), `/settings`, `/users/*` (user picker JSON) and `/static/*`.
 * Requests arrive authenticated by the host's cookie session (`req.principal`).
 */
export function createTokenUiServlet(deps: UiDependencies): Router {
  const log = deps.logger.child({ module: 'TokenUiServlet' });
  const router = express.Router();

  router.use('/static', express.static(STATIC_DIR, { index: false, fallthrough: false, maxAge: 0, etag: true }));
  router.use('/users', createUserLookupRouter(deps));

  router.get('/', (req, res) => res.redirect(302, `${servletBaseOf(deps)}/admin`));
  router.get('/admin', (req, res, next) => { servePage('admin', req, res).catch(next); });
  router.get('/settings', (req, res, next) => { servePage('settings', req, res).catch(next); });

  router.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = isServiceUnavailable(err) ? 503 : statusOf(err) ?? 500;
    if (status >= 500) log.error('UI page failed', { path: req.path, status, error: err instanceof Error ? err.message : String(err) });
    if (res.headersSent) return;
    const locale = localeFor(deps, req, req.principal?.user);
    const key = status === 503 ? 'error.unavailable' : status === 404 ? 'error.notFound' : 'error.unexpected';
    sendMessagePage(res, status, locale, undefined, uiText(deps.i18n, locale, key));
  });

  async function servePage(page: ServletPage, req: Request, res: Response): Promise<void> {
    const user = req.principal?.user;
    if (!user) {
      res.redirect(302, loginRedirectUrl(deps, req));
      return;
    }
    const locale = localeFor(deps, req, user);
    const access = await deps.access.forUser(user.key);
    if (!mayOpen(page, access)) {
      log.info('UI page refused', { page, userKey: user.key });
      sendMessagePage(res, 403, locale, user, uiText(deps.i18n, locale, 'error.forbiddenPage'), access);
      return;
    }
    const title = uiText(deps.i18n, locale, page === 'admin' ? 'admin.title' : 'settings.title');
    const html = renderPage({
      locale, title, user,
      productLabel: productLabel(locale),
      servletBase: servletBaseOf(deps),
      nav: navLinks(locale, access, page),
      skipLinkLabel: uiText(deps.i18n, locale, 'chrome.skipToContent'),
      bodyHtml: `<div id="ata-app" class="ata-app" data-page="${page}"><p class="ata-loading">${escapeHtml(uiText(deps.i18n, locale, 'common.loading'))}</p></div>`,
      config: buildPageConfig(deps, page, user, locale, access),
      scripts: ['common.js', page === 'admin' ? 'admin.js' : 'settings.js'],
    });
    sendHtml(res, 200, html);
  }

  function sendMessagePage(res: Response, status: number, locale: string, user: HostUser | undefined, message: string, access?: UserUiAccess): void {
    const title = uiText(deps.i18n, locale, status === 403 ? 'error.forbiddenTitle' : 'error.title');
    const html = renderPage({
      locale, title, user,
      productLabel: productLabel(locale),
      servletBase: servletBaseOf(deps),
      nav: access ? navLinks(locale, access, undefined) : [],
      skipLinkLabel: uiText(deps.i18n, locale, 'chrome.skipToContent'),
      bodyHtml: `<div class="ata-message ata-message-error" role="alert" data-status="${status}"><p>${escapeHtml(message)}</p></div>`
        + `<p><a href="${escapeHtml(`${deps.contextPath}/`)}">${escapeHtml(uiText(deps.i18n, locale, 'error.backHome'))}</a></p>`,
    });
    sendHtml(res, status, html);
  }

  function productLabel(locale: string): string {
    return uiText(deps.i18n, locale, productOf(deps) === 'confluence' ? 'chrome.product.confluence' : 'chrome.product.jira');
  }

  function navLinks(locale: string, access: UserUiAccess, current: ServletPage | undefined): ChromeNavLink[] {
    const links: ChromeNavLink[] = [];
    if (mayOpen('admin', access)) {
      links.push({ href: `${servletBaseOf(deps)}/admin`, label: uiText(deps.i18n, locale, 'admin.title'), current: current === 'admin' });
    }
    if (mayOpen('settings', access)) {
      links.push({ href: `${servletBaseOf(deps)}/settings`, label: uiText(deps.i18n, locale, 'settings.title'), current: current === 'settings' });
    }
    const profile = productOf(deps) === 'confluence' ? '/users/viewmyprofile.action' : '/secure/ViewProfile.jspa';
    links.push({ href: `${deps.contextPath}${profile}`, label: uiText(deps.i18n, locale, 'chrome.profile'), current: false });
    return links;
  }

  return router;
}

function statusOf(err: unknown): number | undefined {
  const status = (err as { status?: unknown; statusCode?: unknown } | null)?.status ?? (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : undefined;
}

function sendHtml(res: Response, status: number, html: string): void {
  res.status(status)
    .set('Content-Type', 'text/html; charset=utf-8')
    .set('Cache-Control', 'no-store')
    .set('X-Content-Type-Options', 'nosniff')
    .set('X-Frame-Options', 'SAMEORIGIN')
    .send(html);
}
