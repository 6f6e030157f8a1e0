import { ApiError } from '../errors/ApiError';
import { actorOf, handler } from './RestSupport';
import type { RestDeps } from './RestDeps';
import type { RouteRegistrar } from './GatedRoutes';

/** `DELETE /user/token/deleteAllFor/{userKey}` (system admins): returns the number deleted. */
export function registerDeleteAllFor(router: RouteRegistrar, deps: RestDeps): void {
  router.delete('/user/token/deleteAllFor/:userKey', handler(async (req, res) => {
    const actor = actorOf(req);
    const userKey = req.params.userKey;
    if (typeof userKey !== 'string' || userKey.length === 0 || userKey.length > 255) {
      throw ApiError.validation({ userKey: { key: 'stringLength', args: [1, 255] } });
    }
    res.json(await deps.tokens.deleteAllFor(actor, userKey));
  }));
}
