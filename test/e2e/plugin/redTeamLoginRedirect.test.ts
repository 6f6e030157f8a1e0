// Attack review 2026-12-02 (open redirect): the Token Manager and the settings page send an
// anonymous browser to the login page with the page's own URL as `os_destination`, and the login
// sends it there afterwards. A hostile destination — protocol-relative, backslash, absolute,
// percent-encoded, with tab or dot segments — must never take the browser to another origin,
// with the usual context path or none at all (where `/` + `/evil` would be protocol-relative).
import { expect } from 'chai';
import { startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';

const SERVLET = '/plugins/servlet/de.resolution.apitokenauth';
const HOSTILE = [
  '//evil.example', '///evil.example', '/\\evil.example', '\\\\evil.example', '/\\/evil.example', 'https://evil.example', 'https:evil.example',
  '//evil.example/%2e%2e', '/%2F/evil.example', '%2F%2Fevil.example', '/\t/evil.example', '/\n/evil.example', '/\r\n/evil.example',
  '/ /evil.example', '/..//evil.example', '/%09/evil.example', 'javascript:alert(1)', '/\u3002evil.example', '//evil.example@x',
];

for (const contextPath of ['/jira', '']) {
  describe(`red team: login redirect destinations (context path '${contextPath}')`, () => {
    let e2e: E2eEnv;
    let origin: string;

    before(async () => {
      e2e = await startE2e('jira', 'sqlite', { CONTEXT_PATH: contextPath });
      origin = new URL(e2e.host.baseUrl).origin;
    });
    after(() => stopAndCheckLeaks(e2e));

    const login = (destination: string) => e2e.req('/login.jsp', {
      method: 'POST',
      body: `os_username=alice&os_password=${encodeURIComponent(e2e.users.alice.password)}&os_destination=${encodeURIComponent(destination)}`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });

    /** Where a browser goes with this Location: the base URL's origin, always. */
    function expectSameOrigin(location: string | null, what: string): void {
      expect(location, what).to.be.a('string');
      expect(new URL(location as string, `${origin}/`).origin, `${what} → ${location}`).to.equal(origin);
    }

    it('should send an anonymous browser from the plugin pages to this host\'s login page', async () => {
      for (const page of ['/admin', '/settings', '/admin?x=//evil.example', '/settings?os_destination=https://evil.example']) {
        const res = await e2e.req(`${SERVLET}${page}`);
        expect(res.status, page).to.equal(302);
        const location = res.headers.get('location') as string;
        expectSameOrigin(location, page);
        const destination = new URL(location, `${origin}/`).searchParams.get('os_destination');
        expect(destination, page).to.equal(`${SERVLET}${page}`);
      }
    });

    it('should keep a login inside this host for every hostile destination', async () => {
      for (const destination of HOSTILE) {
        const res = await login(destination);
        expect(res.status, JSON.stringify(destination)).to.equal(302);
        expectSameOrigin(res.headers.get('location'), JSON.stringify(destination));
      }
    });

    it('should still bring the user back to the plugin page they asked for', async () => {
      const res = await login(`${SERVLET}/admin?x=1`);
      expect(res.headers.get('location')).to.equal(`${contextPath}${SERVLET}/admin?x=1`);
    });
  });
}
