// docs/plugin-development.md; docs/data-center.md: the failed-login counter is shared by every node. Three wrong passwords split
// over three nodes put the user into CAPTCHA state everywhere: every further Basic attempt,
// right or wrong, on any node gets 403 with the CAPTCHA challenge. API tokens never count and
// are admitted whatever the state (docs/api.md, "Tokens never lock anyone out").
import { expect } from 'chai';
import { ADMIN, until, useCluster, type ClusterNode } from '../../support/cluster';
import { createToken, createUser, PROPAGATION_MS, waitForTokenApi } from './support/clusterApi';
import { forEachServerDatabase } from '../../support/databases';

const CAPTCHA_REASON = /^CAPTCHA_CHALLENGE; login-url=/;

forEachServerDatabase('Cluster failed-login counter', function (db) {
  this.timeout(40_000);
  const cluster = useCluster({ db, nodes: 3, product: 'jira' });

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

  it('should keep admitting the user\'s valid token on every node while the CAPTCHA state holds, and lift it everywhere on reset', async () => {
    const [a] = cluster().nodes;
    await waitForTokenApi(a);
    const frank = await createUser(a, 'frank');
    const token = await createToken(a, [frank.name, frank.password]);
    const probe = (node: ClusterNode) => node.request('/rest/api/2/myself', { bearer: token.plainTextToken });
    const password = (node: ClusterNode) => node.request('/rest/api/2/myself', { auth: [frank.name, frank.password] });
    await failOnEveryNode(frank.name);
    for (const node of cluster().nodes) {
      // The counter is the host's, for passwords: it reaches every node, tokens never see it.
      await until(async () => isCaptcha(await password(node)), PROPAGATION_MS);
      expect((await probe(node)).status, `${node.nodeId}: token`).to.equal(200);
    }
    // An admin reset on one node lifts it everywhere.
    expect((await a.request(`/rest/hostsim/1.0/users/${frank.name}/resetFailedLoginCount`, { method: 'POST', auth: ADMIN })).status).to.equal(204);
    for (const node of cluster().nodes) {
      await until(async () => (await password(node)).status === 200, PROPAGATION_MS);
    }
  });
});
