import type { Request } from 'express';
import type { I18nResolver } from '../../host-sim/spi';
import { ApiError } from '../errors/ApiError';
import { requireMayChange, requireNotRunningAs } from '../service/TokenPrivileges';
import { auditSourceOf } from '../service/TokenAuditEvents';
import { actorOf, handler, jsonObjectBody } from './RestSupport';
import type { RestDeps } from './RestDeps';
import type { RouteRegistrar } from './GatedRoutes';

/** The language of an answer: `Accept-Language`, then the caller's locale (as the error mapper does). */
export function answerLocale(i18n: I18nResolver, req: Request): string {
  const header = req.headers['accept-language'];
  return i18n.resolveLocale(Array.isArray(header) ? header[0] : header, req.principal?.user.locale);
}

/**
 * `GET` / `PUT /admin/settings` (system admins): the settings of docs/api.md "Settings"; PUT takes a partial
 * object and answers the stored settings, plus `notices` (localised) when the change did more
 * than was asked (a lowered maximum lowering the default). Never for a request running as
 * another user; no change through a restricted or read-only token, and through any token only
 * changes that tighten (SettingsLoosening).
 */
export function registerSettings(router: RouteRegistrar, deps: RestDeps, i18n: I18nResolver): void {
  router.get('/admin/settings', handler(async (req, res) => {
    const actor = actorOf(req);
    requireNotRunningAs(actor);
    if (!(await deps.permissions.isSystemAdmin(actor.user.key))) throw new ApiError('SYSADMIN_REQUIRED');
    res.json(await deps.settings.get());
  }));
  router.put('/admin/settings', handler(async (req, res) => {
    const actor = actorOf(req);
    requireMayChange(actor);
    if (!(await deps.permissions.isSystemAdmin(actor.user.key))) throw new ApiError('SYSADMIN_REQUIRED');
    if (actor.viaToken && actor.viaToken.scope === 1) throw new ApiError('SCOPE_TOO_WEAK');
    const body = jsonObjectBody(req);
    const { settings, notices } = await deps.settings.update(body, auditSourceOf(actor), !!actor.viaToken);
    if (notices.length === 0) {
      res.json(settings);
      return;
    }
    const locale = answerLocale(i18n, req);
    res.json({
      ...settings,
      notices: notices.map((n) => ({ field: n.field, code: n.key, message: i18n.getText(locale, `apitokenauth.notice.${n.key}`, ...n.args) })),
    });
  }));
}
