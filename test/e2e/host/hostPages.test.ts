import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { startTestHost, TEST_PLUGIN_DESCRIPTOR, type TestHost } from '../../support/hostServer';

const ADMIN = ['admin', 'admin'] as const;

forEachDatabase('Host pages', (dbKind) => {
  for (const product of ['jira', 'confluence'] as const) {
    describe(product, () => {
      const profile = product === 'jira' ? '/secure/ViewProfile.jspa' : '/users/viewmyprofile.action';
      const admin = product === 'jira' ? '/secure/admin/ViewApplicationProperties.jspa' : '/admin/console.action';
      const usersGroup = product === 'jira' ? 'jira-software-users' : 'confluence-users';
      let host: TestHost;
      before(async () => {
        host = await startTestHost({ product, dbKind, descriptors: [TEST_PLUGIN_DESCRIPTOR] });
        await host.runtime.users.createUser({ name: 'frank', password: 'pw', email: 'f@example.com', displayName: 'Frank <F>', groups: [usersGroup] });
      });
      after(async () => { await host?.stop(); });

      it('should serve the login page in English and German with the bundled stylesheet only', async () => {
        const en = await host.request('/login.jsp');
        expect(en.status).to.equal(200);
        expect(en.text).to.contain('name="os_username"').and.contain('name="os_password"').and.contain('Log in');
        expect(en.text).not.to.match(/https?:\/\/(?!127\.0\.0\.1)/);
        const de = await host.request('/login.jsp', { headers: { 'Accept-Language': 'de' } });
        expect(de.text).to.contain('Anmelden');
        for (const path of ['/static/hostsim/host.css', '/download/resources/com.atlassian.auiplugin:ajs/aui-prototyping.css']) {
          const css = await host.request(path);
          expect(css.status, path).to.equal(200);
          expect(css.headers.get('content-type')).to.contain('text/css');
        }
        expect(en.text).to.contain('<meta charset="utf-8">').and.contain('/download/resources/com.atlassian.auiplugin:ajs/aui-prototyping.js');
      });

      it('should redirect an anonymous page request to the login page with os_destination', async () => {
        const res = await host.request(profile);
        expect(res.status).to.equal(302);
        expect(res.headers.get('location')).to.equal(`/${product}/login.jsp?os_destination=${encodeURIComponent(profile)}`);
      });

      it('should show the profile with escaped details and the plugin\'s profile-page panel (Confluence: under the Settings tab)', async () => {
        const res = await host.request(profile, { auth: ['frank', 'pw'] });
        expect(res.status).to.equal(200);
        expect(res.text).to.contain('Frank &lt;F&gt;');
        const panelPage = product === 'jira' ? res : await host.request('/users/viewmysettings.action', { auth: ['frank', 'pw'] });
        expect(panelPage.status).to.equal(200);
        expect(panelPage.text).to.contain('id="test-plugin-panel"');
        expect(panelPage.text).to.contain('Notes of Frank F');
        if (product === 'confluence') {
          expect(res.text).to.contain('id="profile-tab-settings"').and.not.contain('id="test-plugin-panel"');
          // A link with parameters is meant for a panel: it goes on to the Settings tab.
          const forwarded = await host.request(`${profile}?apitokenauth.rotate=42`, { auth: ['frank', 'pw'] });
          expect(forwarded.status).to.equal(302);
          expect(forwarded.headers.get('location')).to.equal('/confluence/users/viewmysettings.action?apitokenauth.rotate=42');
        }
      });

      it('should show the admin page with the plugin web-item to system admins and a 403 page to others', async () => {
        const page = await host.request(admin, { auth: ADMIN });
        expect(page.status).to.equal(200);
        expect(page.text).to.contain('id="admin-sidebar"').and.contain('notes-admin-link');
        const denied = await host.request(admin, { auth: ['frank', 'pw'] });
        expect(denied.status).to.equal(403);
        expect(denied.text).to.contain('id="forbidden-message"');
      });

      it('should redirect a browser to the login page before a plugin servlet', async () => {
        const res = await host.request('/plugins/servlet/testplugin/page', { headers: { Accept: 'text/html' } });
        expect(res.status).to.equal(302);
        expect(res.headers.get('location')).to.contain('/login.jsp?os_destination=');
      });

      it('should answer unknown pages with 404', async () => {
        expect((await host.request('/no/such/page', { auth: ADMIN })).status).to.equal(404);
      });
    });
  }
});
