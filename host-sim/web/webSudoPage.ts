// The password re-entry page of websudo: Jira `/secure/admin/WebSudoAuthenticate.jspa`
// (`webSudoDestination`), Confluence `/authenticate.action` (`destination`). Mounted before the
// host login so the form's POST is checked against the session's XSRF token (`atl_token`) as
// Atlassian's forms are, not by the REST XSRF rule.
import { timingSafeEqual } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import { liveSessionOf, type LiveSession } from '../auth/liveSession';
import type { PasswordLogin } from '../auth/PasswordLogin';
import { formBody } from './bodyParsing';
import { escapeHtml, pageHeader } from './html';
import { focusedPage } from './loginPage';
import { ADMIN_PATHS, pageLocale, PROFILE_PATHS, safeDestination, WEBSUDO_PATHS, type PageDeps } from './pageSupport';

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function webSudoPage(deps: PageDeps, passwordLogin: PasswordLogin): Router {
  const router = express.Router();
  const { runtime } = deps;
  const { config } = runtime;
  const { path, param } = WEBSUDO_PATHS[config.product];
  const fallback = ADMIN_PATHS[config.product];

  /** `failed`: a wrong password (401); `throttled`: too many from this client, the password unchecked (429). */
  function render(req: Request, res: Response, who: LiveSession, destination: string, notice: 'failed' | 'throttled' | null): void {
    const locale = pageLocale(deps, req);
    const t = (key: string): string => escapeHtml(deps.i18n.getText(locale, key));
    const body = `${pageHeader(deps.i18n.getText(locale, 'hostsim.websudo.title'))}
${notice ? `<div class="aui-message aui-message-error" id="websudo-message" role="alert"><p>${t(`hostsim.websudo.${notice}`)}</p></div>` : ''}
<p>${t('hostsim.websudo.intro')}</p>
<form class="aui" id="websudo-form" method="post" action="${escapeHtml(config.contextPath + path)}">
<div class="field-group"><label for="websudo-username">${t('hostsim.websudo.user')}</label>
<input class="text" type="text" id="websudo-username" name="username" value="${escapeHtml(who.user.name)}" readonly autocomplete="username"></div>
<div class="field-group"><label for="websudo-password">${t('hostsim.websudo.password')}</label>
<input class="text" type="password" id="websudo-password" name="webSudoPassword" autocomplete="current-password" autofocus required></div>
<input type="hidden" name="${escapeHtml(param)}" value="${escapeHtml(destination)}">
<input type="hidden" name="atl_token" value="${escapeHtml(who.xsrfToken)}">
<div class="buttons-container"><div class="buttons">
<button class="aui-button aui-button-primary" type="submit" id="websudo-submit">${t('hostsim.websudo.submit')}</button>
<a class="aui-button aui-button-link cancel" id="websudo-cancel" href="${escapeHtml(config.contextPath + PROFILE_PATHS[config.product])}">${t('hostsim.websudo.cancel')}</a>
</div></div>
</form>`;
    res.status(notice === 'failed' ? 401 : notice === 'throttled' ? 429 : 200).type('html').set('Cache-Control', 'no-store')
      .send(focusedPage(deps, req, deps.i18n.getText(locale, 'hostsim.websudo.title'), body));
  }

  const toLogin = (res: Response, destination: string): void => {
    res.redirect(302, `${config.contextPath}/login.jsp?os_destination=${encodeURIComponent(destination)}`);
  };

  router.get(path, async (req, res) => {
    const destination = safeDestination(req.query[param], fallback);
    const who = await liveSessionOf(runtime, req);
    if (!who) {
      toLogin(res, destination);
      return;
    }
    if (!deps.webSudo.enabled) {
      res.redirect(302, `${config.contextPath}${destination}`);
      return;
    }
    render(req, res, who, destination, null);
  });

  router.post(path, formBody(), async (req, res) => {
    const form = (req.body ?? {}) as Record<string, unknown>;
    const destination = safeDestination(form[param], fallback);
    const who = await liveSessionOf(runtime, req);
    if (!who) {
      toLogin(res, destination);
      return;
    }
    const token = typeof form.atl_token === 'string' ? form.atl_token : '';
    if (!sameToken(token, who.xsrfToken)) {
      res.status(403).type('text/plain').send('XSRF check failed');
      return;
    }
    const password = typeof form.webSudoPassword === 'string' ? form.webSudoPassword.slice(0, 4096) : '';
    const result = password ? await passwordLogin.authenticateWeb(who.user.name, password, req.clientIp ?? '', who.sessionId) : { ok: false as const, reason: 'FAILED' as const };
    if (!result.ok && result.reason === 'THROTTLED') {
      res.set('Retry-After', String(result.retryAfterSeconds));
      render(req, res, who, destination, 'throttled');
      return;
    }
    if (!result.ok || result.user.key !== who.user.key) {
      render(req, res, who, destination, 'failed');
      return;
    }
    deps.webSudo.grant(who.sessionId);
    res.redirect(302, `${config.contextPath}${destination}`);
  });

  return router;
}
