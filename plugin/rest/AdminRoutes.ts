/**
 * Which routes of the two token APIs are administrative, for websudo ({@link WebSudoGate}): one
 * table per router naming every route as it is registered. Each route is registered through
 * {@link gatedRoutes}, which puts the gate of its entry in front of it, so express's own matching
 * decides which entry applies; a route without an entry cannot be registered (the plugin does
 * not start), and a unit test checks that the tables and the routers name the same routes.
 */
export type RouteAccess =
  /** No authentication at all: holding a token proves the right to revoke it (`/tokens/revoke`). */
  | 'public'
  /** The caller's own tokens or state only. */
  | 'own'
  /** Administrative for a system administrator: the settings, every token of a user. */
  | 'systemAdmin'
  /** Administrative for whoever holds the on-behalf permission: everyone's tokens, incident response. */
  | 'onBehalf'
  /** `POST /user/token`: administrative when the body names another owner, or asks for a user-less or a sudo token. */
  | 'createToken'
  /**
   * A route with a token `:id`: administrative when it names the caller's own sudo token, or — for
   * a caller who may manage others' tokens — any id but one of the caller's own tokens (another
   * owner's, in reach or not, or none: a session without websudo cannot tell them apart).
   */
  | 'tokenById'
  /**
   * A route with the `asp_` `:id` of one of the caller's own tokens (`/rest/api-tokens`):
   * administrative when it is a sudo token, as the same call is on `/user/token/{id}`.
   */
  | 'ownTokenByStringId'
  /** Every token of the caller at once: administrative while one of them is a sudo token (it goes too). */
  | 'allOwnTokens';

export type RouteMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteRule {
  readonly method: RouteMethod;
  /** Express's path pattern as the router registers it, e.g. `/user/token/:id/rotate`. */
  readonly path: string;
  readonly access: RouteAccess;
}

/** `/rest/de.resolution.apitokenauth/{1.0,latest}` (TokenRestRouter). */
export const TOKEN_REST_ROUTES: readonly RouteRule[] = [
  { method: 'DELETE', path: '/user/token/deleteAllFor/:userKey', access: 'systemAdmin' },
  { method: 'POST', path: '/user/token', access: 'createToken' },
  { method: 'GET', path: '/user/token', access: 'own' },
  { method: 'GET', path: '/user/token/status', access: 'own' },
  { method: 'POST', path: '/user/token/:id/rotate', access: 'tokenById' },
  { method: 'GET', path: '/user/token/:id/snippets', access: 'tokenById' },
  { method: 'PATCH', path: '/user/token/:id', access: 'tokenById' },
  { method: 'DELETE', path: '/user/token/:id', access: 'tokenById' },
  { method: 'GET', path: '/user/tokensByFilter', access: 'onBehalf' },
  { method: 'GET', path: '/user/userKeyByEmail', access: 'onBehalf' },
  { method: 'POST', path: '/admin/tokens/lookup', access: 'onBehalf' },
  { method: 'POST', path: '/admin/tokens/delete', access: 'onBehalf' },
  { method: 'POST', path: '/tokens/revoke', access: 'public' },
  { method: 'GET', path: '/admin/settings', access: 'systemAdmin' },
  { method: 'PUT', path: '/admin/settings', access: 'systemAdmin' },
];

/**
 * `/rest/api-tokens/{1.0,latest}` (ApiTokensRouter): the caller's own tokens only. Deleting one's
 * own sudo token is administrative here as on the resolution API: another endpoint must not reach
 * without websudo what `/user/token/{id}` asks it for.
 */
export const API_TOKENS_ROUTES: readonly RouteRule[] = [
  { method: 'GET', path: '/', access: 'own' },
  { method: 'POST', path: '/', access: 'own' },
  { method: 'DELETE', path: '/all', access: 'allOwnTokens' },
  { method: 'DELETE', path: '/:id', access: 'ownTokenByStringId' },
];

/** The access of the route `method path` exactly as registered; undefined when the table does not name it. */
export function accessOf(rules: readonly RouteRule[], method: RouteMethod, path: string): RouteAccess | undefined {
  return rules.find((rule) => rule.method === method && rule.path === path)?.access;
}
