// docs/api.md "What a token may do"; docs/data-center.md: last access is collected in memory per node and flushed in batches (and on a
// graceful stop), merged with MAX, so the stored value is the latest use on any node and a
// node flushing an older time never moves it backwards.
import { expect } from 'chai';
import { useCluster } from '../../support/cluster';
import { createToken, createUser, expectTokenStatus, listTokens, waitForTokenApi } from './support/clusterApi';
import { forEachServerDatabase } from '../../support/databases';

forEachServerDatabase('Cluster last access', function (db) {
  this.timeout(60_000);
  const cluster = useCluster({ db, nodes: 3, product: 'jira' });

  before(async () => {
    await waitForTokenApi(cluster().nodes[0]);
  });

  it('should store the later of two uses on two nodes, even when the node with the earlier use flushes last', async () => {
    const [a, b, c] = cluster().nodes;
    const quinn = await createUser(c, 'quinn');
    const auth = [quinn.name, quinn.password] as const;
    const token = await createToken(c, auth);

    const earlyFrom = Date.now();
    await expectTokenStatus(a, token.plainTextToken, 200, 0);
    const earlyUntil = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const lateFrom = Date.now();
    await expectTokenStatus(b, token.plainTextToken, 200, 0);
    const lateUntil = Date.now();
    expect(lateFrom).to.be.greaterThan(earlyUntil);

    // SIGTERM flushes: node2 (later use) first, then node1 with its older time.
    expect(await b.stop()).to.equal(0);
    const afterLate = (await listTokens(c, auth)).find((t) => t.id === token.id);
    expect(afterLate?.lastAccessed).to.be.within(lateFrom, lateUntil);
    expect(await a.stop()).to.equal(0);

    const stored = (await listTokens(c, auth)).find((t) => t.id === token.id);
    expect(stored?.lastAccessed, `node1 used it in [${earlyFrom}, ${earlyUntil}]`).to.be.within(lateFrom, lateUntil);
  });
});
