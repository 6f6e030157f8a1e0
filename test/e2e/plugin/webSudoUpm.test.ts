// Switching this plugin off in UPM ends every rule it enforces (password Basic off, restrictions,
// the token rules): the most administrative change there is. A system administrator's cookie
// session without a live websudo window changed it through UPM's REST resource, as UPM in Jira
// does not allow (its REST resources are websudo-protected): a hijacked or left-open session
// could switch password Basic back on without the password. Found by attack review H.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { sessionOf } from './support/adminCalls';
import { API, startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';

const UPM = '/rest/plugins/1.0/de.resolution.apitokenauth-key';
const SETTINGS = `${API}/admin/settings`;

forEachDatabase('UPM by a session without websudo', (kind) => {
  let e2e: E2eEnv;
  before(async () => {
    e2e = await startE2e('jira', kind);
  });
  after(async () => {
    await e2e.inSession('admin', UPM, { method: 'PUT', body: { enabled: true } });
    await e2e.inSession('admin', SETTINGS, { method: 'PUT', body: { passwordBasicAuthAllowed: true } });
    await stopAndCheckLeaks(e2e);
  });

  it('should refuse to switch the plugin off or read it in UPM with 401, however the URL is spelled, and keep password Basic off', async () => {
    expect((await e2e.as('admin', SETTINGS, { method: 'PUT', body: { passwordBasicAuthAllowed: false } })).status).to.equal(200);
    expect((await e2e.as('alice', '/rest/api/2/myself')).status, 'password Basic is off').to.equal(401);
    const session = await sessionOf(e2e, 'admin');
    for (const path of [UPM, `${UPM}/`, UPM.toUpperCase().replace('-KEY', '-key')]) {
      const res = await e2e.req(path, { ...session, method: 'PUT', body: { enabled: false } });
      expect(res.status, `PUT ${path}`).to.equal(401);
      expect((await e2e.req(path, session)).status, `GET ${path}`).to.equal(401);
    }
    expect((await e2e.as('alice', '/rest/api/2/myself')).status, 'password Basic still off').to.equal(401);
  });

  it('should let the same session switch the plugin off and on once the password was entered again', async () => {
    const session = await sessionOf(e2e, 'admin');
    await e2e.host.enterWebSudo(session.cookie, e2e.users.admin.password);
    const off = await e2e.req(UPM, { ...session, method: 'PUT', body: { enabled: false } });
    expect(off.status, off.text).to.equal(200);
    expect(off.json.enabled).to.equal(false);
    const on = await e2e.req(UPM, { ...session, method: 'PUT', body: { enabled: true } });
    expect(on.status, on.text).to.equal(200);
    expect(on.json.enabled).to.equal(true);
  });
});
