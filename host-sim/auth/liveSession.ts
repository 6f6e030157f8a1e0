// Which cookie session a browser request is signed in with: one rule for the login filter, the
// websudo form and every page that asks.
import type { Request } from 'express';
import type { HostRuntime } from '../impl/HostRuntime';
import type { HostUser } from '../spi';
import { MAX_SESSION_COOKIES, sessionIdsOf } from './cookies';
import type { WebSudoSessions } from './webSudo';

/** Where a request's answer of {@link liveSessionOf} is kept (`res.locals`); a login or logout drops it. */
const RESOLVED = 'liveSession';

/** A live session of an active user. */
export interface LiveSession {
  readonly sessionId: string;
  readonly xsrfToken: string;
  readonly user: HostUser;
}

/**
 * The one live session among the request's session cookies, or null. Cookies that are not live
 * sessions here (another application's JSESSIONID on localhost, an ended session) are passed
 * over whatever their order. Two live sessions are refused both: nothing this host sets makes a
 * browser hold two, but a cookie planted for a deeper path by whoever can set cookies for this
 * host name (cookie tossing) is sent first, and taking the first would sign the victim in as the
 * attacker. More than {@link MAX_SESSION_COOKIES} are refused unread: looking at the first few
 * only, planted ids of no session pushed the victim's out of sight, and the attacker's own among
 * them was then the one live session.
 */
export function liveSessionOf(runtime: Pick<HostRuntime, 'sessions' | 'users' | 'logger'>, req: Request): Promise<LiveSession | null> {
  // Answered once per request (the login filter, then the websudo page): a second reading cost
  // a session read per cookie and logged a planted cookie twice. Null is an answer too.
  const locals = req.res?.locals as Record<string, unknown> | undefined;
  const known = locals?.[RESOLVED] as Promise<LiveSession | null> | undefined;
  if (known) return known;
  const found = findLiveSession(runtime, req);
  if (locals) locals[RESOLVED] = found;
  return found;
}

async function findLiveSession(runtime: Pick<HostRuntime, 'sessions' | 'users' | 'logger'>, req: Request): Promise<LiveSession | null> {
  const ids = sessionIdsOf(req);
  if (ids.length > MAX_SESSION_COOKIES) {
    runtime.logger.warn('A request carried more session cookies than a browser holds: none is used (planted cookies?)', { count: ids.length });
    return null;
  }
  const live: LiveSession[] = [];
  for (const sessionId of ids) {
    const session = await runtime.sessions.get(sessionId);
    const user = session ? await runtime.users.getUserByKey(session.userKey) : null;
    if (session && user?.active) live.push({ sessionId, xsrfToken: session.xsrfToken, user });
  }
  if (live.length > 1) {
    runtime.logger.warn('A request carried two live session cookies: neither is used (a planted cookie?)', { users: live.map((s) => s.user.key) });
    return null;
  }
  return live[0] ?? null;
}

/**
 * Ends every session whose cookie the request carries, with its websudo window: a login replaces
 * them (a planted one included), a logout ends them. Ids that are no session here change nothing.
 * All of them, in a few statements (anyone may send `/logout` with a header full of ids): ending
 * only the first few, a logout whose request carried planted ids ahead of the user's own cookie
 * (deeper paths are sent first) left a copy of that cookie signed in (attack review 25).
 */
export async function endCarriedSessions(runtime: { readonly sessions: HostRuntime['sessions']; readonly webSudo: Pick<WebSudoSessions, 'drop'> }, req: Request): Promise<void> {
  if (req.res) delete (req.res.locals as Record<string, unknown>)[RESOLVED];
  const ids = sessionIdsOf(req);
  for (const sessionId of ids) runtime.webSudo.drop(sessionId);
  await runtime.sessions.destroyMany(ids);
}

/**
 * A new session for a user whose password was just checked, or null when it is no longer their
 * password. A new password ends its user's sessions, but a login whose check read the old one
 * just before the change made its session just after, and it outlived the change: the password
 * is checked again (in the database) once the session exists, and a change after that ends it.
 */
export async function startPasswordSession(runtime: Pick<HostRuntime, 'sessions' | 'users'>, user: HostUser, password: string): Promise<string | null> {
  const sessionId = await runtime.sessions.create(user.key);
  if (await runtime.users.checkPassword(user.name, password)) return sessionId;
  await runtime.sessions.destroy(sessionId);
  return null;
}
