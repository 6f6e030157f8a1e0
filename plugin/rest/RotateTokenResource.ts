import type { Router } from 'express';
import { actorOf, handler, idParam, jsonObjectBody } from './RestSupport';
import { BodyValidation } from './BodyValidation';
import type { RestDeps } from './RestDeps';
import { createdResponse } from './TokenJson';
import { withSnippets } from './SnippetsResource';

/** `POST /user/token/{id}/rotate`: a new secret for the same token; the old one is refused at once. */
export function registerRotateToken(router: Router, deps: RestDeps): void {
  router.post('/user/token/:id/rotate', handler(async (req, res) => {
    const actor = actorOf(req);
    const id = idParam(req.params.id);
    // No fields: a body, if any, must be empty (a field it would ignore is a 400, not a rotation).
    new BodyValidation(jsonObjectBody(req), []).done();
    const created = await deps.tokens.rotate(actor, id);
    res.status(200).json(await withSnippets(req, deps, createdResponse(created), created));
  }));
}
