// docs/api.md "Settings"; docs/data-center.md: an admin settings change made on one node is honoured by every node within 1 s.
import { expect } from 'chai';
import { enterWebSudo } from '../../../host-sim/testing';
import { ADMIN, until, useCluster } from '../../support/cluster';
import { createToken, createUser, expectTokenStatus, PROPAGATION_MS, TOKEN_API, waitForTokenApi } from './support/clusterApi';
import { forEachServerDatabase } from '../../support/databases';

forEachServerDatabase('Cluster settings', function (db) {
  this.timeout(40_000);
  const cluster = useCluster({ db, nodes: 2, product: 'jira' });

  before(async () => {
    await waitForTokenApi(cluster().nodes[0]);
  });

  const putSettings = async (changes: Record<string, unknown>): Promise<void> => {
    const res = await cluster().nodes[0].request(`${TOKEN_API}/admin/settings`, { method: 'PUT', auth: ADMIN, body: changes });
    expect(res.status, res.text).to.equal(200);
  };

  it('should show a settings change made on node1 in GET /admin/settings on node2 within 1 s', async () => {
    const [, b] = cluster().nodes;
    await putSettings({ maxTokensPerUser: 42 });
    await until(async () => (await b.request(`${TOKEN_API}/admin/settings`, { auth: ADMIN })).json?.maxTokensPerUser === 42, PROPAGATION_MS);
    await putSettings({ maxTokensPerUser: 100 });
  });

  it('should refuse Bearer on node2 within 1 s once node1 allows Basic only, and accept it again after switching back', async () => {
    const [a, b] = cluster().nodes;
    const ivy = await createUser(a, 'ivy');
    const token = await createToken(a, [ivy.name, ivy.password]);
    await expectTokenStatus(b, token.plainTextToken, 200, 5000);
    await putSettings({ authSchemes: 'basic' });
    await expectTokenStatus(a, token.plainTextToken, 401, 0);
    await expectTokenStatus(b, token.plainTextToken, 401);
    await expectTokenStatus(b, token.plainTextToken, 200, PROPAGATION_MS, ivy.name);
    await putSettings({ authSchemes: 'both' });
    await until(async () => (await b.request(`${TOKEN_API}/admin/settings`, { auth: ADMIN })).json?.authSchemes === 'both', PROPAGATION_MS);
    await expectTokenStatus(b, token.plainTextToken, 200);
  });

  it('should refuse password Basic auth on node2 within 1 s once node1 disallows it', async () => {
    const [, b] = cluster().nodes;
    await putSettings({ passwordBasicAuthAllowed: false });
    await until(async () => (await b.request('/rest/api/2/myself', { auth: ADMIN })).status === 401, PROPAGATION_MS);
    // Switching back is an admin call with a password, so it goes through the (cookie) session,
    // whose password is confirmed on node2's websudo page (the window lives in that node's memory).
    const login = await b.request('/rest/auth/1/session', { method: 'POST', body: { username: 'admin', password: 'admin' } });
    expect(login.status).to.equal(200);
    const cookie = `JSESSIONID=${String(login.json.session.value)}`;
    await enterWebSudo((path, options) => b.request(path, options), 'jira', cookie, 'admin');
    const res = await b.request(`${TOKEN_API}/admin/settings`, { method: 'PUT', cookie, headers: { 'X-Atlassian-Token': 'no-check' }, body: { passwordBasicAuthAllowed: true } });
    expect(res.status, res.text).to.equal(200);
    const [a] = cluster().nodes;
    await until(async () => (await a.request('/rest/api/2/myself', { auth: ADMIN })).status === 200, PROPAGATION_MS);
  });
});
