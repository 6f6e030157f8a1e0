// A node behind the cluster change log may have missed another node's change to a user: its
// user cache must not decide anything then (the plugin already refuses token and password
// requests with 503 while behind; a session request reads the user and their groups through
// the host). It used to answer from the cache until the node caught up or the cache aged out
// (10 minutes): an administrator removed from the administrators' group on one node kept the
// rank on a node behind the log, in a browser session.
import { expect } from 'chai';
import { SERVER_DATABASE_KINDS } from '../../support/databases';
import { HostCluster, waitFor } from './hostFixture';

for (const kind of SERVER_DATABASE_KINDS) describe(`DefaultUserAdministration on a node behind the change log (${kind})`, () => {
  let cluster: HostCluster;
  beforeEach(async () => { cluster = await HostCluster.create(kind); });
  afterEach(async () => { await cluster.cleanup(); });

  it('should read a user and their groups from the database, not its cache, while it is behind', async function () {
    this.timeout(30_000);
    const a = await cluster.start({ nodeId: 'a' });
    const b = await cluster.start({ nodeId: 'b', clusterMaxLagMs: 1000 });
    const eve = await a.users.createUser({ name: 'eve', password: 'eve-pw-1', email: 'eve@example.com', displayName: 'Eve', groups: ['jira-administrators'] });
    expect(await b.users.isAdmin(eve.key)).to.equal(true);
    expect((await b.users.getUserByKey(eve.key))?.active).to.equal(true);
    expect(b.users.peekUserByKey(eve.key)?.active).to.equal(true);
    // b's poll stalls (as under a database that answers it no more): a second later it is behind.
    await (b.clusterMessaging as unknown as { stop(): Promise<void> }).stop();
    await waitFor(() => !b.clusterMessaging.isCurrent(), 5000, 'b behind the change log');

    await a.users.removeUserFromGroup('eve', 'jira-administrators');
    await a.users.setActive('eve', false);
    expect(await b.users.isAdmin(eve.key)).to.equal(false);
    expect(b.users.peekUserByKey(eve.key)).to.equal(undefined);
    expect((await b.users.getUserByKey(eve.key))?.active).to.equal(false);
    expect((await b.users.getUserByName('eve'))?.active).to.equal(false);
  });
});
