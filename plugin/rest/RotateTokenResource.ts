import { RotateTokenBody } from './dto/TokenBodies';
import { SnippetsQuery } from './dto/TokenQueries';
import { actorOf, handler, idParam, readBody, readQuery, sendSecret } from './RestSupport';
import type { RestDeps } from './RestDeps';
import { createdResponse } from './TokenJson';
import { withSnippets } from './SnippetsResource';
import type { RouteRegistrar } from './GatedRoutes';

/**
 * `POST /user/token/{id}/rotate` (regenerate = renew): a new secret for the same token, the old
 * one refused at once, and a new expiry — the one given, else now + `defaultValidityMonths`.
 * No body, an empty one or `{}` renews with the default; any other field is a 400.
 */
export function registerRotateToken(router: RouteRegistrar, deps: RestDeps): void {
  router.post('/user/token/:id/rotate', handler(async (req, res) => {
    const actor = actorOf(req);
    const id = idParam(req.params.id);
    const query = readQuery(req, SnippetsQuery);
    const body = readBody(req, RotateTokenBody);
    const renewal = {
      months: body.tokenValidityTimeInMonths,
      dateTime: body.tokenExpirationDateTime,
      millis: body.tokenExpirationDateTimeMillis,
    };
    const created = await deps.tokens.rotate(actor, id, renewal);
    sendSecret(res, await withSnippets(query.snippets === 'true', deps, createdResponse(created), created));
  }));
}
