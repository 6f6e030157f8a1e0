// With `passwordBasicAuthAllowed` off, a password in Basic auth is refused on the REST API — and
// the Token Manager's user picker (`/plugins/servlet/de.resolution.apitokenauth/users/search`
// and `/users/lookup`) answers the same directory data as `GET /user/userKeyByEmail`, as JSON, to
// anyone who can call it. A script with an administrator's password read every user's key, name
// and e-mail address there although the setting kept the same password off `/rest/`. The
// picker's own caller, the page in a browser session, keeps working; the plugin's pages keep the
// host's login rules.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { expectError } from '../../support/errorCodes';
import { sessionOf } from './support/adminCalls';
import { API, startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';

const SERVLET = '/plugins/servlet/de.resolution.apitokenauth';

forEachDatabase('TokenAuthFilter: password Basic switched off, on the user picker\'s JSON', (kind) => {
  let e2e: E2eEnv;
  const failedLogins = async (name: string) => (await e2e.host.runtime.loginManager.getLoginInfo(name)).currentFailedLoginCount;

  before(async () => {
    e2e = await startE2e('jira', kind);
    expect((await e2e.as('admin', `${API}/admin/settings`, { method: 'PUT', body: { passwordBasicAuthAllowed: false } })).status).to.equal(200);
  });
  after(async () => {
    await e2e?.inSession('admin', `${API}/admin/settings`, { method: 'PUT', body: { passwordBasicAuthAllowed: true } });
    await stopAndCheckLeaks(e2e);
  });

  /** The picker's two calls, in the spellings routing takes to them. */
  const pickerPaths = (): string[] => {
    const mail = encodeURIComponent(e2e.users.alice.email);
    const key = encodeURIComponent(e2e.users.alice.key);
    return [
      `${SERVLET}/users/search?query=${mail}`,
      `${SERVLET}/users/lookup?key=${key}`,
      `${SERVLET}/users/search/?query=${mail}`,
      `/plugins/servlet/DE.RESOLUTION.APITOKENAUTH/Users/Search?query=${mail}`,
      `/Plugins/Servlet/de.resolution.apitokenauth/USERS/lookup?key=${key}`,
    ];
  };

  it('should refuse an administrator\'s password on every spelling of the picker\'s calls, with no user in the answer', async () => {
    for (const path of pickerPaths()) {
      const res = await e2e.req(path, { auth: ['admin', e2e.users.admin.password] });
      expectError(res, 'TOKEN_AUTH_FAILED', path);
      expect(res.headers.get('www-authenticate'), path).to.match(/^Basic /);
      expect(res.text, path).not.to.include(e2e.users.alice.email);
      expect(res.text, path).not.to.include(e2e.users.alice.key);
    }
  });

  it('should neither check nor count a wrong password sent there', async () => {
    for (let i = 0; i < 4; i++) {
      expectError(await e2e.req(`${SERVLET}/users/search?query=a`, { auth: ['carol', 'guess'] }), 'TOKEN_AUTH_FAILED', `attempt ${i + 1}`);
    }
    expect(await failedLogins('carol')).to.equal(0);
  });

  it('should still answer the page\'s own calls in an administrator\'s session with its websudo window', async () => {
    const session = await sessionOf(e2e, 'admin');
    await e2e.host.enterWebSudo(session.cookie, e2e.users.admin.password);
    for (const path of pickerPaths()) {
      const res = await e2e.req(path, session);
      expect(res.status, path).to.equal(200);
      expect(res.text, path).to.include(e2e.users.alice.key);
    }
  });

  it('should leave the plugin\'s pages to the host\'s login rules', async () => {
    const page = await e2e.req(`${SERVLET}/admin`, { auth: ['admin', e2e.users.admin.password] });
    expect(page.status).to.equal(200);
    expect(page.headers.get('content-type')).to.match(/^text\/html/);
  });

  it('should answer a password on the picker again once the setting is back on', async () => {
    expect((await e2e.inSession('admin', `${API}/admin/settings`, { method: 'PUT', body: { passwordBasicAuthAllowed: true } })).status).to.equal(200);
    try {
      for (const path of pickerPaths()) {
        const res = await e2e.req(path, { auth: ['admin', e2e.users.admin.password] });
        expect(res.status, path).to.equal(200);
        expect(res.text, path).to.include(e2e.users.alice.key);
      }
    } finally {
      await e2e.inSession('admin', `${API}/admin/settings`, { method: 'PUT', body: { passwordBasicAuthAllowed: false } });
    }
  });
});
