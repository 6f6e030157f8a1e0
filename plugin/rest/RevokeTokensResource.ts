import { clientAddressOf } from '../filter/clientAddress';
import { RevokeBody } from './dto/IncidentBodies';
import { handler, readBody } from './RestSupport';
import type { RestDeps } from './RestDeps';
import type { RouteRegistrar } from './GatedRoutes';

/** The one answer to every accepted request, whatever its strings were. */
const ACCEPTED = Object.freeze({ accepted: true });

/**
 * `POST /tokens/revoke` with `{"tokens": ["…", …]}`: no authentication — holding a token proves
 * the right to revoke it (docs/api.md "Revoke leaked tokens"). Never asks who is calling (a
 * caller may be anonymous, or authenticated by the very token it revokes). 202 with the same body
 * for any strings; 400 only for a body that is not such a list; 429 per client IP.
 */
export function registerRevokeTokens(router: RouteRegistrar, deps: RestDeps): void {
  router.post('/tokens/revoke', handler(async (req, res) => {
    const ip = clientAddressOf(req);
    deps.revocation.admit(ip);
    const { tokens } = readBody(req, RevokeBody);
    await deps.revocation.revoke(tokens, ip);
    res.status(202).json(ACCEPTED);
  }));
}
