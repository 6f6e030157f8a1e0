import { ApiError } from '../errors/ApiError';
import type { CreatedToken } from '../service/TokenService';
import { actorOf, handler, idParam } from './RestSupport';
import type { RestDeps } from './RestDeps';
import type { RouteRegistrar } from './GatedRoutes';

/** `?snippets=true` on create/rotate (`wanted`, see SnippetsQuery): the answer gets `snippets` with the plain token filled in. */
export async function withSnippets<T extends object>(wanted: boolean, deps: RestDeps, body: T, created: CreatedToken): Promise<T | (T & { snippets: unknown })> {
  if (!wanted) return body;
  const snippets = await deps.snippets.forToken(created.token, created.plainText);
  return snippets === null ? body : { ...body, snippets };
}

/**
 * `GET /user/token/{id}/snippets`: `curl` and `fetch` calls for a visible token with the
 * `<your-token>` placeholder (the plain token is never stored); 403 in secure mode.
 */
export function registerSnippets(router: RouteRegistrar, deps: RestDeps): void {
  router.get('/user/token/:id/snippets', handler(async (req, res) => {
    const actor = actorOf(req);
    const token = await deps.tokens.getVisible(actor, idParam(req.params.id));
    const snippets = await deps.snippets.forToken(token);
    if (snippets === null) throw new ApiError('SECURE_MODE_NO_SNIPPETS');
    res.json({ id: token.id, snippets });
  }));
}
