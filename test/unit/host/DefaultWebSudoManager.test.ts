// The SPI's WebSudoManager as the host implements it: on the host's own websudo windows (the same
// session cookie, the same 10 idle minutes, the same switch-off properties), exempting requests
// that carry the password or a token, and naming the host's password page for a browser.
import { expect } from 'chai';
import type { Request } from 'express';
import { DefaultWebSudoManager } from '../../../host-sim/auth/DefaultWebSudoManager';
import { WEBSUDO_IDLE_MS, WebSudoSessions, webSudoEnabled } from '../../../host-sim/auth/webSudo';
import type { AuthenticationMethod } from '../../../host-sim/spi';

const USER = { key: 'admin', name: 'admin', displayName: 'A', email: '', active: true, locale: 'en', timeZone: 'UTC' };

/** A request the login filter signed in with `sessionId` (it keeps the session it chose in `res.locals`). */
function request(method: AuthenticationMethod | null, sessionId?: string, cookie = sessionId): Request {
  return {
    principal: method === null ? undefined : { user: USER, method },
    headers: cookie === undefined ? {} : { cookie: `JSESSIONID=${cookie}` },
    res: { locals: sessionId === undefined ? {} : { sessionId } },
  } as unknown as Request;
}

describe('DefaultWebSudoManager', () => {
  let now = 5_000_000;
  const clock = { now: () => now };

  it('should let a cookie session run a protected action only inside the window its password opened', () => {
    const sessions = new WebSudoSessions(clock, true);
    const manager = new DefaultWebSudoManager(sessions, '/jira', 'jira');
    expect(manager.canExecuteRequest(request('session', 's1'))).to.equal(false);
    sessions.grant('s1');
    expect(manager.canExecuteRequest(request('session', 's1'))).to.equal(true);
    expect(manager.canExecuteRequest(request('session', 's2')), 'another session').to.equal(false);
    // The window of the session the login filter chose, never a second reading of the cookies.
    expect(manager.canExecuteRequest(request('session', 's2', 's1')), 'a cookie the filter passed over').to.equal(false);
    now += WEBSUDO_IDLE_MS + 1;
    expect(manager.canExecuteRequest(request('session', 's1')), 'after 10 idle minutes').to.equal(false);
  });

  it('should extend a live window when a protected action runs, and never open one', () => {
    const sessions = new WebSudoSessions(clock, true);
    const manager = new DefaultWebSudoManager(sessions, '/jira', 'jira');
    sessions.grant('s1');
    now += WEBSUDO_IDLE_MS - 1_000;
    manager.willExecuteWebSudoRequest(request('session', 's1'));
    now += WEBSUDO_IDLE_MS - 1_000;
    expect(manager.canExecuteRequest(request('session', 's1')), 'extended').to.equal(true);
    manager.willExecuteWebSudoRequest(request('session', 's3'));
    expect(manager.canExecuteRequest(request('session', 's3')), 'no window opened').to.equal(false);
  });

  it('should exempt requests that carry the password or a token, and refuse anonymous ones', () => {
    const manager = new DefaultWebSudoManager(new WebSudoSessions(clock, true), '/jira', 'jira');
    expect(manager.canExecuteRequest(request('password'))).to.equal(true);
    expect(manager.canExecuteRequest(request('api-token'))).to.equal(true);
    expect(manager.canExecuteRequest(request(null, 's1'))).to.equal(false);
  });

  it('should let every request pass when websudo is switched off by its system properties', () => {
    for (const property of ['jira.websudo.is.disabled', 'hostsim.websudo.disabled']) {
      const manager = new DefaultWebSudoManager(new WebSudoSessions(clock, webSudoEnabled({ [property]: 'true' })), '/jira', 'jira');
      expect(manager.canExecuteRequest(request('session', 'never-granted')), property).to.equal(true);
    }
  });

  it('should name the product\'s password page with the destination encoded', () => {
    const sessions = new WebSudoSessions(clock, true);
    expect(new DefaultWebSudoManager(sessions, '/jira', 'jira').passwordPageUrl('/plugins/servlet/x/admin?a=1&b=2'))
      .to.equal('/jira/secure/admin/WebSudoAuthenticate.jspa?webSudoDestination=%2Fplugins%2Fservlet%2Fx%2Fadmin%3Fa%3D1%26b%3D2');
    expect(new DefaultWebSudoManager(sessions, '/confluence', 'confluence').passwordPageUrl('/plugins/servlet/x/settings'))
      .to.equal('/confluence/authenticate.action?destination=%2Fplugins%2Fservlet%2Fx%2Fsettings');
  });
});
