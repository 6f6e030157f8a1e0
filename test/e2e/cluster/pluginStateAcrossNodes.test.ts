// docs/plugin-development.md; docs/data-center.md: disabling the plugin in UPM on one node removes its REST resources and its
// filter on every node within 1 s; enabling brings them back without a restart.
import { expect } from 'chai';
import { ADMIN, until, useCluster } from '../../support/cluster';
import { createToken, createUser, expectTokenStatus, PLUGIN_KEY, PROPAGATION_MS, TOKEN_API, waitForTokenApi } from './support/clusterApi';
import { forEachServerDatabase } from '../../support/databases';

forEachServerDatabase('Cluster plugin state', function (db) {
  this.timeout(40_000);
  const cluster = useCluster({ db, nodes: 3, product: 'jira' });

  before(async () => {
    await waitForTokenApi(cluster().nodes[0]);
  });

  const setEnabled = async (enabled: boolean): Promise<void> => {
    const res = await cluster().nodes[0].request(`/rest/plugins/1.0/${PLUGIN_KEY}-key`, { method: 'PUT', auth: ADMIN, body: { enabled } });
    expect(res.status, res.text).to.equal(200);
    expect(res.json.enabled).to.equal(enabled);
  };

  it('should disable the plugin on every node within 1 s and enable it again on every node', async () => {
    const [a, b, c] = cluster().nodes;
    const jack = await createUser(a, 'jack');
    const token = await createToken(a, [jack.name, jack.password]);
    await expectTokenStatus(c, token.plainTextToken, 200, 5000);

    await setEnabled(false);
    for (const node of [b, c]) {
      await until(async () => (await node.request(`${TOKEN_API}/user/token`, { auth: ADMIN })).status === 404, PROPAGATION_MS);
      // Without the plugin's filter the token is refused (401), and never counted as a wrong
      // password: the descriptor claims the prefix for the host's password check.
      await expectTokenStatus(node, token.plainTextToken, 401);
      expect((await node.request(`/rest/plugins/1.0/${PLUGIN_KEY}-key`, { auth: ADMIN })).json.enabled).to.equal(false);
    }

    await setEnabled(true);
    for (const node of [b, c]) {
      await until(async () => (await node.request(`${TOKEN_API}/user/token`, { auth: ADMIN })).status === 200, PROPAGATION_MS);
    }
    for (const node of [b, c]) await expectTokenStatus(node, token.plainTextToken, 200);
  });
});
