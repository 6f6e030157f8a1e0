import { CreateTokenBody } from './dto/TokenBodies';
import { SnippetsQuery } from './dto/TokenQueries';
import { actorOf, handler, readBody, readQuery, sendSecret } from './RestSupport';
import type { RestDeps } from './RestDeps';
import { createdResponse } from './TokenJson';
import { withSnippets } from './SnippetsResource';
import type { RouteRegistrar } from './GatedRoutes';

/**
 * `POST /user/token`: create a token for oneself, with the on-behalf permission for another user,
 * or (system admins, `"userless": true`) a user-less token; `"sudo": true` makes a system admin's
 * own token an admin "sudo" token. `?snippets=true` adds code snippets.
 */
export function registerCreateToken(router: RouteRegistrar, deps: RestDeps): void {
  router.post('/user/token', handler(async (req, res) => {
    const actor = actorOf(req);
    const query = readQuery(req, SnippetsQuery);
    const body = readBody(req, CreateTokenBody);
    const request = {
      description: body.tokenDescription,
      months: body.tokenValidityTimeInMonths,
      dateTime: body.tokenExpirationDateTime,
      millis: body.tokenExpirationDateTimeMillis,
      scope: body.tokenScope,
      forUserKey: body.tokenForUserKey,
      userless: body.userless,
      restrictions: body.restrictions,
      ipAllowlist: body.ipAllowlist,
      sudo: body.sudo,
    };
    const created = await deps.tokens.create(actor, request);
    sendSecret(res, await withSnippets(query.snippets === 'true', deps, createdResponse(created), created));
  }));
}
