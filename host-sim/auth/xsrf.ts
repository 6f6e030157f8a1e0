// Atlassian's XSRF rules: for cookie-authenticated, state-changing requests, and for REST
// changes in a body a browser form can send, whoever sends them.
import type { Request, RequestHandler } from 'express';
import { HttpError, msg } from '../rest/HttpError';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** The content types an HTML form sends (`enctype`), which need no CORS preflight cross-site. */
const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data|text\/plain)\s*(;|$)/i;
const REST_PATH = /^\/rest\//i;

function saysNoCheck(req: Request): boolean {
  const token = req.headers['x-atlassian-token'];
  return typeof token === 'string' && /^(no-check|nocheck)$/i.test(token.trim());
}

/**
 * True when the request may proceed: a safe method, `X-Atlassian-Token: no-check`, or a JSON
 * body (a browser form cannot send one cross-site without a CORS preflight).
 */
export function passesXsrfCheck(req: Request): boolean {
  if (SAFE_METHODS.has(req.method) || saysNoCheck(req)) return true;
  const type = req.headers['content-type'];
  return typeof type === 'string' && /^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type.trim());
}

/**
 * Jira's REST rule for every caller, after authentication: a change under `/rest/` whose body is
 * of a form's content type (form, multipart, text/plain), or that a browser says it sends from
 * another site, needs `X-Atlassian-Token: no-check`, else 403 `XSRF_CHECK_FAILED`. A browser
 * sends Basic credentials it has cached with such a request from any site, as it sends a cookie:
 * a form, or a body-less `navigator.sendBeacon` or no-cors `fetch` (no Content-Type at all).
 * Mounted inside the context path (`req.path` is relative).
 * @param baseUrl the host's public base URL: its origin is this site's, also behind a proxy
 */
export function restFormPostGuard(baseUrl: string): RequestHandler {
  const ownOrigin = new URL(baseUrl).origin;
  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method) || !REST_PATH.test(req.path) || saysNoCheck(req)) return next();
    const type = req.headers['content-type'];
    const formType = typeof type === 'string' ? FORM_TYPES.exec(type.trim())?.[1].toLowerCase() : undefined;
    if (fromAnotherSite(req, ownOrigin)) return next(new HttpError('XSRF_CHECK_FAILED'));
    // Mostly a script's JSON sent as a form (`curl -d` without a Content-Type): say how to send it.
    next(formType ? new HttpError('XSRF_CHECK_FAILED', msg('hostsim.error.xsrf.formBody', formType)) : undefined);
  };
}

/**
 * Where a browser says a request comes from: `Sec-Fetch-Site` (every current browser), else
 * `Origin`; scripts and curl send neither. Same origin: the base URL's, or the one the request
 * was addressed to (a node reached directly).
 */
export function fromAnotherSite(req: Request, ownOrigin: string): boolean {
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string') return site !== 'same-origin' && site !== 'none';
  const origin = req.headers.origin;
  if (typeof origin !== 'string') return false;
  return origin !== ownOrigin && origin !== `${req.protocol}://${req.headers.host ?? ''}`;
}
