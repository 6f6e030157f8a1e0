// docs/data-center.md: users live in the shared database; a user created on one node logs in on every node.
import { expect } from 'chai';
import { useCluster } from '../../support/cluster';
import { createUser } from './support/clusterApi';
import { forEachServerDatabase } from '../../support/databases';

forEachServerDatabase('Cluster users', function (db) {
  this.timeout(30_000);
  const cluster = useCluster({ db, nodes: 2, product: 'jira' });

  it('should let a user created on node1 log in with Basic auth on node2', async () => {
    const [a, b] = cluster().nodes;
    const carol = await createUser(a, 'carol');
    const res = await b.request('/rest/api/2/myself', { auth: [carol.name, carol.password] });
    expect(res.status).to.equal(200);
    expect(res.json.key).to.equal(carol.key);
  });

  it('should let a session cookie from node1 work on node2', async () => {
    const [a, b] = cluster().nodes;
    const dave = await createUser(a, 'dave');
    const login = await a.request('/rest/auth/1/session', { method: 'POST', body: { username: dave.name, password: dave.password } });
    expect(login.status).to.equal(200);
    const cookie = `JSESSIONID=${String(login.json.session.value)}`;
    const res = await b.request('/rest/api/2/myself', { cookie });
    expect(res.status).to.equal(200);
    expect(res.json.name).to.equal(dave.name);
  });
});
