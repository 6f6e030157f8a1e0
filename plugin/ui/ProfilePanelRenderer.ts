import { isServiceUnavailable, type WebPanelContext, type WebPanelRenderer } from '../../host-sim/spi';
import { clientBundle } from './ClientBundle';
import { escapeHtml } from './html';
import { licenceWarningHtml } from './licenceWarning';
import { pageScripts } from './pageChrome';
import { buildPageConfig, servletBaseOf } from './pageConfig';
import type { UiDependencies, UserUiAccess } from './UiDependencies';
import { uiText } from './uiStrings';

/**
 * The `profile-page` web panel: a section with the user's tokens. The list, dialogs and
 * snippets are built by the bundled `profile.js` from the inline configuration; it calls the
 * REST API with the user's cookie session. AUI comes with the host's profile page.
 */
export function createProfilePanelRenderer(deps: UiDependencies): WebPanelRenderer {
  const log = deps.logger.child({ module: 'ProfilePanelRenderer' });
  clientBundle().catch(() => { /* reported by the servlet */ });
  return async (context: WebPanelContext): Promise<string> => {
    const { user } = context;
    const locale = context.locale || deps.i18n.resolveLocale(undefined, user.locale);
    const staticBase = `${servletBaseOf(deps)}/static`;
    const open = `<section class="ata-panel" id="apitokenauth-profile" aria-labelledby="apitokenauth-profile-title">`
      + `<link rel="stylesheet" href="${escapeHtml(`${staticBase}/ui.css`)}">`
      + `<h2 id="apitokenauth-profile-title">${escapeHtml(uiText(deps.i18n, locale, 'profile.title'))}</h2>`;
    let access: UserUiAccess;
    try {
      access = await deps.access.forUser(user.key);
    } catch (err) {
      // The rest of the profile page still renders; the panel says why it is empty.
      const unavailable = isServiceUnavailable(err);
      if (!unavailable) log.error('Token panel failed', { userKey: user.key, error: err instanceof Error ? err.message : String(err) });
      return `${open}<div class="aui-message aui-message-error" role="alert"><p>${escapeHtml(uiText(deps.i18n, locale, unavailable ? 'error.unavailable' : 'error.unexpected'))}</p></div></section>`;
    }
    if (!access.canUseTokens) {
      log.debug('Token panel without permission', { userKey: user.key });
      return `${open}<div class="aui-message aui-message-info" data-role="not-allowed"><p>${escapeHtml(uiText(deps.i18n, locale, 'profile.notAllowed'))}</p></div></section>`;
    }
    const config = buildPageConfig(deps, 'profile', user, locale, access);
    return `${open}${licenceWarningHtml(deps, locale)}<div id="ata-app" class="ata-app" data-page="profile"><p class="ata-loading">${escapeHtml(uiText(deps.i18n, locale, 'common.loading'))}</p>`
      + `<noscript>${escapeHtml(uiText(deps.i18n, locale, 'common.noScript'))}</noscript></div>`
      + pageScripts(staticBase, config, 'profile')
      + '</section>';
  };
}
