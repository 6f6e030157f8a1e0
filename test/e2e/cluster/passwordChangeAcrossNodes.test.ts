// A new password ends its user's sessions (a cookie taken while the old password was known must
// not outlive it). Whoever knows the old password and keeps signing in must not get a session
// that outlives it either: another node checks the password against its user cache until it has
// read the change's message (a poll a quarter of a second, by default, or more, away), and a login
// under way on any node may have read the old password just before the change.
import { expect } from 'chai';
import { forEachServerDatabase } from '../../support/databases';
import { startTestHost, type TestHost } from '../../support/hostServer';
import { pause } from './support/statusOf';

forEachServerDatabase('A password changed on one node while the old one signs in on another', (kind) => {
  let a: TestHost;
  let b: TestHost;
  before(async function () {
    this.timeout(60_000);
    a = await startTestHost({ dbKind: kind, descriptors: [] });
    // b reads the change log seldom: its cache holds the old password for close to a second.
    b = await startTestHost({ dbUrl: a.dbUrl, nodeId: 'node2', descriptors: [], env: { CLUSTER_POLL_MS: '999' } });
    await a.runtime.users.createUser({ name: 'leaked', password: 'old-pw', email: 'leaked@example.com', displayName: 'Leaked', groups: ['jira-software-users'] });
  });
  after(async function () {
    this.timeout(30_000);
    await b?.stop();
    await a?.stop();
  });

  const restLogin = (node: TestHost, password: string) => node.request('/rest/auth/1/session', { method: 'POST', body: { username: 'leaked', password } });
  const whoIs = async (node: TestHost, cookie: string): Promise<string | number> => {
    const res = await node.request('/rest/api/2/myself', { cookie });
    return res.status === 200 ? res.json.name as string : res.status;
  };
  const cookieOf = (res: { headers: Headers }): string => (res.headers.get('set-cookie') ?? '').split(';')[0];

  it('should leave no session signed in with the old password after the change, on the node that has not read it yet', async function () {
    this.timeout(30_000);
    // b has checked the old password (and so holds it in its cache).
    expect((await restLogin(b, 'old-pw')).status).to.equal(200);
    await a.runtime.users.setPassword('leaked', 'new-pw');
    const after = await restLogin(b, 'old-pw');
    if (after.status === 200) {
      // Answered before b read the change: the session must not outlive it.
      await pause(1500);
      expect(await whoIs(b, cookieOf(after))).to.equal(401);
      expect(await whoIs(a, cookieOf(after))).to.equal(401);
    } else {
      expect(after.status).to.equal(401);
    }
    await pause(1500);
    expect((await restLogin(b, 'old-pw')).status).to.equal(401);
    expect((await restLogin(b, 'new-pw')).status).to.equal(200);
  });

  it('should refuse the old password over Basic right after the change, on the node that has not read it yet', async function () {
    this.timeout(30_000);
    await a.runtime.users.createUser({ name: 'basic', password: 'old-basic-pw', email: 'basic@example.com', displayName: 'Basic', groups: ['jira-software-users'] });
    await pause(1500);
    // b has checked the old password (and so holds it in its cache).
    expect((await b.request('/rest/api/2/myself', { auth: ['basic', 'old-basic-pw'] })).status).to.equal(200);
    await a.runtime.users.setPassword('basic', 'new-basic-pw');
    // Whatever the request may do with it (mint a token that outlives the change, for one).
    expect((await b.request('/rest/api/2/myself', { auth: ['basic', 'old-basic-pw'] })).status).to.equal(401);
    expect((await b.request('/rest/api/2/myself', { auth: ['basic', 'new-basic-pw'] })).status).to.equal(200);
  });
});
