// Disabling this plugin in UPM ends every token rule at once: where password Basic is switched
// off, passwords are let in again until it is enabled. The settings change that does the same is
// audited; the UPM switch left no event at all, so an administrator (or whoever holds an
// administrator's session past websudo) could disable it, sign in with a password, enable it
// again and leave nothing an incident responder would find. Each change of a plugin's state is
// now an audit event naming who made it, from where, and the plugin.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { API, startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';

const PLUGIN_KEY = 'de.resolution.apitokenauth';
const UPM = `/rest/plugins/1.0/${PLUGIN_KEY}-key`;

type AuditEntity = Record<string, unknown> & {
  author: { id: string; name: string }; source: string; method: string; affectedObjects: Array<{ id: string; type: string }>;
};

forEachDatabase('Plugin state changes in the audit log', (kind) => {
  let e2e: E2eEnv;
  before(async () => {
    // The test client is a trusted proxy: the event must name the client it forwards for.
    e2e = await startE2e('jira', kind, { HOSTSIM_SYSPROPS: 'hostsim.trusted.proxies=127.0.0.1' });
    expect((await e2e.as('admin', `${API}/admin/settings`, { method: 'PUT', body: { passwordBasicAuthAllowed: false } })).status).to.equal(200);
  });
  after(() => stopAndCheckLeaks(e2e));

  it('should audit disabling and enabling the plugin with its author, client address and method, once per change', async () => {
    const cookie = await e2e.webSudoSession('admin');
    const put = (enabled: boolean) => e2e.req(UPM, { method: 'PUT', body: { enabled }, headers: { Cookie: cookie, 'X-Forwarded-For': '203.0.113.9' } });
    expect((await put(false)).status).to.equal(200);
    // The window it opened: password Basic on a REST URL is the host's again.
    expect((await e2e.as('alice', '/rest/api/2/myself')).status).to.equal(200);
    expect((await put(false)).status).to.equal(200); // no change: nothing to audit
    expect((await put(true)).status).to.equal(200);
    expect((await e2e.as('alice', '/rest/api/2/myself')).status).to.equal(401);
    // The audit log is read with the admin's password, as the suite's end reads it.
    const relax = await e2e.req(`${API}/admin/settings`, { method: 'PUT', body: { passwordBasicAuthAllowed: true }, headers: { Cookie: cookie } });
    expect(relax.status).to.equal(200);

    for (const action of ['plugin.disabled', 'plugin.enabled']) {
      const events = await e2e.auditEvents(action) as AuditEntity[];
      expect(events, action).to.have.length(1);
      const [event] = events;
      expect(event.author, action).to.deep.include({ id: e2e.users.admin.key, name: 'admin' });
      expect(event.source, action).to.equal('203.0.113.9');
      expect(event.method, action).to.equal('Browser');
      expect(event.affectedObjects.map((o) => [o.type, o.id]), action).to.deep.equal([['App', PLUGIN_KEY]]);
    }
  });
});
