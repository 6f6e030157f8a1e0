// The host's own pages: the profile page (Jira: with the plugins' `profile-page` panels;
// Confluence: a Profile and a Settings tab, the panels under Settings), the administration page
// (websudo, the administration sidebar with the plugins' web sections and items) and the 403 page.
import express, { type Request, type Response, type Router } from 'express';
import type { HostUser, Logger } from '../spi';
import { escapeHtml, pageHeader } from './html';
import {
  ADMIN_PATHS, framedPage, pageLocale, pageUser, PROFILE_PANEL_PATHS, PROFILE_PATHS, requireWebSudo, type PageDeps,
} from './pageSupport';

/** The 403 page, in the general layout. */
export async function sendForbiddenPage(deps: PageDeps, req: Request, res: Response): Promise<void> {
  const locale = pageLocale(deps, req);
  const t = (key: string): string => deps.i18n.getText(locale, key);
  const { config } = deps.runtime;
  const body = `${pageHeader(t('hostsim.page.forbidden.title'))}
<div class="aui-message aui-message-error" id="forbidden-message" role="alert"><p>${escapeHtml(t('hostsim.page.forbidden.text'))}</p></div>
<p><a href="${escapeHtml(config.contextPath + PROFILE_PATHS[config.product])}">${escapeHtml(t('hostsim.page.forbidden.back'))}</a></p>`;
  res.status(403).type('html').send(await framedPage(deps, req, { title: t('hostsim.page.forbidden.title'), body }));
}

export function hostPages(deps: PageDeps, logger: Logger): Router {
  const router = express.Router();
  const { runtime, registry } = deps;
  const { config } = runtime;
  const hostI18n = deps.i18n;
  const log = logger.child({ module: 'HostPages' });
  const profilePath = PROFILE_PATHS[config.product];
  const panelPath = PROFILE_PANEL_PATHS[config.product];
  const tabbed = profilePath !== panelPath;

  router.get(['/', '/secure/Dashboard.jspa', '/index.action'], (_req, res) => {
    res.redirect(302, `${config.contextPath}${profilePath}`);
  });

  async function panelsHtml(user: HostUser, locale: string): Promise<string> {
    const panels: string[] = [];
    for (const panel of registry.panels('profile-page')) {
      try {
        const html = await panel.render({ user, locale, baseUrl: config.baseUrl, contextPath: config.contextPath });
        panels.push(`<section class="web-panel" data-panel-key="${escapeHtml(panel.moduleKey)}">${html}</section>`);
      } catch (err) {
        log.error('Web panel failed to render', { panel: panel.moduleKey, error: (err as Error).message });
      }
    }
    return panels.join('\n');
  }

  /** Confluence's profile tabs (Profile, Settings), as a horizontal AUI navigation group. */
  function tabs(locale: string, current: 'profile' | 'settings'): string {
    if (!tabbed) return '';
    const t = (key: string): string => escapeHtml(hostI18n.getText(locale, key));
    const tab = (id: 'profile' | 'settings', href: string, key: string): string => `<li${id === current ? ' class="aui-nav-selected"' : ''}>`
      + `<a id="profile-tab-${id}" href="${escapeHtml(config.contextPath + href)}"${id === current ? ' aria-current="page"' : ''}>${t(key)}</a></li>`;
    return `<nav class="aui-navgroup aui-navgroup-horizontal" aria-label="${t('hostsim.page.profile.tabs')}"><div class="aui-navgroup-inner"><div class="aui-navgroup-primary"><ul class="aui-nav">`
      + tab('profile', profilePath, 'hostsim.page.profile.tab.profile') + tab('settings', panelPath, 'hostsim.page.profile.tab.settings')
      + '</ul></div></div></nav>';
  }

  router.get(profilePath, async (req, res) => {
    // The Profile tab takes no parameters; a link with some (e.g. a plugin's mail link to its
    // panel) is meant for the panels, which Confluence shows on the Settings tab.
    const query = req.originalUrl.indexOf('?');
    if (tabbed && query >= 0) {
      res.redirect(302, `${config.contextPath}${panelPath}${req.originalUrl.slice(query)}`);
      return;
    }
    const user = pageUser(deps, req, res);
    if (!user) return;
    const locale = pageLocale(deps, req);
    const t = (key: string): string => escapeHtml(hostI18n.getText(locale, key));
    const groups = await runtime.users.getGroupNames(user.key);
    const row = (label: string, value: string, id: string): string => `<dt>${t(label)}</dt><dd id="${id}">${escapeHtml(value)}</dd>`;
    const title = `${hostI18n.getText(locale, 'hostsim.page.profile')}: ${user.displayName}`;
    const body = `${pageHeader(title)}
${tabs(locale, 'profile')}
<h2>${t('hostsim.page.profile.summary')}</h2>
<dl class="aui-details profile-details" id="profile-details">
${row('hostsim.page.profile.username', user.name, 'up-d-username')}
${row('hostsim.page.profile.fullname', user.displayName, 'up-d-fullname')}
${row('hostsim.page.profile.email', user.email, 'up-d-email')}
${row('hostsim.page.profile.key', user.key, 'up-d-key')}
${row('hostsim.page.profile.locale', user.locale, 'up-d-locale')}
${row('hostsim.page.profile.timezone', user.timeZone, 'up-d-timezone')}
${row('hostsim.page.profile.groups', groups.join(', '), 'up-d-groups')}
</dl>
${tabbed ? '' : await panelsHtml(user, locale)}`;
    res.type('html').send(await framedPage(deps, req, { title: hostI18n.getText(locale, 'hostsim.page.profile'), body }));
  });

  if (tabbed) {
    router.get(panelPath, async (req, res) => {
      const user = pageUser(deps, req, res);
      if (!user) return;
      const locale = pageLocale(deps, req);
      const title = `${hostI18n.getText(locale, 'hostsim.page.profile')}: ${user.displayName}`;
      const body = `${pageHeader(title)}\n${tabs(locale, 'settings')}\n${await panelsHtml(user, locale)}`;
      res.type('html').send(await framedPage(deps, req, { title: hostI18n.getText(locale, 'hostsim.page.profile.tab.settings'), body }));
    });
  }

  router.get(ADMIN_PATHS[config.product], async (req, res) => {
    const user = pageUser(deps, req, res);
    if (!user) return;
    if (!(await runtime.users.isAdmin(user.key))) {
      await sendForbiddenPage(deps, req, res);
      return;
    }
    if (!requireWebSudo(deps, req, res)) return;
    const locale = pageLocale(deps, req);
    const t = (key: string): string => escapeHtml(hostI18n.getText(locale, key));
    const body = `${pageHeader(hostI18n.getText(locale, 'hostsim.page.admin.general'))}
<p>${t('hostsim.page.admin.intro')}</p>
<dl class="aui-details" id="general-configuration">
<dt>${t('hostsim.page.admin.baseUrl')}</dt><dd>${escapeHtml(config.baseUrl)}</dd>
<dt>${t('hostsim.page.admin.node')}</dt><dd>${escapeHtml(config.nodeId)}</dd>
</dl>`;
    res.type('html').send(await framedPage(deps, req, {
      title: hostI18n.getText(locale, 'hostsim.page.admin'), body, layout: 'admin', activeItem: 'admin-general-link',
    }));
  });

  return router;
}
