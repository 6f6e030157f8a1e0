// The host's own pages: the profile page (with plugin `profile-page` panels), the
// administration landing page (plugin `admin-sidebar` web items) and a 403 page.
import express, { type Request, type Response, type Router } from 'express';
import type { Logger } from '../spi';
import { escapeHtml } from './html';
import { ADMIN_PATHS, framedPage, pageLocale, pageUser, PROFILE_PATHS, type PageDeps } from './pageSupport';

export function hostPages(deps: PageDeps, logger: Logger): Router {
  const router = express.Router();
  const { runtime, registry } = deps;
  const { config } = runtime;
  const hostI18n = deps.i18n;
  const log = logger.child({ module: 'HostPages' });
  const profilePath = PROFILE_PATHS[config.product];

  const forbiddenPage = async (req: Request, res: Response): Promise<void> => {
    const t = (key: string): string => escapeHtml(hostI18n.getText(pageLocale(deps, req), key));
    const body = `<h1>${t('hostsim.page.forbidden.title')}</h1><div class="aui-message aui-message-error" id="forbidden-message">${t('hostsim.page.forbidden.text')}</div>`;
    res.status(403).type('html').send(await framedPage(deps, req, hostI18n.getText(pageLocale(deps, req), 'hostsim.page.forbidden.title'), body));
  };

  router.get(['/', '/secure/Dashboard.jspa', '/index.action'], (_req, res) => {
    res.redirect(302, `${config.contextPath}${profilePath}`);
  });

  router.get(profilePath, async (req, res) => {
    const user = pageUser(deps, req, res);
    if (!user) return;
    const locale = pageLocale(deps, req);
    const t = (key: string): string => escapeHtml(hostI18n.getText(locale, key));
    const groups = await runtime.users.getGroupNames(user.key);
    const panels: string[] = [];
    for (const panel of registry.panels('profile-page')) {
      try {
        const html = await panel.render({ user, locale, baseUrl: config.baseUrl, contextPath: config.contextPath });
        panels.push(`<section class="web-panel" data-panel-key="${escapeHtml(panel.moduleKey)}">${html}</section>`);
      } catch (err) {
        log.error('Web panel failed to render', { panel: panel.moduleKey, error: (err as Error).message });
      }
    }
    const row = (label: string, value: string, id: string): string => `<dt>${t(label)}</dt><dd id="${id}">${escapeHtml(value)}</dd>`;
    const body = `<h1>${t('hostsim.page.profile')}: ${escapeHtml(user.displayName)}</h1>
<h2>${t('hostsim.page.profile.summary')}</h2>
<dl class="aui-details" id="profile-details">
${row('hostsim.page.profile.username', user.name, 'up-d-username')}
${row('hostsim.page.profile.fullname', user.displayName, 'up-d-fullname')}
${row('hostsim.page.profile.email', user.email, 'up-d-email')}
${row('hostsim.page.profile.key', user.key, 'up-d-key')}
${row('hostsim.page.profile.locale', user.locale, 'up-d-locale')}
${row('hostsim.page.profile.timezone', user.timeZone, 'up-d-timezone')}
${row('hostsim.page.profile.groups', groups.join(', '), 'up-d-groups')}
</dl>
${panels.join('\n')}`;
    res.type('html').send(await framedPage(deps, req, hostI18n.getText(locale, 'hostsim.page.profile'), body));
  });

  router.get(ADMIN_PATHS[config.product], async (req, res) => {
    const user = pageUser(deps, req, res);
    if (!user) return;
    if (!(await runtime.users.isAdmin(user.key))) {
      await forbiddenPage(req, res);
      return;
    }
    const locale = pageLocale(deps, req);
    const t = (key: string): string => escapeHtml(hostI18n.getText(locale, key));
    const items = await registry.webItems('admin-sidebar', user, {
      isAdmin: (u) => runtime.users.isAdmin(u.key),
      isSystemAdmin: (u) => runtime.users.isSystemAdmin(u.key),
    });
    const links = items.map((i) => `<li><a id="${escapeHtml(i.module.key)}" href="${escapeHtml(config.contextPath + i.module.link)}">${escapeHtml(i.label(locale))}</a></li>`).join('');
    const body = `<h1>${t('hostsim.page.admin')}</h1>
<div class="aui-layout"><nav class="aui-sidebar" id="admin-sidebar"><ul>${links}</ul></nav>
<div class="aui-content"><p>${items.length ? t('hostsim.page.admin.intro') : t('hostsim.page.admin.none')}</p></div></div>`;
    res.type('html').send(await framedPage(deps, req, hostI18n.getText(locale, 'hostsim.page.admin'), body));
  });

  return router;
}
