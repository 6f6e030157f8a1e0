// Issue 11, finding 8 and part E: every HTML page of the host and of its plugins forbids
// framing by other sites (`X-Frame-Options: SAMEORIGIN` and CSP `frame-ancestors 'self'`), so
// the profile page with the token panel cannot be click-jacked. The host sets both for every
// response, whatever a plugin servlet sets itself. Headers do not depend on the database, so
// this suite runs on SQLite only, for both products.
import { expect } from 'chai';
import { PLUGIN_DESCRIPTOR, startTestHost, TEST_PLUGIN_DESCRIPTOR, type TestHost, type TestRequestOptions } from '../../support/hostServer';

const ADMIN = ['admin', 'admin'] as const;
const FRANK = ['frank', 'frank-pw'] as const;
const HTML = { Accept: 'text/html' };

for (const product of ['jira', 'confluence'] as const) {
  describe(`Framing headers on HTML pages (${product})`, () => {
    const profile = product === 'jira' ? '/secure/ViewProfile.jspa' : '/users/viewmyprofile.action';
    const admin = product === 'jira' ? '/secure/admin/ViewApplicationProperties.jspa' : '/admin/console.action';
    const servlet = '/plugins/servlet/de.resolution.apitokenauth';
    let host: TestHost;
    before(async () => {
      host = await startTestHost({ product, dbKind: 'sqlite', descriptors: [PLUGIN_DESCRIPTOR, TEST_PLUGIN_DESCRIPTOR] });
      const group = product === 'jira' ? 'jira-software-users' : 'confluence-users';
      await host.runtime.users.createUser({ name: 'frank', password: 'frank-pw', email: 'frank@example.com', displayName: 'Frank', groups: [group] });
    });
    after(async () => { await host?.stop(); });

    const pages: Array<[string, string, TestRequestOptions, number]> = [
      ['login page', '/login.jsp', { headers: HTML }, 200],
      ['login page after logout', '/login.jsp?logout=true', { headers: HTML }, 200],
      ['failed login', '/login.jsp', {
        method: 'POST', body: 'os_username=frank&os_password=wrong', headers: { ...HTML, 'Content-Type': 'application/x-www-form-urlencoded' },
      }, 200],
      ['profile page with the token panel', profile, { auth: FRANK, headers: HTML }, 200],
      ['profile page of an admin', profile, { auth: ADMIN, headers: HTML }, 200],
      ['administration page', admin, { auth: ADMIN, headers: HTML }, 200],
      ['administration page refused (403)', admin, { auth: FRANK, headers: HTML }, 403],
      ['token manager servlet', `${servlet}/admin`, { auth: ADMIN, headers: HTML }, 200],
      ['token settings servlet', `${servlet}/settings`, { auth: ADMIN, headers: HTML }, 200],
      ['token manager refused (403)', `${servlet}/admin`, { auth: FRANK, headers: HTML }, 403],
      ['plugin servlet 404 page', `${servlet}/no-such-page`, { auth: ADMIN, headers: HTML }, 404],
      ['test plugin servlet (sets no header itself)', '/plugins/servlet/testplugin/page', { auth: FRANK, headers: HTML }, 200],
      ['host 404 page', '/no/such/page.jspa', { auth: FRANK, headers: HTML }, 404],
      ['host 404 page, anonymous', '/nothing-here', { headers: HTML }, 404],
      ['unknown servlet', '/plugins/servlet/nobody/home', { auth: FRANK, headers: HTML }, 404],
    ];

    for (const [name, path, options, status] of pages) {
      it(`should forbid framing by other sites: ${name}`, async () => {
        const res = await host.request(path, options);
        expect(res.status, res.text.slice(0, 300)).to.equal(status);
        expect(res.headers.get('content-type')).to.match(/^text\/html/);
        expect(res.headers.get('x-frame-options')).to.equal('SAMEORIGIN');
        const csp = res.headers.get('content-security-policy') ?? '';
        expect(csp.split(',').every((policy) => /(^|;)\s*frame-ancestors 'self'\s*(;|$)/.test(policy)), csp).to.equal(true);
      });
    }

    it('should send the headers on redirects to the login page and on REST errors as well', async () => {
      for (const res of [await host.request(profile, { headers: HTML }), await host.request('/rest/api/2/nothing', { auth: ADMIN })]) {
        expect(res.headers.get('x-frame-options')).to.equal('SAMEORIGIN');
        expect(res.headers.get('content-security-policy')).to.contain("frame-ancestors 'self'");
      }
    });
  });
}
