import { UserKeyByEmailQuery } from './dto/TokenQueries';
import { actorOf, handler, readQuery } from './RestSupport';
import type { RestDeps } from './RestDeps';
import type { RouteRegistrar } from './GatedRoutes';

/** `GET /user/userKeyByEmail?email=`: 404 when no user has it, 409 when several do. */
export function registerUserKeyByEmail(router: RouteRegistrar, deps: RestDeps): void {
  router.get('/user/userKeyByEmail', handler(async (req, res) => {
    const actor = actorOf(req);
    const { email } = readQuery(req, UserKeyByEmailQuery);
    res.json({ userKey: await deps.tokens.userKeyByEmail(actor, email) });
  }));
}
