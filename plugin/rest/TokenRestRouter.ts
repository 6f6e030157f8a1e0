import express, { Router } from 'express';
import type { I18nResolver, Logger } from '../../host-sim/spi';
import { ApiError } from '../errors/ApiError';
import { TOKEN_REST_ROUTES } from './AdminRoutes';
import { registerBulkDelete } from './BulkDeleteResource';
import { registerCreateToken } from './CreateTokenResource';
import { registerDeleteAllFor } from './DeleteAllForResource';
import { registerDeleteToken } from './DeleteTokenResource';
import { createErrorMapper } from './ErrorMapper';
import { gatedRoutes } from './GatedRoutes';
import { registerListTokens } from './ListTokensResource';
import { liveCallerToken } from './LiveCallerToken';
import { registerLookupToken } from './LookupTokenResource';
import { noSniff } from './noSniff';
import type { RestDeps } from './RestDeps';
import { registerRevokeTokens } from './RevokeTokensResource';
import { registerRotateToken } from './RotateTokenResource';
import { registerSettings } from './SettingsResource';
import { registerSnippets } from './SnippetsResource';
import { registerTokenStatus } from './TokenStatusResource';
import { registerTokensByFilter } from './TokensByFilterResource';
import { registerUpdateToken } from './UpdateTokenResource';
import { registerUserKeyByEmail } from './UserKeyByEmailResource';

/**
 * Request bodies above this are answered 413: the host's own limit (docs/api.md, 1 MB), which
 * reads the body before the plugin's routers on a real host; the same here, so that the routers
 * mounted on their own (tests, another host) hold no other limit than the product does.
 */
export const MAX_BODY_BYTES = 1024 * 1024;

/** The `token-rest` module: `/rest/de.resolution.apitokenauth/{1.0,latest}`. */
export function createTokenRestRouter(deps: RestDeps, i18n: I18nResolver, logger: Logger): Router {
  const router = Router();
  router.use(noSniff);
  router.use(express.json({ limit: MAX_BODY_BYTES }));
  router.use(liveCallerToken(deps.callerCheck));
  // Each route behind the websudo gate of its AdminRoutes entry.
  const routes = gatedRoutes(router, TOKEN_REST_ROUTES, deps.webSudoGate);
  registerDeleteAllFor(routes, deps);
  registerCreateToken(routes, deps);
  registerListTokens(routes, deps);
  registerTokenStatus(routes, deps, i18n);
  registerRotateToken(routes, deps);
  registerSnippets(routes, deps);
  registerUpdateToken(routes, deps);
  registerDeleteToken(routes, deps);
  registerTokensByFilter(routes, deps);
  registerUserKeyByEmail(routes, deps);
  // Incident response (issue 12 B); /tokens/revoke is the one route that needs no authentication.
  registerLookupToken(routes, deps);
  registerBulkDelete(routes, deps);
  registerRevokeTokens(routes, deps);
  registerSettings(routes, deps, i18n);
  router.use((_req, _res, next) => next(new ApiError('NOT_FOUND')));
  router.use(createErrorMapper(i18n, logger));
  return router;
}
