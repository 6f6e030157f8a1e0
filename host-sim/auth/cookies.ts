// Minimal cookie handling for the host's JSESSIONID session cookie.
import type { Request, Response } from 'express';

export const SESSION_COOKIE = 'JSESSIONID';

/** A browser sends one session cookie per path it holds; a request with more is signed in with none. */
export const MAX_SESSION_COOKIES = 4;

/**
 * The distinct well-formed session cookie values of a request, in the header's order (the
 * browser's deepest path first), all of them (the header's size bounds their number). Several
 * arrive when another application on the same host name set its own JSESSIONID, or when someone
 * planted one (see `liveSessionOf`).
 */
export function sessionIdsOf(req: Request): string[] {
  const header = req.headers.cookie;
  // A Set: a header may hold a thousand of them, and every request without a token reads it.
  const ids = new Set<string>();
  if (!header) return [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0 || part.slice(0, eq).trim() !== SESSION_COOKIE) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (/^[A-Za-z0-9_-]{1,200}$/.test(value)) ids.add(value);
  }
  return [...ids];
}

/** Where the cookie belongs: the context path, and the base URL (an https one makes the cookie `Secure`). */
export interface CookieScope {
  readonly contextPath: string;
  readonly baseUrl: string;
}

/**
 * HttpOnly, path = context path, SameSite=Lax, and `Secure` when the base URL is https (a node
 * behind a proxy that terminates TLS): the browser then never sends it over plain http.
 */
function sessionCookieOptions(scope: CookieScope): { httpOnly: true; path: string; sameSite: 'lax'; secure: boolean } {
  return { httpOnly: true, path: scope.contextPath || '/', sameSite: 'lax', secure: /^https:/i.test(scope.baseUrl) };
}

/** Sets the session cookie (see {@link sessionCookieOptions}). */
export function setSessionCookie(res: Response, scope: CookieScope, sessionId: string): void {
  res.cookie(SESSION_COOKIE, sessionId, { ...sessionCookieOptions(scope), encode: String });
}

export function clearSessionCookie(res: Response, scope: CookieScope): void {
  res.clearCookie(SESSION_COOKIE, sessionCookieOptions(scope));
}
