// Minimal cookie handling for the host's JSESSIONID session cookie.
import type { Request, Response } from 'express';

export const SESSION_COOKIE = 'JSESSIONID';

/** Parses the Cookie header; the first occurrence of a name wins. */
export function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  if (!header) return cookies;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (name in cookies) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    cookies[name] = value;
  }
  return cookies;
}

export function sessionIdOf(req: Request): string | undefined {
  const id = parseCookies(req.headers.cookie)[SESSION_COOKIE];
  return id && /^[A-Za-z0-9_-]{1,200}$/.test(id) ? id : undefined;
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
