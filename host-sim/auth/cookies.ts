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

/** Sets the session cookie: HttpOnly, path = context path, SameSite=Lax. */
export function setSessionCookie(res: Response, contextPath: string, sessionId: string): void {
  res.cookie(SESSION_COOKIE, sessionId, { httpOnly: true, path: contextPath || '/', sameSite: 'lax', encode: String });
}

export function clearSessionCookie(res: Response, contextPath: string): void {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, path: contextPath || '/', sameSite: 'lax' });
}
