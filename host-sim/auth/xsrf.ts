// Atlassian's XSRF rule for cookie-authenticated, state-changing requests.
import type { Request } from 'express';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * True when the request may proceed: a safe method, `X-Atlassian-Token: no-check`, or a JSON
 * body (a browser form cannot send one cross-site without a CORS preflight).
 */
export function passesXsrfCheck(req: Request): boolean {
  if (SAFE_METHODS.has(req.method)) return true;
  const token = req.headers['x-atlassian-token'];
  if (typeof token === 'string' && /^(no-check|nocheck)$/i.test(token.trim())) return true;
  const type = req.headers['content-type'];
  return typeof type === 'string' && /^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type.trim());
}
