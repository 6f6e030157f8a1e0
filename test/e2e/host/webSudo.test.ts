// Websudo (Jira: /secure/admin/WebSudoAuthenticate.jspa, Confluence: /authenticate.action):
// administration pages of the host and of plugins (decorated `atl.admin`) ask a cookie session
// for the password again; 10 minutes without an administration page end the window; the host's
// REST calls, Basic requests and non-administrators' pages are not affected, while a plugin's
// administrative REST calls ask the same window (SPI WebSudoManager). State is per node and
// session (in memory), so SQLite suffices.
import { expect } from 'chai';
import { PLUGIN_DESCRIPTOR, startTestHost, TEST_PLUGIN_DESCRIPTOR, type TestHost, type TestResponse } from '../../support/hostServer';

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html' };

for (const product of ['jira', 'confluence'] as const) {
  describe(`WebSudo (${product})`, () => {
    const admin = product === 'jira' ? '/secure/admin/ViewApplicationProperties.jspa' : '/admin/console.action';
    const sudo = product === 'jira' ? { path: '/secure/admin/WebSudoAuthenticate.jspa', param: 'webSudoDestination' } : { path: '/authenticate.action', param: 'destination' };
    const manager = '/plugins/servlet/de.resolution.apitokenauth/admin';
    let host: TestHost;

    before(async () => {
      host = await startTestHost({ product, dbKind: 'sqlite', descriptors: [PLUGIN_DESCRIPTOR, TEST_PLUGIN_DESCRIPTOR] });
      const group = product === 'jira' ? 'jira-software-users' : 'confluence-users';
      await host.runtime.users.createUser({ name: 'frank', password: 'frank-pw', email: 'frank@example.com', displayName: 'Frank', groups: [group] });
    });
    after(async () => {
      await host?.runtime.clock.setOffsetMillis(0);
      await host?.stop();
    });

    async function formLogin(name: string, password: string): Promise<string> {
      const res = await host.request('/login.jsp', { method: 'POST', headers: FORM, body: `os_username=${name}&os_password=${encodeURIComponent(password)}` });
      expect(res.status).to.equal(302);
      const cookie = /JSESSIONID=([^;]+)/.exec(res.headers.get('set-cookie') ?? '');
      expect(cookie, 'session cookie').to.not.equal(null);
      return `JSESSIONID=${cookie![1]}`;
    }
    const page = (path: string, cookie: string): Promise<TestResponse> => host.request(path, { cookie, headers: { Accept: 'text/html' } });
    const tokenOf = (html: string): string => /name="atl_token" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const confirm = (cookie: string, fields: Record<string, string>): Promise<TestResponse> =>
      host.request(sudo.path, { method: 'POST', cookie, headers: FORM, body: new URLSearchParams(fields).toString() });

    it('should send a freshly logged-in administrator to the password page before any administration page', async () => {
      const cookie = await formLogin('admin', 'admin');
      for (const path of [admin, manager, '/plugins/servlet/de.resolution.apitokenauth/settings']) {
        const res = await page(path, cookie);
        expect(res.status, path).to.equal(302);
        expect(res.headers.get('location')).to.equal(`/${product}${sudo.path}?${sudo.param}=${encodeURIComponent(path)}`);
      }
      const form = await page(`${sudo.path}?${sudo.param}=${encodeURIComponent(manager)}`, cookie);
      expect(form.status).to.equal(200);
      expect(form.text).to.contain('id="websudo-form"').and.contain('name="webSudoPassword"').and.contain('<meta charset="utf-8">');
      expect(tokenOf(form.text)).to.match(/^[0-9a-f]{40}$/);
    });

    it('should refuse a wrong password and a missing XSRF token, and open the window with the right password', async () => {
      const cookie = await formLogin('admin', 'admin');
      const atlToken = tokenOf((await page(sudo.path, cookie)).text);
      const wrong = await confirm(cookie, { webSudoPassword: 'nope', atl_token: atlToken, [sudo.param]: manager });
      expect(wrong.status).to.equal(401);
      expect(wrong.text).to.contain('id="websudo-message"');
      expect((await confirm(cookie, { webSudoPassword: 'admin', [sudo.param]: manager })).status).to.equal(403);
      expect((await page(manager, cookie)).status).to.equal(302);

      const right = await confirm(cookie, { webSudoPassword: 'admin', atl_token: atlToken, [sudo.param]: manager });
      expect(right.status).to.equal(302);
      expect(right.headers.get('location')).to.equal(`/${product}${manager}`);
      const managerPage = await page(manager, cookie);
      expect(managerPage.status).to.equal(200);
      // The plugin page in the host's administration layout: sidebar with the plugin's section, current link marked.
      expect(managerPage.text).to.contain('id="admin-sidebar"').and.contain('id="admin-section-api-tokens-section"')
        .and.contain('id="token-manager-link" href="/' + product + manager + '" aria-current="page"')
        .and.contain('id="header-logout-link"').and.contain('id="header-admin-link"');
      expect((await page(admin, cookie)).status).to.equal(200);
    });

    it('should end the window after 10 minutes without an administration page, and not send a safe-destination elsewhere', async () => {
      const cookie = await formLogin('admin', 'admin');
      const atlToken = tokenOf((await page(sudo.path, cookie)).text);
      const evil = await confirm(cookie, { webSudoPassword: 'admin', atl_token: atlToken, [sudo.param]: '//evil.example.com/' });
      expect(evil.headers.get('location')).to.equal(`/${product}${admin}`);
      await host.runtime.clock.setOffsetMillis(9 * 60_000);
      expect((await page(admin, cookie)).status, 'within 10 minutes').to.equal(200);
      await host.runtime.clock.setOffsetMillis(18 * 60_000);
      expect((await page(admin, cookie)).status, '9 minutes after the last admin page').to.equal(200);
      await host.runtime.clock.setOffsetMillis(29 * 60_000);
      expect((await page(admin, cookie)).status, '11 minutes after the last admin page').to.equal(302);
      await host.runtime.clock.setOffsetMillis(0);
    });

    it('should not ask the host\'s REST calls, Basic requests or the profile page, and end with the session on logout', async () => {
      const cookie = await formLogin('admin', 'admin');
      const myself = product === 'jira' ? '/rest/api/2/myself' : '/rest/api/user/current';
      expect((await host.request(myself, { cookie })).status).to.equal(200);
      // A plugin's administrative REST call asks the same window, through the SPI's WebSudoManager.
      const settings = '/rest/de.resolution.apitokenauth/latest/admin/settings';
      expect((await host.request(settings, { cookie })).status, 'plugin admin REST without the window').to.equal(401);
      expect((await host.request(admin, { auth: ['admin', 'admin'], headers: { Accept: 'text/html' } })).status).to.equal(200);
      expect((await page(product === 'jira' ? '/secure/ViewProfile.jspa' : '/users/viewmyprofile.action', cookie)).status).to.equal(200);
      const atlToken = tokenOf((await page(sudo.path, cookie)).text);
      expect((await confirm(cookie, { webSudoPassword: 'admin', atl_token: atlToken })).status).to.equal(302);
      expect((await page(admin, cookie)).status).to.equal(200);
      expect((await host.request(settings, { cookie })).status, 'plugin admin REST inside the window').to.equal(200);
      await host.request('/logout', { cookie });
      expect((await host.request(settings, { cookie })).status, 'after logout').to.equal(401);
      expect((await page(admin, cookie)).status).to.equal(302);
      expect((await page(admin, cookie)).headers.get('location')).to.contain('/login.jsp');
    });

    it('should end the window when a REST client ends its session (DELETE /rest/auth/1/session), as /logout does', async () => {
      const login = await host.request('/rest/auth/1/session', { method: 'POST', body: { username: 'admin', password: 'admin' } });
      expect(login.status).to.equal(200);
      const sessionId = (login.json as { session: { value: string } }).session.value;
      const cookie = `JSESSIONID=${sessionId}`;
      const atlToken = tokenOf((await page(sudo.path, cookie)).text);
      expect((await confirm(cookie, { webSudoPassword: 'admin', atl_token: atlToken })).status).to.equal(302);
      expect(host.runtime.webSudo.isActive(sessionId), 'window open').to.equal(true);
      expect((await host.request('/rest/auth/1/session', { method: 'DELETE', cookie, headers: { 'X-Atlassian-Token': 'no-check' } })).status).to.equal(204);
      // The session is gone either way; the window must not outlive it in the node's memory.
      expect(host.runtime.webSudo.isActive(sessionId), 'window after the REST logout').to.equal(false);
    });

    it('should show non-administrators the 403 page in the layout, never the password page', async () => {
      const cookie = await formLogin('frank', 'frank-pw');
      for (const path of [admin, manager]) {
        const res = await page(path, cookie);
        expect(res.status, path).to.equal(403);
        expect(res.text).to.contain('id="forbidden-message"').and.contain('id="header-logout-link"').and.not.contain('id="admin-sidebar"');
      }
    });
  });
}
