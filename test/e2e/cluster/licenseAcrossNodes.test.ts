// docs/plugin-development.md; docs/data-center.md: the plugin's licence state set through the dev toolbox on one node is what
// every node's UPM reports and what the token filter honours, within 1 s.
import { expect } from 'chai';
import { ADMIN, until, useCluster } from '../../support/cluster';
import { createToken, createUser, expectTokenStatus, PLUGIN_KEY, PROPAGATION_MS, waitForTokenApi } from './support/clusterApi';
import { forEachServerDatabase } from '../../support/databases';

forEachServerDatabase('Cluster licence state', function (db) {
  this.timeout(40_000);
  const cluster = useCluster({ db, nodes: 2, product: 'jira' });

  const setLicense = async (state: string): Promise<void> => {
    const res = await cluster().nodes[0].request(`/rest/hostsim/1.0/license/${PLUGIN_KEY}`, { method: 'PUT', auth: ADMIN, body: { state } });
    expect(res.status, res.text).to.equal(200);
  };
  const upmState = async (): Promise<string> =>
    String((await cluster().nodes[1].request(`/rest/plugins/1.0/${PLUGIN_KEY}-key`, { auth: ADMIN })).json?.licenseState);

  it('should report a licence state set on node1 in UPM on node2 within 1 s', async () => {
    await setLicense('expired');
    await until(async () => (await upmState()) === 'expired', PROPAGATION_MS);
    await setLicense('valid');
    await until(async () => (await upmState()) === 'valid', PROPAGATION_MS);
  });

  it('should refuse tokens on node2 within 1 s once the licence expires on node1, and accept them again when it is valid', async () => {
    const [a, b] = cluster().nodes;
    await waitForTokenApi(a);
    const hank = await createUser(a, 'hank');
    const token = await createToken(a, [hank.name, hank.password]);
    await expectTokenStatus(b, token.plainTextToken, 200, 5000);
    await setLicense('expired');
    await expectTokenStatus(b, token.plainTextToken, 401);
    await setLicense('valid');
    // Probe again only once node2 knows (a refused attempt may count on hank's failed-login counter).
    await until(async () => (await upmState()) === 'valid', PROPAGATION_MS);
    await expectTokenStatus(b, token.plainTextToken, 200);
  });
});
