import express, { Router } from 'express';
import type { I18nResolver, Logger } from '../../../host-sim/spi';
import { ApiError } from '../../errors/ApiError';
import type { CallerTokenCheck } from '../../service/CallerTokenCheck';
import type { LastAccessRecorder } from '../../service/LastAccessRecorder';
import type { TokenService } from '../../service/TokenService';
import { STRING_ID_REGEX } from '../../token/TokenFormat';
import { API_TOKENS_ROUTES } from '../AdminRoutes';
import { ApiTokenBody } from '../dto/TokenBodies';
import { createErrorMapper } from '../ErrorMapper';
import { gatedRoutes } from '../GatedRoutes';
import { liveCallerToken } from '../LiveCallerToken';
import { noSniff } from '../noSniff';
import { actorOf, handler, readBody, sendSecret } from '../RestSupport';
import { MAX_BODY_BYTES } from '../TokenRestRouter';
import type { WebSudoGate } from '../WebSudoGate';
import { apiTokenCreated, apiTokenItem } from './ApiTokensJson';

/** What `/rest/api-tokens` needs: the same token service as the resolution API. */
export interface ApiTokensDeps {
  readonly tokens: TokenService;
  readonly recorder: LastAccessRecorder;
  /** The calling token checked again once the body has arrived. */
  readonly callerCheck: CallerTokenCheck;
  /** Websudo for administrative routes (deleting one's own sudo token); a route added without its AdminRoutes entry does not register. */
  readonly webSudoGate: WebSudoGate;
}

/**
 * The `api-tokens-rest` module: `/rest/api-tokens/{1.0,latest}` of the "API Tokens for
 * Jira/Confluence" app (seed 003) on the same tokens as `/rest/de.resolution.apitokenauth`.
 * Own tokens only. Licence: as in the seed, tokens are listed, created and deleted without a
 * valid licence (as on the resolution API); only token use is refused, by the filter.
 */
export function createApiTokensRouter(deps: ApiTokensDeps, i18n: I18nResolver, logger: Logger): Router {
  const router = Router();
  router.use(noSniff);
  router.use(express.json({ limit: MAX_BODY_BYTES }));
  router.use(liveCallerToken(deps.callerCheck));
  // Each route behind the websudo gate of its AdminRoutes entry (deleting one's own sudo token is administrative).
  const routes = gatedRoutes(router, API_TOKENS_ROUTES, deps.webSudoGate);

  routes.get('/', handler(async (req, res) => {
    const tokens = await deps.tokens.listOwn(actorOf(req));
    res.json(tokens.map((t) => apiTokenItem(t, deps.recorder)));
  }));

  routes.post('/', handler(async (req, res) => {
    const actor = actorOf(req);
    const { label } = readBody(req, ApiTokenBody);
    const created = await deps.tokens.create(actor, { description: label });
    sendSecret(res, apiTokenCreated(created));
  }));

  // Before `/:id`, so that `all` is not taken for an id.
  routes.delete('/all', handler(async (req, res) => {
    await deps.tokens.deleteAllOwn(actorOf(req));
    res.status(204).end();
  }));

  routes.delete('/:id', handler(async (req, res) => {
    const actor = actorOf(req);
    const id = req.params.id;
    if (typeof id !== 'string' || !STRING_ID_REGEX.test(id)) throw new ApiError('TOKEN_NOT_FOUND');
    const token = await deps.tokens.getOwnByStringId(actor, id);
    await deps.tokens.delete(actor, token.id);
    res.status(204).end();
  }));

  router.use((_req, _res, next) => next(new ApiError('NOT_FOUND')));
  router.use(createErrorMapper(i18n, logger));
  return router;
}
