import type { RequestHandler } from 'express';
import { narrowedDetails, type CallerTokenCheck } from '../service/CallerTokenCheck';
import { actorOf } from './RestSupport';

/**
 * Every call of a token API made with a token, read or write: the token is checked again once the
 * body has been read (the router's JSON parser runs first), before any resource sees the request
 * ({@link CallerTokenCheck}), and its principal narrowed to the token's current limits. Calls
 * without a token (password, session, the unauthenticated revocation) pass unchanged.
 */
export function liveCallerToken(check: CallerTokenCheck): RequestHandler {
  return (req, _res, next) => {
    if (req.principal?.method !== 'api-token') return next();
    check.requireLive(actorOf(req), { method: req.method, path: admittedPath(req.principal.details) }).then((token) => {
      const principal = req.principal;
      if (token !== null && principal) req.principal = { ...principal, details: narrowedDetails(principal.details ?? {}, token) };
      next();
    }, next);
  };
}

/** The canonical path the token filter admitted the request for (TokenAdmission), if the principal carries one. */
function admittedPath(details: Readonly<Record<string, unknown>> | undefined): string | null {
  const path = details?.path;
  return typeof path === 'string' ? path : null;
}
