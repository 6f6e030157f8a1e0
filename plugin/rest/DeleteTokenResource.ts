import type { Router } from 'express';
import { actorOf, handler, idParam } from './RestSupport';
import type { RestDeps } from './RestDeps';

/** `DELETE /user/token/{id}`: 200 with body `true`, as the original app answers. */
export function registerDeleteToken(router: Router, deps: RestDeps): void {
  router.delete('/user/token/:id', handler(async (req, res) => {
    const actor = actorOf(req);
    await deps.tokens.delete(actor, idParam(req.params.id));
    res.status(200).json(true);
  }));
}
