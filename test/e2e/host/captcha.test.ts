import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { startTestHost, type TestHost } from '../../support/hostServer';

const ADMIN = ['admin', 'admin'] as const;

forEachDatabase('Failed-login counter and CAPTCHA', (dbKind) => {
  let host: TestHost;
  before(async () => {
    host = await startTestHost({ product: 'jira', dbKind, descriptors: [] });
    for (const name of ['carol', 'dave']) {
      await host.runtime.users.createUser({ name, password: 'right', email: `${name}@example.com`, displayName: name, groups: ['jira-software-users'] });
    }
  });
  after(async () => { await host?.stop(); });

  async function failThreeTimes(name: string): Promise<void> {
    for (let i = 0; i < 3; i++) {
      expect((await host.request('/rest/api/2/myself', { auth: [name, 'wrong'] })).status).to.equal(401);
    }
  }

  it('should answer 403 with the CAPTCHA headers after three wrong passwords, even for the right one', async () => {
    await failThreeTimes('carol');
    const wrong = await host.request('/rest/api/2/myself', { auth: ['carol', 'wrong'] });
    expect(wrong.status).to.equal(403);
    expect(wrong.headers.get('x-seraph-loginreason')).to.equal('AUTHENTICATION_DENIED');
    expect(wrong.headers.get('x-authentication-denied-reason')).to.equal(`CAPTCHA_CHALLENGE; login-url=${host.url}/login.jsp`);
    const right = await host.request('/rest/api/2/myself', { auth: ['carol', 'right'] });
    expect(right.status).to.equal(403);
    expect(right.headers.get('x-seraph-loginreason')).to.equal('AUTHENTICATION_DENIED');
    const session = await host.request('/rest/auth/1/session', { method: 'POST', body: { username: 'carol', password: 'right' } });
    expect(session.status).to.equal(403);
  });

  it('should clear the CAPTCHA state on an admin reset through the toolbox', async () => {
    const reset = await host.request('/rest/hostsim/1.0/users/carol/resetFailedLoginCount', { method: 'POST', auth: ADMIN });
    expect(reset.status).to.equal(204);
    expect((await host.request('/rest/api/2/myself', { auth: ['carol', 'right'] })).status).to.equal(200);
  });

  it('should clear the CAPTCHA state on a successful web login', async () => {
    await failThreeTimes('dave');
    expect((await host.request('/rest/api/2/myself', { auth: ['dave', 'right'] })).status).to.equal(403);
    const web = await host.request('/login.jsp', { method: 'POST', body: 'os_username=dave&os_password=right', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(web.status).to.equal(302);
    expect((await host.request('/rest/api/2/myself', { auth: ['dave', 'right'] })).status).to.equal(200);
  });

  it('should reset the count on a success before the limit', async () => {
    for (let i = 0; i < 2; i++) await host.request('/rest/api/2/myself', { auth: ['carol', 'wrong'] });
    expect((await host.request('/rest/api/2/myself', { auth: ['carol', 'right'] })).status).to.equal(200);
    for (let i = 0; i < 2; i++) await host.request('/rest/api/2/myself', { auth: ['carol', 'wrong'] });
    expect((await host.request('/rest/api/2/myself', { auth: ['carol', 'right'] })).status).to.equal(200);
    expect((await host.runtime.loginManager.getLoginInfo('carol')).currentFailedLoginCount).to.equal(0);
  });
});
