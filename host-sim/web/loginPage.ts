// `/login.jsp` (GET form, POST login) and `/logout`: cookie sessions for browsers. As in Jira,
// a login does not open the websudo window: administration pages ask for the password again.
// Neither acts on a request that a page of another site started (review 22): a hostile page
// could otherwise sign the visitor into the attacker's account (whatever the visitor then types
// or uploads is the attacker's to read), or log the visitor out whenever it likes.
import express, { type Request, type Router } from 'express';
import { clearSessionCookie, setSessionCookie } from '../auth/cookies';
import { endCarriedSessions, startPasswordSession } from '../auth/liveSession';
import type { PasswordLogin } from '../auth/PasswordLogin';
import { fromAnotherSite } from '../auth/xsrf';
import { formBody } from './bodyParsing';
import { escapeHtml, pageHeader, renderPage } from './html';
import { pageLocale, PRODUCT_NAMES, PROFILE_PATHS, safeDestination, type PageDeps } from './pageSupport';

type Notice = { readonly kind: 'error' | 'info'; readonly key: string } | null;

/** The focused (logged-out) frame shared by the login and websudo pages. */
export function focusedPage(deps: PageDeps, req: Request, title: string, body: string): string {
  const locale = pageLocale(deps, req);
  const t = (key: string, ...args: string[]): string => deps.i18n.getText(locale, key, ...args);
  const { config } = deps.runtime;
  return renderPage({
    title, productName: PRODUCT_NAMES[config.product], contextPath: config.contextPath, locale, layout: 'focused', body,
    labels: {
      skipToContent: t('hostsim.page.skipToContent'), siteNav: t('hostsim.page.nav.site'), adminNav: t('hostsim.page.nav.admin'),
      footer: t('hostsim.page.footer', PRODUCT_NAMES[config.product]),
    },
  });
}

export function loginPage(deps: PageDeps, passwordLogin: PasswordLogin): Router {
  const router = express.Router();
  const { runtime } = deps;
  const { config } = runtime;
  const hostI18n = deps.i18n;
  const fallback = PROFILE_PATHS[config.product];
  const ownOrigin = new URL(config.baseUrl).origin;

  // Only a hint: a database that cannot be read right now shows the form without it.
  const defaultAdminHint = (): Promise<boolean> => runtime.users.hasDefaultAdminPassword().catch(() => false);

  const render = async (req: Request, destination: string, username: string, notice: Notice): Promise<string> => {
    const locale = pageLocale(deps, req);
    const t = (key: string): string => escapeHtml(hostI18n.getText(locale, key));
    const message = notice
      ? `<div class="aui-message aui-message-${notice.kind}" id="login-message" role="${notice.kind === 'error' ? 'alert' : 'status'}"><p>${t(notice.key)}</p></div>`
      : '';
    const body = `${pageHeader(hostI18n.getText(locale, 'hostsim.login.title'))}
${message}
<form class="aui" id="login-form" method="post" action="${escapeHtml(config.contextPath)}/login.jsp">
<div class="field-group"><label for="login-form-username">${t('hostsim.login.username')}</label>
<input class="text" type="text" id="login-form-username" name="os_username" value="${escapeHtml(username)}" autocomplete="username" autofocus></div>
<div class="field-group"><label for="login-form-password">${t('hostsim.login.password')}</label>
<input class="text" type="password" id="login-form-password" name="os_password" autocomplete="current-password"></div>
<input type="hidden" name="os_destination" value="${escapeHtml(destination)}">
<div class="buttons-container"><div class="buttons"><button class="aui-button aui-button-primary" type="submit" id="login-form-submit">${t('hostsim.login.submit')}</button></div></div>
</form>
${config.devMode && config.adminPassword === undefined && await defaultAdminHint() ? `<div class="aui-message aui-message-info"><p>${t('hostsim.login.hint')}</p></div>` : ''}`;
    return focusedPage(deps, req, hostI18n.getText(locale, 'hostsim.login.title'), body);
  };

  router.get('/login.jsp', async (req, res) => {
    const destination = safeDestination(req.query.os_destination, fallback);
    const notice: Notice = req.query.logout === 'true' ? { kind: 'info', key: 'hostsim.logout.done' } : null;
    res.type('html').send(await render(req, destination, '', notice));
  });

  router.post('/login.jsp', formBody(), async (req, res) => {
    const form = (req.body ?? {}) as Record<string, unknown>;
    const username = typeof form.os_username === 'string' ? form.os_username.slice(0, 255) : '';
    const password = typeof form.os_password === 'string' ? form.os_password.slice(0, 4096) : '';
    const destination = safeDestination(form.os_destination, fallback);
    if (fromAnotherSite(req, ownOrigin)) {
      // No password checked (nor counted): the form is shown for the visitor's own login.
      res.status(403).type('html').send(await render(req, destination, '', { kind: 'error', key: 'hostsim.login.otherSite' }));
      return;
    }
    const result = username && password ? await passwordLogin.authenticateWeb(username, password, req.clientIp ?? '') : { ok: false as const, reason: 'FAILED' as const };
    if (!result.ok && result.reason === 'THROTTLED') {
      res.status(429).set('Retry-After', String(result.retryAfterSeconds)).type('html')
        .send(await render(req, destination, username, { kind: 'error', key: 'hostsim.login.throttled' }));
      return;
    }
    const failed = async (): Promise<void> => {
      res.setHeader('X-Seraph-LoginReason', 'AUTHENTICATED_FAILED');
      res.status(200).type('html').send(await render(req, destination, username, { kind: 'error', key: 'hostsim.login.failed' }));
    };
    if (!result.ok) {
      await failed();
      return;
    }
    await endCarriedSessions({ sessions: runtime.sessions, webSudo: deps.webSudo }, req);
    const sessionId = await startPasswordSession(runtime, result.user, password);
    if (!sessionId) {
      await failed();
      return;
    }
    setSessionCookie(res, config, sessionId);
    res.setHeader('X-Seraph-LoginReason', 'OK');
    res.redirect(302, `${config.contextPath}${destination}`);
  });

  router.get('/logout', async (req, res) => {
    if (fromAnotherSite(req, ownOrigin)) {
      // As Jira, a confirmation whose link is this site's own (a click on it is same-origin).
      const locale = pageLocale(deps, req);
      const t = (key: string): string => escapeHtml(hostI18n.getText(locale, key));
      const body = `${pageHeader(hostI18n.getText(locale, 'hostsim.menu.logout'))}
<p>${t('hostsim.logout.confirm')}</p>
<div class="buttons-container"><div class="buttons"><a class="aui-button aui-button-primary" id="logout-confirm" href="${escapeHtml(config.contextPath)}/logout">${t('hostsim.menu.logout')}</a></div></div>`;
      res.status(200).type('html').set('Cache-Control', 'no-store').send(focusedPage(deps, req, hostI18n.getText(locale, 'hostsim.menu.logout'), body));
      return;
    }
    await endCarriedSessions({ sessions: runtime.sessions, webSudo: deps.webSudo }, req);
    clearSessionCookie(res, config);
    res.redirect(302, `${config.contextPath}/login.jsp?logout=true`);
  });

  return router;
}
