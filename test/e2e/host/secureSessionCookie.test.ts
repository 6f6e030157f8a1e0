// A node behind a proxy that terminates TLS announces an https BASE_URL, yet it set JSESSIONID
// without `Secure`: a browser then also sends the session cookie over plain http to that host
// name (a link or redirect to http://jira.example.com, any port 80 listener, a network attacker
// answering it), and whoever reads that request has the session — an administrator's mints
// that administrator's tokens (secure-defaults review, 2026-12-05). Tomcat marks the cookie
// secure on an https connector; the host does so when its base URL is https.
import { expect } from 'chai';
import { sendRequest, startTestHost, type TestHost, type TestRequestOptions } from '../../support/hostServer';

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

/** The attributes of the JSESSIONID cookie an answer sets, lower case. */
function sessionCookieAttributes(setCookie: string | null): string[] {
  expect(setCookie).to.match(/^JSESSIONID=/);
  return (setCookie as string).split(';').slice(1).map((a) => a.trim().toLowerCase());
}

describe('Session cookie behind https', () => {
  for (const [baseUrl, secure] of [['https://jira.example.com/jira', true], ['http://jira.example.com/jira', false]] as const) {
    describe(`BASE_URL=${baseUrl}`, () => {
      let host: TestHost;
      before(async () => { host = await startTestHost({ descriptors: [], env: { BASE_URL: baseUrl } }); });
      after(() => host?.stop());
      /** Over the loopback: the base URL names a host this machine does not resolve. */
      const request = (path: string, options?: TestRequestOptions) => sendRequest(`http://127.0.0.1:${host.host.port}/jira${path}`, options);

      it(`should ${secure ? '' : 'not '}mark the cookie Secure when signing in by REST or on the login page`, async () => {
        const rest = await request('/rest/auth/1/session', { method: 'POST', body: { username: 'admin', password: 'admin' } });
        expect(rest.status).to.equal(200);
        const page = await request('/login.jsp', { method: 'POST', body: 'os_username=admin&os_password=admin', headers: FORM });
        expect(page.status).to.equal(302);
        for (const res of [rest, page]) {
          const attributes = sessionCookieAttributes(res.headers.get('set-cookie'));
          expect(attributes.includes('secure'), attributes.join('; ')).to.equal(secure);
          expect(attributes).to.include('httponly');
        }
      });

      it(`should ${secure ? '' : 'not '}mark the cookie that logging out clears Secure, so the browser replaces the secure one`, async () => {
        const login = await request('/rest/auth/1/session', { method: 'POST', body: { username: 'admin', password: 'admin' } });
        const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
        const out = await request('/logout', { cookie });
        expect(out.status).to.equal(302);
        expect(sessionCookieAttributes(out.headers.get('set-cookie')).includes('secure')).to.equal(secure);
      });
    });
  }
});
