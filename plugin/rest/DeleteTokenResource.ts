import { actorOf, handler, idParam } from './RestSupport';
import type { RestDeps } from './RestDeps';
import type { RouteRegistrar } from './GatedRoutes';

/** `DELETE /user/token/{id}`: 200 with body `true`, as the original app answers. */
export function registerDeleteToken(router: RouteRegistrar, deps: RestDeps): void {
  router.delete('/user/token/:id', handler(async (req, res) => {
    const actor = actorOf(req);
    await deps.tokens.delete(actor, idParam(req.params.id));
    res.status(200).json(true);
  }));
}
