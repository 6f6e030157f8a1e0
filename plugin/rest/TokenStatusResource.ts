import type { I18nResolver } from '../../host-sim/spi';
import { actorOf, handler } from './RestSupport';
import type { RestDeps } from './RestDeps';
import { answerLocale } from './SettingsResource';
import type { RouteRegistrar } from './GatedRoutes';

/** Why tokens of the caller would not work now (i18n key `apitokenauth.status.<code>`). */
type StatusWarning = 'UNLICENSED' | 'TOKENS_NOT_ALLOWED';

/**
 * `GET /user/token/status` (any signed-in user): what a page needs to warn before the user acts —
 * the licence (without a valid one tokens are still created, listed, edited and deleted, but
 * none authenticates), secure mode, and whether the caller may use tokens (`tokenUserGroups`),
 * with a localised message per warning.
 */
export function registerTokenStatus(router: RouteRegistrar, deps: RestDeps, i18n: I18nResolver): void {
  router.get('/user/token/status', handler(async (req, res) => {
    const status = await deps.tokens.status(actorOf(req));
    const warnings: StatusWarning[] = [];
    if (!status.licensed) warnings.push('UNLICENSED');
    if (!status.mayUseTokens) warnings.push('TOKENS_NOT_ALLOWED');
    const locale = answerLocale(i18n, req);
    res.json({
      ...status,
      warnings: warnings.map((code) => ({ code, message: i18n.getText(locale, `apitokenauth.status.${code}`) })),
    });
  }));
}
