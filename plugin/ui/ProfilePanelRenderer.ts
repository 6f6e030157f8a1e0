import { isServiceUnavailable, type WebPanelContext, type WebPanelRenderer } from '../../host-sim/spi';
import { escapeHtml, jsonForScript } from './html';
import { configElementId } from './pageChrome';
import { buildPageConfig, servletBaseOf } from './pageConfig';
import type { UiDependencies, UserUiAccess } from './UiDependencies';
import { uiText } from './uiStrings';

/**
 * The `profile-page` web panel: a section with the user's tokens. The list, dialogs and
 * snippets are built by `static/profile.js` from the inline configuration, which calls the
 * REST API with the user's cookie session.
 */
export function createProfilePanelRenderer(deps: UiDependencies): WebPanelRenderer {
  const log = deps.logger.child({ module: 'ProfilePanelRenderer' });
  return async (context: WebPanelContext): Promise<string> => {
    const { user } = context;
    const locale = context.locale || deps.i18n.resolveLocale(undefined, user.locale);
    const staticBase = `${servletBaseOf(deps)}/static`;
    const title = uiText(deps.i18n, locale, 'profile.title');
    const head = `<link rel="stylesheet" href="${escapeHtml(`${staticBase}/ui.css`)}">`
      + `<h2 id="apitokenauth-profile-title" class="ata-section-title">${escapeHtml(title)}</h2>`;
    let access: UserUiAccess;
    try {
      access = await deps.access.forUser(user.key);
    } catch (err) {
      // The rest of the profile page still renders; the panel says why it is empty.
      const unavailable = isServiceUnavailable(err);
      if (!unavailable) log.error('Token panel failed', { userKey: user.key, error: err instanceof Error ? err.message : String(err) });
      return `<section class="ata-panel" id="apitokenauth-profile" aria-labelledby="apitokenauth-profile-title">${head}`
        + `<div class="ata-message ata-message-error" role="alert"><p>${escapeHtml(uiText(deps.i18n, locale, unavailable ? 'error.unavailable' : 'error.unexpected'))}</p></div></section>`;
    }
    if (!access.canUseTokens) {
      log.debug('Token panel without permission', { userKey: user.key });
      return `<section class="ata-panel" id="apitokenauth-profile" aria-labelledby="apitokenauth-profile-title">${head}`
        + `<p class="ata-message ata-message-info" data-role="not-allowed">${escapeHtml(uiText(deps.i18n, locale, 'profile.notAllowed'))}</p></section>`;
    }
    const config = buildPageConfig(deps, 'profile', user, locale, access);
    return `<section class="ata-panel" id="apitokenauth-profile" aria-labelledby="apitokenauth-profile-title">${head}`
      + `<div id="ata-app" class="ata-app" data-page="profile"><p class="ata-loading">${escapeHtml(uiText(deps.i18n, locale, 'common.loading'))}</p>`
      + `<noscript>${escapeHtml(uiText(deps.i18n, locale, 'common.noScript'))}</noscript></div>`
      + `<script type="application/json" id="${configElementId('profile')}">${jsonForScript(config)}</script>`
      + `<script src="${escapeHtml(`${staticBase}/common.js`)}" defer></script>`
      + `<script src="${escapeHtml(`${staticBase}/profile.js`)}" defer></script>`
      + '</section>';
  };
}
