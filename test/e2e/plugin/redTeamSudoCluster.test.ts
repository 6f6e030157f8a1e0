// Attack review 2026-12-02 (sudo and user-less tokens across nodes): a change made on one node to
// the user a sudo request runs as, or to the system admin behind a sudo or user-less token, must
// be honoured on every other node within 1 s (docs/data-center.md), whatever that node cached.
import { expect } from 'chai';
import { ADMIN, until, useCluster, type ClusterNode } from '../../support/cluster';
import { forEachServerDatabase } from '../../support/databases';
import { createToken, createUser, PROPAGATION_MS, TOKEN_API, waitForTokenApi } from '../cluster/support/clusterApi';

const RUN_AS = 'X-Atlassian-Run-As';

forEachServerDatabase('red team: sudo and user-less tokens across nodes', function (db) {
  this.timeout(60_000);
  const cluster = useCluster({ db, nodes: 2, product: 'jira' });

  const sysadmin = async (node: ClusterNode, name: string) => {
    const user = await createUser(node, name);
    const res = await node.request('/rest/api/2/group/user?groupname=jira-administrators', { method: 'POST', auth: ADMIN, body: { name } });
    expect(res.status, res.text).to.be.oneOf([200, 201]);
    return user;
  };
  /** Polls `node` until the request answers `status` (at most 1 s), else fails with the last status. */
  const becomes = async (node: ClusterNode, status: number, send: () => Promise<{ status: number }>) => {
    let last = 0;
    try {
      await until(async () => (last = (await send()).status) === status, PROPAGATION_MS);
    } catch {
      expect.fail(`${node.nodeId} answered ${last}, not ${status}, within ${PROPAGATION_MS} ms`);
    }
  };

  before(async () => {
    const [a] = cluster().nodes;
    await waitForTokenApi(a);
    const res = await a.request(`${TOKEN_API}/admin/settings`, { method: 'PUT', auth: ADMIN, body: { sudoTokensAllowed: true } });
    expect(res.status, res.text).to.equal(200);
  });

  it('should refuse a run-as target on node2 within 1 s of it being made a system admin on node1', async () => {
    const [a, b] = cluster().nodes;
    const root = await sysadmin(a, 'rootx');
    await createUser(a, 'zed');
    const sudo = await createToken(a, [root.name, root.password], { sudo: true });
    const asZed = () => b.request('/rest/api/2/myself', { bearer: sudo.plainTextToken, headers: { [RUN_AS]: 'zed' } });
    await becomes(b, 200, asZed);
    const res = await a.request('/rest/api/2/group/user?groupname=jira-administrators', { method: 'POST', auth: ADMIN, body: { name: 'zed' } });
    expect(res.status, res.text).to.be.oneOf([200, 201]);
    await becomes(b, 403, asZed);
  });

  it('should stop sudo and user-less tokens on node2 within 1 s of their system admin being deleted on node1', async () => {
    const [a, b] = cluster().nodes;
    const root = await sysadmin(a, 'rooty');
    await createUser(a, 'yan');
    const sudo = await createToken(a, [root.name, root.password], { sudo: true });
    const userless = await createToken(a, [root.name, root.password], { userless: true, restrictions: '[GET].*/rest/api/2/myself' });
    const sudoAsYan = () => b.request('/rest/api/2/myself', { bearer: sudo.plainTextToken, headers: { [RUN_AS]: 'yan' } });
    const userlessAsYan = () => b.request('/rest/api/2/myself', { auth: ['yan', userless.plainTextToken] });
    await becomes(b, 200, sudoAsYan);
    await becomes(b, 200, userlessAsYan);
    const del = await a.request('/rest/api/2/user?username=rooty', { method: 'DELETE', auth: ADMIN });
    expect(del.status, del.text).to.be.oneOf([200, 204]);
    await becomes(b, 401, sudoAsYan);
    await becomes(b, 401, userlessAsYan);
  });
});
