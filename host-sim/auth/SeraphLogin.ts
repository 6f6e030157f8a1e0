// The host's login filter (Seraph): Basic with password, else the JSESSIONID session.
// Skipped entirely when a before-login plugin filter has already set `req.principal`.
import type { RequestHandler, Response } from 'express';
import type { HostRuntime } from '../impl/HostRuntime';
import { HttpError } from '../rest/HttpError';
import { readAuthorization } from '../spi/authorization';
import { liveSessionOf } from './liveSession';
import type { PasswordLogin } from './PasswordLogin';
import { passesXsrfCheck } from './xsrf';

/** The session id of a cookie-authenticated request (set by the login filter). */
export function currentSessionId(res: Response): string | undefined {
  return res.locals.sessionId as string | undefined;
}

/** Headers of a failed Basic login: the browser prompt and Seraph's reason. */
export function basicFailureHeaders(product: string): Record<string, string> {
  return { 'WWW-Authenticate': `Basic realm="${product}"`, 'X-Seraph-LoginReason': 'AUTHENTICATED_FAILED' };
}

export function createSeraphLogin(runtime: Pick<HostRuntime, 'config' | 'users' | 'loginManager' | 'sessions' | 'logger'>, passwordLogin: PasswordLogin): RequestHandler {
  return async (req, res, next) => {
    if (req.principal) {
      next();
      return;
    }
    // The same reading of the header as every plugin filter before this one (spi/authorization.ts).
    const authorization = readAuthorization(req.headers.authorization);
    if (authorization?.scheme === 'basic') {
      const credentials = authorization.credentials;
      const result = credentials
        ? await passwordLogin.authenticate(credentials.userName, credentials.password)
        : { ok: false as const, reason: 'FAILED' as const };
      if (result.ok) {
        req.principal = { user: result.user, method: 'password' };
        next();
        return;
      }
      if (result.reason === 'CAPTCHA') throw new HttpError('CAPTCHA_REQUIRED', undefined, undefined, runtime.loginManager.captchaChallengeHeaders());
      throw new HttpError('AUTHENTICATION_FAILED', undefined, undefined, basicFailureHeaders(runtime.config.product));
    }
    const session = await liveSessionOf(runtime, req);
    if (session) {
      if (!passesXsrfCheck(req)) throw new HttpError('XSRF_CHECK_FAILED');
      req.principal = { user: session.user, method: 'session' };
      res.locals.sessionId = session.sessionId;
    }
    next();
  };
}
