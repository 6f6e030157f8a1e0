// A node that cannot read the cluster's change log (the host's ClusterMessagingService says it is
// not current) decides no REST request from what it cached: a revocation made on another node
// may be missing here. From the attack review of 2026-12-02 (test/e2e/cluster/partitionedNode).
import { expect } from 'chai';
import { API, basic, bearer, type PluginApp } from './support/pluginApp';
import { createToken, pw, startWithRoles, type Roles } from './support/fixtures';

describe('TokenAuthFilter on a node behind the cluster change log', () => {
  let r: Roles;
  let app: PluginApp;
  beforeEach(async () => { r = await startWithRoles(); app = r.app; });
  afterEach(async () => { await app.close(); });

  it('should answer 503 with Retry-After for a cached token, Bearer and Basic, while the node is behind', async () => {
    const { plainTextToken } = await createToken(app, 'alice');
    expect((await app.request('GET', '/rest/api/2/myself', { auth: bearer(plainTextToken) })).status).to.equal(200);
    app.host.messaging.current = false;
    for (const auth of [bearer(plainTextToken), basic('alice', plainTextToken)]) {
      const res = await app.request('GET', '/rest/api/2/myself', { auth });
      expect(res.status).to.equal(503);
      expect(res.headers.get('retry-after')).to.equal('5');
      expect(res.body).to.have.keys(['errorMessage']);
    }
    // Password Basic on REST is governed by a cached setting too.
    expect((await app.request('GET', `${API}/user/token`, { auth: pw('alice') })).status).to.equal(503);
    app.host.messaging.current = true;
    expect((await app.request('GET', '/rest/api/2/myself', { auth: bearer(plainTextToken) })).status).to.equal(200);
  });

  it('should leave requests without credentials and password logins on pages to the host while the node is behind', async () => {
    app.host.messaging.current = false;
    expect((await app.request('GET', '/rest/api/2/myself')).status).to.equal(401);
    const page = await app.request('GET', '/secure/ViewProfile.jspa', { auth: pw('alice') });
    expect(page.status).to.equal(200);
    expect(page.body).to.deep.equal({ page: 'profile', user: 'alice' });
  });

  it('should drop every cached credential when the host resyncs, so a revocation it missed takes effect', async () => {
    const { id, plainTextToken } = await createToken(app, 'alice');
    expect((await app.request('GET', '/rest/api/2/myself', { auth: bearer(plainTextToken) })).status).to.equal(200);
    // Another node deleted the row; its message never reached this node (pruned while it was behind).
    expect(await app.host.ao.deleteWithSQL('TOKEN', 'ID = ?', [id])).to.equal(1);
    expect((await app.request('GET', '/rest/api/2/myself', { auth: bearer(plainTextToken) })).status, 'still cached').to.equal(200);
    app.host.messaging.resync();
    expect((await app.request('GET', '/rest/api/2/myself', { auth: bearer(plainTextToken) })).status).to.equal(401);
  });
});
