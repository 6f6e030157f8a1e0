import path from 'node:path';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { isServiceUnavailable } from '../../host-sim/spi';
import { redactTokensInPath } from '../token/TokenFormat';
import { clientBundle, loadedClientBundle } from './ClientBundle';
import { escapeHtml } from './html';
import { licenceWarningHtml } from './licenceWarning';
import { localeFor, loginRedirectUrl, mayOpen, type ServletPage } from './pageAccess';
import { renderPage } from './pageChrome';
import { buildPageConfig, profilePathOf, servletBaseOf } from './pageConfig';
import type { UiDependencies } from './UiDependencies';
import { uiText } from './uiStrings';
import { createUserLookupRouter } from './UserLookupRouter';

const STATIC_DIR = path.join(__dirname, 'static');

/**
 * The plugin's servlet (mounted by the host at `/plugins/servlet/de.resolution.apitokenauth`):
 * `/admin` (Token Manager), `/settings`, `/users/*` (user picker JSON) and `/static/*` (the
 * bundled page scripts and the stylesheet). Pages are sent for the host to decorate: the admin
 * layout (`atl.admin`) for the two pages, the general one for the 403 and error pages.
 * Requests arrive authenticated by the host's cookie session (`req.principal`).
 */
export function createTokenUiServlet(deps: UiDependencies): Router {
  const log = deps.logger.child({ module: 'TokenUiServlet' });
  const router = express.Router();
  // Load (or bundle) the page scripts now, so the first page is not the one that waits.
  loadedClientBundle().then(({ origin, rejection }) => {
    if (origin === 'prebuilt') log.debug('Page scripts from dist/ui');
    else log.info('Page scripts bundled at start: the prebuilt ones in dist/ui cannot be used (npm run build writes them)', { reason: rejection });
  }, (err: unknown) => log.error('Bundling the page scripts failed', { error: err instanceof Error ? err.message : String(err) }));

  router.get('/static/:file', (req, res, next) => {
    clientBundle().then((bundle) => {
      const file = bundle.files.get(req.params.file);
      if (!file) {
        next();
        return;
      }
      res.set('Content-Type', file.contentType).set('ETag', file.etag).set('Cache-Control', 'no-cache').set('X-Content-Type-Options', 'nosniff');
      if (req.headers['if-none-match'] === file.etag) res.status(304).end();
      else res.send(file.contents);
    }, next);
  });
  router.use('/static', express.static(STATIC_DIR, { index: false, fallthrough: false, maxAge: 0, etag: true }));
  router.use('/users', createUserLookupRouter(deps));

  router.get('/', (req, res) => res.redirect(302, `${servletBaseOf(deps)}/admin`));
  router.get('/admin', (req, res, next) => { servePage('admin', req, res).catch(next); });
  router.get('/settings', (req, res, next) => { servePage('settings', req, res).catch(next); });

  router.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = isServiceUnavailable(err) ? 503 : statusOf(err) ?? 500;
    if (status >= 500) log.error('UI page failed', { path: redactTokensInPath(req.path), status, error: err instanceof Error ? err.message : String(err) });
    if (res.headersSent) return;
    const locale = localeFor(deps, req, req.principal?.user);
    const key = status === 503 ? 'error.unavailable' : status === 404 ? 'error.notFound' : 'error.unexpected';
    sendMessagePage(res, status, locale, uiText(deps.i18n, locale, key));
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
      sendMessagePage(res, 403, locale, uiText(deps.i18n, locale, 'error.forbiddenPage'));
      return;
    }
    const html = renderPage({
      locale,
      title: uiText(deps.i18n, locale, page === 'admin' ? 'admin.title' : 'settings.title'),
      servletBase: servletBaseOf(deps),
      decorator: 'atl.admin',
      activeTab: page === 'admin' ? 'token-manager-link' : 'token-settings-link',
      bodyHtml: `${licenceWarningHtml(deps, locale)}<div id="ata-app" class="ata-app" data-page="${page}"><p class="ata-loading">${escapeHtml(uiText(deps.i18n, locale, 'common.loading'))}</p>`
        + `<noscript>${escapeHtml(uiText(deps.i18n, locale, 'common.noScript'))}</noscript></div>`,
      config: buildPageConfig(deps, page, user, locale, access),
      script: page,
    });
    sendHtml(res, 200, html);
  }

  /** The 403 and error pages: one AUI error message in the general layout. */
  function sendMessagePage(res: Response, status: number, locale: string, message: string): void {
    const html = renderPage({
      locale,
      title: uiText(deps.i18n, locale, status === 403 ? 'error.forbiddenTitle' : 'error.title'),
      servletBase: servletBaseOf(deps),
      decorator: 'atl.general',
      // The licence warning too: issue 13 wants it on every page while the licence is invalid.
      bodyHtml: `${licenceWarningHtml(deps, locale)}<div class="aui-message aui-message-error" id="forbidden-message" role="alert" data-status="${status}"><p>${escapeHtml(message)}</p></div>`
        + `<p><a href="${escapeHtml(deps.contextPath + profilePathOf(deps))}">${escapeHtml(uiText(deps.i18n, locale, 'error.backToProfile'))}</a></p>`,
    });
    sendHtml(res, status, html);
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
