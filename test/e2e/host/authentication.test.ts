import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { startTestHost, type TestHost } from '../../support/hostServer';

const ADMIN = ['admin', 'admin'] as const;

forEachDatabase('Seraph authentication', (dbKind) => {
  let host: TestHost;
  before(async () => {
    host = await startTestHost({ product: 'jira', dbKind, descriptors: [] });
    await host.runtime.users.createUser({ name: 'alice', password: 'pa:ss', email: 'alice@example.com', displayName: 'Alice', groups: ['jira-software-users'] });
    await host.runtime.users.createUser({ name: 'sleeper', password: 'pw', email: 's@example.com', displayName: 'S', groups: ['jira-software-users'] });
    await host.runtime.users.setActive('sleeper', false);
  });
  after(async () => { await host?.stop(); });

  it('should accept Basic auth with a password containing a colon', async () => {
    const res = await host.request('/rest/api/2/myself', { auth: ['alice', 'pa:ss'] });
    expect(res.status).to.equal(200);
    expect(res.json.name).to.equal('alice');
  });

  it('should answer 401 with a Basic challenge for a wrong password', async () => {
    const res = await host.request('/rest/api/2/myself', { auth: ['alice', 'wrong'] });
    expect(res.status).to.equal(401);
    expect(res.headers.get('www-authenticate')).to.equal('Basic realm="jira"');
    await host.runtime.loginManager.resetFailedLoginCount('alice');
  });

  it('should refuse inactive users', async () => {
    expect((await host.request('/rest/api/2/myself', { auth: ['sleeper', 'pw'] })).status).to.equal(401);
    const session = await host.request('/rest/auth/1/session', { method: 'POST', body: { username: 'sleeper', password: 'pw' } });
    expect(session.status).to.equal(401);
  });

  it('should log in through /rest/auth/1/session and use the cookie', async () => {
    const res = await host.request('/rest/auth/1/session', { method: 'POST', body: { username: 'alice', password: 'pa:ss' } });
    expect(res.status).to.equal(200);
    expect(res.json.session.name).to.equal('JSESSIONID');
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).to.match(/^JSESSIONID=[^;]+;/);
    expect(setCookie).to.match(/Path=\/jira/);
    expect(setCookie).to.match(/HttpOnly/);
    expect(res.json.loginInfo).to.have.property('failedLoginCount');
    const cookie = `JSESSIONID=${res.json.session.value}`;
    const me = await host.request('/rest/api/2/myself', { cookie });
    expect(me.json.name).to.equal('alice');
    const current = await host.request('/rest/auth/1/session', { cookie });
    expect(current.json.name).to.equal('alice');
    expect((await host.request('/rest/auth/1/session', { method: 'DELETE', cookie, headers: { 'X-Atlassian-Token': 'no-check' } })).status).to.equal(204);
    expect((await host.request('/rest/api/2/myself', { cookie })).status).to.equal(401);
  });

  it('should answer a failed session login with 401 in Jira\'s shape', async () => {
    const res = await host.request('/rest/auth/1/session', { method: 'POST', body: { username: 'alice', password: 'nope' } });
    expect(res.status).to.equal(401);
    expect(res.json).to.have.all.keys('errorMessages', 'errors');
    expect(res.headers.get('set-cookie')).to.equal(null);
    await host.runtime.loginManager.resetFailedLoginCount('alice');
  });

  it('should apply the XSRF rule to cookie-authenticated changes, and to REST changes in a form body whoever sends them', async () => {
    const cookie = await host.login('admin', 'admin');
    const form = await host.request('/rest/api/2/filter', { method: 'POST', cookie, body: 'name=x', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(form.status).to.equal(403);
    expect(form.json).to.deep.equal({ errorMessage: 'XSRF check failed' });
    const noHeader = await host.request('/rest/api/2/user?username=alice', { method: 'DELETE', cookie });
    expect(noHeader.status).to.equal(403);
    expect(await host.runtime.users.getUserByName('alice')).not.to.equal(null);
    const json = await host.request('/rest/api/2/filter', { method: 'POST', cookie, body: { name: 'ok', jql: 'project = TEST' } });
    expect(json.status).to.equal(200);
    const header = await host.request('/rest/api/2/issue/TEST-1/comment', { method: 'POST', cookie, body: 'x', headers: { 'Content-Type': 'text/plain', 'X-Atlassian-Token': 'no-check' } });
    expect(header.status).to.equal(400);
    // A browser sends cached Basic credentials with a cross-site form as it sends a cookie.
    for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'Text/Plain ; charset=UTF-8']) {
      const basic = await host.request('/rest/api/2/filter', { method: 'POST', auth: ADMIN, body: 'name=x', headers: { 'Content-Type': type } });
      expect(basic.status, type).to.equal(403);
      expect(basic.json.errorMessage).to.match(/^XSRF check failed/);
    }
    const basicNoCheck = await host.request('/rest/api/2/filter', {
      method: 'POST', auth: ADMIN, body: 'name=x', headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Atlassian-Token': 'no-check' },
    });
    expect(basicNoCheck.status).to.equal(400);
    const basicNoType = await host.request('/rest/api/2/filter', { method: 'POST', auth: ADMIN });
    expect(basicNoType.status, 'no body, no content type: no form').to.equal(400);
  });

  it('should log in through /login.jsp, redirect to a local destination and log out', async () => {
    const res = await host.request('/login.jsp', {
      method: 'POST', body: 'os_username=alice&os_password=pa%3Ass&os_destination=%2Fsecure%2FViewProfile.jspa',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).to.equal(302);
    expect(res.headers.get('location')).to.equal('/jira/secure/ViewProfile.jspa');
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
    expect((await host.request('/rest/api/2/myself', { cookie })).json.name).to.equal('alice');
    const evil = await host.request('/login.jsp', {
      method: 'POST', body: 'os_username=alice&os_password=pa%3Ass&os_destination=%2F%2Fevil.example',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(evil.headers.get('location')).to.equal('/jira/secure/ViewProfile.jspa');
    const logout = await host.request('/logout', { cookie });
    expect(logout.status).to.equal(302);
    expect((await host.request('/rest/api/2/myself', { cookie })).status).to.equal(401);
  });

  it('should show the login form again after a wrong web password', async () => {
    const res = await host.request('/login.jsp', { method: 'POST', body: 'os_username=alice&os_password=bad', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(res.status).to.equal(200);
    expect(res.headers.get('x-seraph-loginreason')).to.equal('AUTHENTICATED_FAILED');
    expect(res.text).to.contain('id="login-message"');
    await host.runtime.loginManager.resetFailedLoginCount('alice');
  });

  it('should ignore an unknown session cookie', async () => {
    expect((await host.request('/rest/api/2/myself', { cookie: 'JSESSIONID=doesnotexist' })).status).to.equal(401);
    expect((await host.request('/rest/api/2/serverInfo', { cookie: 'JSESSIONID=doesnotexist' })).status).to.equal(200);
  });
});
