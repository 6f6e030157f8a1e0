// SPEC §3, §9: the failed-login counter is shared by every node. Three wrong passwords split
// over three nodes put the user into CAPTCHA state everywhere: every further Basic attempt,
// right or wrong, on any node gets 403 with the CAPTCHA challenge.
import { expect } from 'chai';
import { ADMIN, until, useCluster, type ClusterNode } from '../../support/cluster';
import { createToken, createUser, PROPAGATION_MS, waitForTokenApi } from './support/clusterApi';

const CAPTCHA_REASON = /^CAPTCHA_CHALLENGE; login-url=/;

describe('Cluster failed-login counter (separate node processes on MariaDB)', function () {
  this.timeout(40_000);
  const cluster = useCluster({ nodes: 3, product: 'jira' });

  const failOnEveryNode = async (name: string): Promise<void> => {
    for (const node of cluster().nodes) {
      const res = await node.request('/rest/api/2/myself', { auth: [name, 'wrong password'] });
      expect(res.status, `${node.nodeId}: wrong password`).to.equal(401);
    }
  };

  const isCaptcha = (res: { status: number; headers: Headers }): boolean =>
    res.status === 403 && CAPTCHA_REASON.test(res.headers.get('x-authentication-denied-reason') ?? '');

  it('should refuse the right password with the CAPTCHA challenge on every node right after three wrong ones split over the nodes', async () => {
    const [a] = cluster().nodes;
    const erin = await createUser(a, 'erin');
    // Every node has seen erin succeed, so each holds her (zero) count.
    for (const node of cluster().nodes) expect((await node.request('/rest/api/2/myself', { auth: [erin.name, erin.password] })).status).to.equal(200);
    await failOnEveryNode(erin.name);
    for (const node of cluster().nodes) {
      const res = await node.request('/rest/api/2/myself', { auth: [erin.name, erin.password] });
      expect(isCaptcha(res), `${node.nodeId} answered ${res.status}`).to.equal(true);
    }
  });

  it('should show the CAPTCHA state to token requests on every node within 1 s', async () => {
    const [a] = cluster().nodes;
    await waitForTokenApi(a);
    const frank = await createUser(a, 'frank');
    const token = await createToken(a, [frank.name, frank.password]);
    const probe = (node: ClusterNode) => node.request('/rest/api/2/myself', { bearer: token.plainTextToken });
    for (const node of cluster().nodes) expect((await probe(node)).status).to.equal(200);
    await failOnEveryNode(frank.name);
    for (const node of cluster().nodes) {
      await until(async () => isCaptcha(await probe(node)), PROPAGATION_MS);
    }
    // An admin reset on one node lifts it everywhere.
    expect((await a.request(`/rest/hostsim/1.0/users/${frank.name}/resetFailedLoginCount`, { method: 'POST', auth: ADMIN })).status).to.equal(204);
    for (const node of cluster().nodes) {
      await until(async () => (await probe(node)).status === 200, PROPAGATION_MS);
    }
  });
});
