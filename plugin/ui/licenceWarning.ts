import { escapeHtml } from './html';
import type { UiDependencies } from './UiDependencies';
import { uiText } from './uiStrings';

/**
 * The AUI warning every plugin page (token panel, Token Manager, settings) shows while the
 * plugin's licence is not valid, before anyone tries and fails: tokens can still be created,
 * listed, edited, regenerated and deleted, but none of them signs in (the authenticator
 * refuses them; `GET …/user/token/status` says the same to scripts). Empty when the licence
 * is valid or the page has no licence source. Asked per page view (UPM answers from memory).
 */
export function licenceWarningHtml(deps: UiDependencies, locale: string): string {
  const state = deps.licence?.getLicenseState();
  if (state === undefined || state === 'valid') return '';
  return `<div class="aui-message aui-message-warning ata-licence-warning" role="status" data-role="licence-warning" data-licence-state="${escapeHtml(state)}">`
    + `<p class="title"><strong>${escapeHtml(uiText(deps.i18n, locale, state === 'expired' ? 'licence.expiredTitle' : 'licence.missingTitle'))}</strong></p>`
    + `<p>${escapeHtml(uiText(deps.i18n, locale, 'licence.warning'))}</p></div>`;
}
