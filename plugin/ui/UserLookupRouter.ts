import express, { type Request, type Response, type Router } from 'express';
import { isServiceUnavailable, type HostUser } from '../../host-sim/spi';
import { i18nKeyOf } from '../errors/ErrorCode';
import { admitWebSudo, WEBSUDO_HEADER } from '../rest/WebSudoGate';
import { redactTokensInPath } from '../token/TokenFormat';
import { checkDto, type DtoClass } from '../validation/checkDto';
import { localeFor, mayOpen } from './pageAccess';
import type { UiDependencies } from './UiDependencies';
import { MAX_SEARCH_RESULTS, UserLookupQuery, UserSearchQuery } from './UserLookupQueries';
import { uiText } from './uiStrings';

/** A user as the Token Manager's user picker shows it. */
export interface PickerUser {
  readonly key: string;
  readonly name: string;
  readonly displayName: string;
  readonly email: string;
  readonly active: boolean;
}


/**
 * JSON endpoints for the Token Manager (same permission as the page, and for an administrator's
 * session the websudo window, as `GET /user/userKeyByEmail`):
 * - `GET /users/search?query=` — users whose name, display name or e-mail contains the query,
 *   plus the user whose key is exactly the query;
 * - `GET /users/lookup?key=a&key=b` — `{users: {key: PickerUser}}` for the owner column.
 */
export function createUserLookupRouter(deps: UiDependencies): Router {
  const log = deps.logger.child({ module: 'UserLookupRouter' });
  const router = express.Router();

  router.get('/search', (req, res) => {
    guarded(req, res, UserSearchQuery, async ({ query = '' }) => {
      if (query.length === 0) return { users: [] };
      const found = await deps.userManager.searchUsers(query, MAX_SEARCH_RESULTS);
      const byKey = await deps.userManager.getUserByKey(query);
      const users = byKey && !found.some((u) => u.key === byKey.key) ? [byKey, ...found] : found;
      return { users: users.slice(0, MAX_SEARCH_RESULTS).map(toPickerUser) };
    });
  });

  router.get('/lookup', (req, res) => {
    guarded(req, res, UserLookupQuery, async ({ key }) => {
      const unique = [...new Set(key)];
      const users: Record<string, PickerUser> = {};
      for (const key of unique) {
        const user = await deps.userManager.getUserByKey(key);
        if (user) users[key] = toPickerUser(user);
      }
      return { users };
    });
  });

  /** Answers 401/403 before anything else, then 400 for a bad query, then `body`'s JSON. */
  function guarded<Q extends object>(req: Request, res: Response, dto: DtoClass<Q>, body: (query: Q) => Promise<unknown>): void {
    const user = req.principal?.user;
    const locale = localeFor(deps, req, user);
    res.set('Cache-Control', 'no-store').set('X-Content-Type-Options', 'nosniff');
    if (!user) {
      res.status(401).json({ errorMessage: uiText(deps.i18n, locale, 'error.notLoggedIn') });
      return;
    }
    const checked = checkDto(dto, req.query as Record<string, unknown>, { unknown: 'ignore' });
    deps.access.forUser(user.key)
      .then(async (access) => {
        if (!mayOpen('admin', access)) {
          res.status(403).json({ errorMessage: uiText(deps.i18n, locale, 'error.forbiddenPage') });
          return;
        }
        // The directory by e-mail is what `userKeyByEmail` answers: an administrator's session
        // needs its websudo window, as for that call (plugin/rest/WebSudoGate.ts), and extends it.
        if (deps.webSudo && (await deps.userManager.isAdmin(user.key)) && !admitWebSudo(deps.webSudo, req)) {
          res.status(401).set(WEBSUDO_HEADER, 'required').json({ errorMessage: deps.i18n.getText(locale, i18nKeyOf('WEBSUDO_REQUIRED')) });
          return;
        }
        if (Object.keys(checked.errors).length > 0) {
          res.status(400).json({ errorMessage: uiText(deps.i18n, locale, 'error.badQuery'), fields: Object.keys(checked.errors) });
          return;
        }
        res.json(await body(checked.value));
      })
      .catch((err: unknown) => {
        const unavailable = isServiceUnavailable(err);
        if (!unavailable) log.error('User lookup failed', { path: redactTokensInPath(req.path), error: err instanceof Error ? err.message : String(err) });
        res.status(unavailable ? 503 : 500).json({ errorMessage: uiText(deps.i18n, locale, unavailable ? 'error.unavailable' : 'error.unexpected') });
      });
  }

  return router;
}

function toPickerUser(user: HostUser): PickerUser {
  return { key: user.key, name: user.name, displayName: user.displayName, email: user.email, active: user.active };
}
