/**
 * Which routes of the two token APIs are administrative, for websudo ({@link WebSudoGate}): the
 * one table per router that names every route, in the order the router registers them. A route
 * that is not in its table counts as administrative for system administrators (deny by default);
 * a unit test checks that the tables and the routers name the same routes.
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
  /** A route with a token `:id`: administrative when the token is a sudo token or someone else's the caller may manage. */
  | 'tokenById';

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

/** `/rest/api-tokens/{1.0,latest}` (ApiTokensRouter): the caller's own tokens only. */
export const API_TOKENS_ROUTES: readonly RouteRule[] = [
  { method: 'GET', path: '/', access: 'own' },
  { method: 'POST', path: '/', access: 'own' },
  { method: 'DELETE', path: '/all', access: 'own' },
  { method: 'DELETE', path: '/:id', access: 'own' },
];

/** What a route not named in its table counts as. */
export const UNLISTED_ROUTE: RouteAccess = 'systemAdmin';

export interface MatchedRoute {
  readonly access: RouteAccess;
  /** The `:name` segments of the pattern, percent-decoded as express decodes `req.params`. */
  readonly params: Readonly<Record<string, string>>;
}

/**
 * The segments of `path` against `pattern` as express's router matches them: literal segments
 * without regard to case, a `:name` segment any one non-empty segment, one trailing slash allowed.
 */
function matchPattern(pattern: string, path: string): Record<string, string> | null {
  const wanted = pattern.split('/').slice(1);
  const given = (path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path).split('/').slice(1);
  if (wanted.length !== given.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < wanted.length; i++) {
    if (wanted[i].startsWith(':')) {
      if (given[i] === '') return null;
      // Decoded as express decodes it, so that `%31` names token 1 here as it does for the resource.
      try {
        params[wanted[i].slice(1)] = decodeURIComponent(given[i]);
      } catch {
        return null;
      }
    } else if (wanted[i].toLowerCase() !== given[i].toLowerCase()) {
      return null;
    }
  }
  return params;
}

/** The first rule of `rules` for the request (a GET rule also takes HEAD, as express does); else {@link UNLISTED_ROUTE}. */
export function matchRoute(rules: readonly RouteRule[], method: string, path: string): MatchedRoute {
  const verb = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
  for (const rule of rules) {
    if (rule.method !== verb) continue;
    const params = matchPattern(rule.path, path);
    if (params) return { access: rule.access, params };
  }
  return { access: UNLISTED_ROUTE, params: {} };
}
