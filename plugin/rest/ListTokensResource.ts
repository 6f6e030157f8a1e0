import { actorOf, handler } from './RestSupport';
import type { RestDeps } from './RestDeps';
import { tokenListItem } from './TokenJson';
import type { RouteRegistrar } from './GatedRoutes';

/** `GET /user/token` (and `/user/token/`): the caller's own tokens. */
export function registerListTokens(router: RouteRegistrar, deps: RestDeps): void {
  router.get('/user/token', handler(async (req, res) => {
    const actor = actorOf(req);
    const tokens = await deps.tokens.listOwn(actor);
    const now = deps.clock.now();
    res.json(tokens.map((t) => tokenListItem(t, deps.recorder, now, deps.restrictionViews)));
  }));
}
