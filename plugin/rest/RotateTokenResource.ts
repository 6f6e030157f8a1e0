import type { Router } from 'express';
import { actorOf, handler, idParam } from './RestSupport';
import type { RestDeps } from './RestDeps';
import { createdResponse } from './TokenJson';
import { withSnippets } from './SnippetsResource';

/** `POST /user/token/{id}/rotate`: a new secret for the same token; the old one is refused at once. */
export function registerRotateToken(router: Router, deps: RestDeps): void {
  router.post('/user/token/:id/rotate', handler(async (req, res) => {
    const actor = actorOf(req);
    const created = await deps.tokens.rotate(actor, idParam(req.params.id));
    res.status(200).json(await withSnippets(req, deps, createdResponse(created), created));
  }));
}
