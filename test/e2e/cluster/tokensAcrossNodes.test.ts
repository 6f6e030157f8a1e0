// docs/api.md; docs/data-center.md: a token created on one node authenticates on every node (Basic and Bearer).
import { expect } from 'chai';
import { useCluster } from '../../support/cluster';
import { createToken, createUser, listTokens, myself, waitForTokenApi } from './support/clusterApi';
import { forEachServerDatabase } from '../../support/databases';

forEachServerDatabase('Cluster tokens', function (db) {
  this.timeout(40_000);
  const cluster = useCluster({ db, nodes: 3, product: 'jira' });

  before(async () => {
    await waitForTokenApi(cluster().nodes[0]);
  });

  it('should accept a token created on node1 on node2 and node3, with Bearer and with Basic', async () => {
    const [a, b, c] = cluster().nodes;
    const kate = await createUser(a, 'kate');
    const token = await createToken(a, [kate.name, kate.password]);
    for (const node of [b, c]) {
      const bearer = await myself(node, token.plainTextToken);
      expect(bearer.status, `${node.nodeId} Bearer`).to.equal(200);
      expect(bearer.json.key).to.equal(kate.key);
      expect((await myself(node, token.plainTextToken, kate.name)).status, `${node.nodeId} Basic`).to.equal(200);
    }
  });

  it('should list a token created on node2 on node3', async () => {
    const [a, b, c] = cluster().nodes;
    const liam = await createUser(a, 'liam');
    const token = await createToken(b, [liam.name, liam.password], { tokenDescription: 'made on node2' });
    const listed = await listTokens(c, [liam.name, liam.password]);
    expect(listed.map((t) => t.id)).to.deep.equal([token.id]);
    expect(listed[0].description).to.equal('made on node2');
  });
});
