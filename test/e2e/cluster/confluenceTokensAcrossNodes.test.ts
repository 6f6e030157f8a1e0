// docs/plugin-development.md; docs/data-center.md on Confluence (user keys of 32 hex digits, table AO_2DF51C_TOKEN): a token
// created on one node works on the other, and its revocation reaches the other within 1 s.
import { expect } from 'chai';
import { useCluster } from '../../support/cluster';
import { createToken, createUser, expectTokenStatus, myself, TOKEN_API, waitForTokenApi } from './support/clusterApi';
import { forEachServerDatabase } from '../../support/databases';

forEachServerDatabase('Cluster tokens on Confluence', function (db) {
  this.timeout(40_000);
  const cluster = useCluster({ db, nodes: 2, product: 'confluence' });

  before(async () => {
    await waitForTokenApi(cluster().nodes[0]);
  });

  it('should accept a token created on node1 on node2 and refuse it there within 1 s after node1 revokes it', async () => {
    const [a, b] = cluster().nodes;
    const sara = await createUser(a, 'sara');
    expect(sara.key).to.match(/^[0-9a-f]{32}$/);
    const token = await createToken(a, [sara.name, sara.password]);
    const res = await myself(b, token.plainTextToken);
    expect(res.status).to.equal(200);
    expect(res.json.userKey).to.equal(sara.key);
    const deleted = await a.request(`${TOKEN_API}/user/token/${token.id}`, { method: 'DELETE', auth: [sara.name, sara.password] });
    expect(deleted.status, deleted.text).to.equal(200);
    await expectTokenStatus(b, token.plainTextToken, 401);
  });
});
