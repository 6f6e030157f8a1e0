// `/rest/auth/1/session`: Jira's cookie login for REST clients.
import express, { type Router } from 'express';
import type { HostRuntime } from '../impl/HostRuntime';
import type { LoginInfo } from '../spi';
import { HttpError, notAuthenticated } from '../rest/HttpError';
import { readBody } from '../rest/dto/readDto';
import { SessionBody } from '../rest/common/commonDtos';
import { clearSessionCookie, SESSION_COOKIE, setSessionCookie } from './cookies';
import { endCarriedSessions, startPasswordSession } from './liveSession';
import type { PasswordLogin } from './PasswordLogin';
import { basicFailureHeaders, currentSessionId } from './SeraphLogin';

function iso(millis: number | null): string | undefined {
  return millis === null ? undefined : new Date(millis).toISOString().replace('Z', '+0000');
}

function loginInfoJson(info: LoginInfo): Record<string, unknown> {
  return {
    failedLoginCount: info.totalFailedLoginCount,
    lastFailedLoginTime: iso(info.lastFailedLoginTime),
  };
}

export function sessionResource(runtime: HostRuntime, passwordLogin: PasswordLogin): Router {
  const router = express.Router();
  const { config } = runtime;

  const failureHeaders = (): Record<string, string> => {
    const headers = basicFailureHeaders(config.product);
    delete headers['WWW-Authenticate'];
    return headers;
  };

  router.post('/', async (req, res) => {
    const { username, password } = readBody(req, SessionBody);
    const result = await passwordLogin.authenticate(username, password);
    if (!result.ok) {
      if (result.reason === 'CAPTCHA') throw new HttpError('CAPTCHA_REQUIRED', undefined, undefined, runtime.loginManager.captchaChallengeHeaders());
      throw new HttpError('AUTHENTICATION_FAILED', undefined, undefined, failureHeaders());
    }
    const info = await runtime.loginManager.getLoginInfo(result.user.name);
    // As the login form: the cookie this login replaces ends with it, rather than staying valid
    // for whoever kept a copy (or planted it).
    await endCarriedSessions(runtime, req);
    const sessionId = await startPasswordSession(runtime, result.user, password);
    if (!sessionId) throw new HttpError('AUTHENTICATION_FAILED', undefined, undefined, failureHeaders());
    setSessionCookie(res, config, sessionId);
    res.json({ session: { name: SESSION_COOKIE, value: sessionId }, loginInfo: loginInfoJson(info) });
  });

  router.get('/', async (req, res) => {
    if (!req.principal) throw notAuthenticated();
    const user = req.principal.user;
    const info = await runtime.loginManager.getLoginInfo(user.name);
    res.json({
      self: `${config.baseUrl}/rest/api/latest/user?username=${encodeURIComponent(user.name)}`,
      name: user.name,
      loginInfo: loginInfoJson(info),
    });
  });

  router.delete('/', async (req, res) => {
    const sessionId = currentSessionId(res);
    if (!sessionId || req.principal?.method !== 'session') throw notAuthenticated();
    // As /logout: the websudo window ends with its session rather than idling out in memory.
    runtime.webSudo.drop(sessionId);
    await runtime.sessions.destroy(sessionId);
    clearSessionCookie(res, config);
    res.status(204).end();
  });

  return router;
}
