import type { Router } from 'express';
import { ApiError } from '../errors/ApiError';
import { requireMayChange, requireNotRunningAs } from '../service/TokenPrivileges';
import { actorOf, handler, jsonObjectBody } from './RestSupport';
import type { RestDeps } from './RestDeps';

/**
 * `GET` / `PUT /admin/settings` (system admins): the settings of SPEC §7; PUT takes a partial
 * object. Never for a request running as another user; no change through a restricted or
 * read-only token.
 */
export function registerSettings(router: Router, deps: RestDeps): void {
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
    const updated = await deps.settings.update(body, { author: actor.user, ip: actor.ip, method: actor.viaToken ? 'API token' : 'REST API' });
    res.json(updated);
  }));
}
