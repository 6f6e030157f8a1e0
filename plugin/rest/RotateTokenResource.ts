import type { Router } from 'express';
import { actorOf, handler, idParam, jsonObjectBody } from './RestSupport';
import { BodyValidation } from './BodyValidation';
import type { RestDeps } from './RestDeps';
import { createdResponse } from './TokenJson';
import { withSnippets } from './SnippetsResource';

/** The only fields a rotate takes: a new expiry, as on create. */
const FIELDS = ['tokenValidityTimeInMonths', 'tokenExpirationDateTime', 'tokenExpirationDateTimeMillis'] as const;

/**
 * `POST /user/token/{id}/rotate` (regenerate = renew): a new secret for the same token, the old
 * one refused at once, and a new expiry — the one given, else now + `defaultValidityMonths`.
 * No body, an empty one or `{}` renews with the default; any other field is a 400.
 */
export function registerRotateToken(router: Router, deps: RestDeps): void {
  router.post('/user/token/:id/rotate', handler(async (req, res) => {
    const actor = actorOf(req);
    const id = idParam(req.params.id);
    const v = new BodyValidation(jsonObjectBody(req), FIELDS);
    const renewal = {
      months: v.integer('tokenValidityTimeInMonths', 1),
      dateTime: v.string('tokenExpirationDateTime', 40),
      millis: v.integer('tokenExpirationDateTimeMillis', 1),
    };
    v.done();
    const created = await deps.tokens.rotate(actor, id, renewal);
    res.status(200).json(await withSnippets(req, deps, createdResponse(created), created));
  }));
}
