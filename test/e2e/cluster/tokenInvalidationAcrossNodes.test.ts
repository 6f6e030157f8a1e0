// docs/api.md "What a token may do"; docs/data-center.md: tokens may be cached per node, yet a revocation, rotation, change of limits, delete-all or owner
// deactivation takes effect at once on the node that made it and within 1 s on every other
// node. Refused probes use Bearer, and each test has its own user, so that the refused
// attempts (which count on the owner's failed-login counter) cannot pile up into CAPTCHA state.
import { expect } from 'chai';
import { ADMIN, useCluster } from '../../support/cluster';
import { createToken, createUser, expectTokenStatus, TOKEN_API, waitForTokenApi } from './support/clusterApi';
import { forEachServerDatabase } from '../../support/databases';

forEachServerDatabase('Cluster token invalidation', function (db) {
  this.timeout(40_000);
  const cluster = useCluster({ db, nodes: 3, product: 'jira' });

  before(async () => {
    await waitForTokenApi(cluster().nodes[0]);
  });

  /** A user with a token that every node has already used (so every node may have it cached). */
  const cachedEverywhere = async (name: string) => {
    const [a] = cluster().nodes;
    const user = await createUser(a, name);
    const token = await createToken(a, [user.name, user.password]);
    for (const node of cluster().nodes) await expectTokenStatus(node, token.plainTextToken, 200, 0);
    return { user, auth: [user.name, user.password] as const, token };
  };

  it('should refuse a token revoked on node1 at once on node1 and within 1 s on node2 and node3', async () => {
    const [a, b, c] = cluster().nodes;
    const { auth, token } = await cachedEverywhere('mia');
    const res = await a.request(`${TOKEN_API}/user/token/${token.id}`, { method: 'DELETE', auth });
    expect(res.status, res.text).to.equal(200);
    await expectTokenStatus(a, token.plainTextToken, 401, 0);
    await Promise.all([b, c].map((node) => expectTokenStatus(node, token.plainTextToken, 401)));
  });

  it('should refuse the old secret of a token rotated on node1 within 1 s on node2 and accept the new one', async () => {
    const [a, b, c] = cluster().nodes;
    const { auth, token } = await cachedEverywhere('noah');
    const res = await a.request(`${TOKEN_API}/user/token/${token.id}/rotate`, { method: 'POST', auth });
    expect(res.status, res.text).to.equal(200);
    const rotated = String(res.json.plainTextToken);
    expect(rotated).to.not.equal(token.plainTextToken);
    await expectTokenStatus(a, token.plainTextToken, 401, 0);
    await expectTokenStatus(a, rotated, 200, 0);
    await Promise.all([b, c].map((node) => expectTokenStatus(node, token.plainTextToken, 401)));
    for (const node of [b, c]) await expectTokenStatus(node, rotated, 200, 0);
  });

  it('should refuse every token of a user after delete-all-for on node1 within 1 s on node2 and node3', async () => {
    const [a, b, c] = cluster().nodes;
    const { user, auth, token } = await cachedEverywhere('olga');
    const second = await createToken(b, auth);
    await expectTokenStatus(c, second.plainTextToken, 200, 0);
    const res = await a.request(`${TOKEN_API}/user/token/deleteAllFor/${encodeURIComponent(user.key)}`, { method: 'DELETE', auth: ADMIN });
    expect(res.status, res.text).to.equal(200);
    expect(Number(res.text)).to.equal(2);
    for (const t of [token, second]) {
      await expectTokenStatus(a, t.plainTextToken, 401, 0);
      await Promise.all([b, c].map((node) => expectTokenStatus(node, t.plainTextToken, 401)));
    }
  });

  it('should apply restrictions PATCHed on node1 at once there and within 1 s on node2 and node3, and their removal likewise', async () => {
    // docs/data-center.md: a token changed on one node is honoured or refused on every node within 1 s;
    // revocation, rotation and delete-all were held to it, a change of a cached token's limits not.
    const [a, b, c] = cluster().nodes;
    const { auth, token } = await cachedEverywhere('quinn');
    const limit = await a.request(`${TOKEN_API}/user/token/${token.id}`, { method: 'PATCH', auth, body: { restrictions: '[GET].*/rest/api/2/serverInfo' } });
    expect(limit.status, limit.text).to.equal(200);
    await expectTokenStatus(a, token.plainTextToken, 403, 0);
    await Promise.all([b, c].map((node) => expectTokenStatus(node, token.plainTextToken, 403)));
    const lift = await a.request(`${TOKEN_API}/user/token/${token.id}`, { method: 'PATCH', auth, body: { restrictions: null } });
    expect(lift.status, lift.text).to.equal(200);
    await expectTokenStatus(a, token.plainTextToken, 200, 0);
    await Promise.all([b, c].map((node) => expectTokenStatus(node, token.plainTextToken, 200)));
  });

  it('should refuse the tokens of a user deactivated on node1 within 1 s on node2 and node3', async () => {
    const [a, b, c] = cluster().nodes;
    const { user, token } = await cachedEverywhere('piet');
    const res = await a.request(`/rest/hostsim/1.0/users/${user.name}/active`, { method: 'PUT', auth: ADMIN, body: { active: false } });
    expect(res.status, res.text).to.equal(200);
    await expectTokenStatus(a, token.plainTextToken, 401, 0);
    await Promise.all([b, c].map((node) => expectTokenStatus(node, token.plainTextToken, 401)));
  });
});
