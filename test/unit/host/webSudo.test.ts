import { expect } from 'chai';
import type { Request } from 'express';
import { passesWebSudo, WEBSUDO_IDLE_MS, WebSudoSessions, webSudoEnabled } from '../../../host-sim/auth/webSudo';

describe('WebSudoSessions', () => {
  let now = 1_000_000;
  const clock = { now: () => now };

  it('should open a window on grant, extend it on touch and end it after 10 idle minutes', () => {
    const sessions = new WebSudoSessions(clock, true);
    expect(sessions.isActive('s1')).to.equal(false);
    sessions.grant('s1');
    now += WEBSUDO_IDLE_MS - 1;
    expect(sessions.isActive('s1')).to.equal(true);
    sessions.touch('s1');
    now += WEBSUDO_IDLE_MS - 1;
    expect(sessions.isActive('s1')).to.equal(true);
    now += 2;
    expect(sessions.isActive('s1')).to.equal(false);
    sessions.touch('s1');
    expect(sessions.isActive('s1'), 'touch does not revive an ended window').to.equal(false);
  });

  it('should end the window on drop and keep sessions apart', () => {
    const sessions = new WebSudoSessions(clock, true);
    sessions.grant('a');
    expect(sessions.isActive('b')).to.equal(false);
    sessions.drop('a');
    expect(sessions.isActive('a')).to.equal(false);
  });

  it('should let everything pass when switched off by jira.websudo.is.disabled or hostsim.websudo.disabled', () => {
    expect(webSudoEnabled({})).to.equal(true);
    expect(webSudoEnabled({ 'jira.websudo.is.disabled': 'true' })).to.equal(false);
    expect(webSudoEnabled({ 'hostsim.websudo.disabled': 'TRUE' })).to.equal(false);
    expect(webSudoEnabled({ 'jira.websudo.is.disabled': 'false' })).to.equal(true);
    const off = new WebSudoSessions(clock, false);
    expect(off.isActive(undefined)).to.equal(true);
  });

  it('should pass Basic (password) requests, and cookie sessions only with a live window', () => {
    const sessions = new WebSudoSessions(clock, true);
    const user = { key: 'admin', name: 'admin', displayName: 'A', email: '', active: true, locale: 'en', timeZone: 'UTC' };
    const req = (method: 'password' | 'session' | 'api-token') => ({ principal: { user, method } }) as unknown as Request;
    expect(passesWebSudo(req('password'), undefined, sessions)).to.equal(true);
    expect(passesWebSudo(req('session'), 's9', sessions)).to.equal(false);
    expect(passesWebSudo(req('api-token'), undefined, sessions)).to.equal(false);
    sessions.grant('s9');
    expect(passesWebSudo(req('session'), 's9', sessions)).to.equal(true);
  });
});
