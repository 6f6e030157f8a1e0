// docs/data-center.md promises that an owner deactivated (or taken out of a group) on one node is
// refused on every other node within a second, and that nothing a node caches from the database
// is used forever. The host's per-node user cache learnt of a change from one change-log message
// only: when it could not be written (the database gone for a moment right after the change
// committed), nothing wrote it again and nothing aged the cached user out, so the other node
// admitted the owner's tokens for as long as it ran. The host now writes such a message again
// until it is in the log, and drops its user cache every `hostsim.userCacheMaxAgeSeconds`.
// Found by the sixth attack review.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import type { TestHost } from '../../support/hostServer';
import { API, type E2eEnv } from '../plugin/support/e2eHost';
import { eventually, startTwoNodes, stopTwoNodes } from '../plugin/support/twoNodes';
import { changeLogTrigger } from './support/changeLogTrigger';
import { pause } from './support/statusOf';

const MAX_AGE_SECONDS = 2;
const ENV = { HOSTSIM_SYSPROPS: `apitokenauth.cacheMaxAgeSeconds=${MAX_AGE_SECONDS}` };
/** Far beyond every promised bound: 1 s after the database is back, the 2 s cache age, 250 ms poll. */
const GENEROUS_MS = 4 * (MAX_AGE_SECONDS * 1000 + 1000);

forEachDatabase('A user change whose change-log message could not be written', (kind) => {
  let e2e: E2eEnv;
  let node2: TestHost;

  before(async function () {
    this.timeout(60_000);
    ({ e2e, node2 } = await startTwoNodes(kind, ENV));
  });
  after(async function () {
    this.timeout(30_000);
    await changeLogTrigger(e2e.host.dbUrl, 'unblock').catch(() => undefined);
    await stopTwoNodes({ e2e, node2 });
  });

  const myself = (node: { request: TestHost['request'] }, token: string) => node.request('/rest/api/2/myself', { bearer: token });

  /** A fresh user with a token that node2 has already used (so node2 has the owner cached). */
  const ownerCachedOnNode2 = async (name: string, groups: string[] = []) => {
    const password = `${name}-pw-1`;
    await e2e.host.runtime.users.createUser({ name, password, email: `${name}@example.com`, displayName: name, groups: ['jira-software-users', ...groups] });
    const res = await e2e.req(`${API}/user/token`, { method: 'POST', auth: [name, password], body: { tokenDescription: 'lost user message' } });
    expect(res.status, res.text).to.equal(200);
    const token = String(res.json.plainTextToken);
    e2e.issued.push(token);
    await pause(600); // node2 has read the creation's messages
    expect((await myself(node2, token)).status).to.equal(200);
    return { token, password };
  };

  it('should refuse on node2 the token of a user deactivated on node1 once the database is back, although the change-log write failed', async function () {
    this.timeout(60_000);
    const { token } = await ownerCachedOnNode2('dora');
    await changeLogTrigger(e2e.host.dbUrl, 'block');
    try {
      const res = await e2e.as('admin', '/rest/hostsim/1.0/users/dora/active', { method: 'PUT', body: { active: false } });
      // The deactivation committed; its message could not be written, which the caller is told.
      expect(res.status, res.text).to.be.oneOf([500, 503]);
    } finally {
      await changeLogTrigger(e2e.host.dbUrl, 'unblock');
    }
    // The deactivation stands: node1 refuses the token and shows the user inactive.
    expect((await myself(e2e.host, token)).status).to.equal(401);
    expect((await e2e.host.runtime.users.getStoredUser('dora'))?.active).to.equal(false);
    // node2 must refuse it too, within the promised bounds (generous slack).
    const refused = await eventually(async () => (await myself(node2, token)).status === 401, GENEROUS_MS);
    expect(refused, 'node2 still admits the deactivated owner\'s token').to.equal(true);
  });

  it('should refuse on node2 the token of a user removed on node1 from the tokenUserGroups group once the database is back', async function () {
    this.timeout(60_000);
    await e2e.host.runtime.users.createGroup('token-users-lost');
    const set = await e2e.as('admin', `${API}/admin/settings`, { method: 'PUT', body: { tokenUserGroups: ['token-users-lost', 'jira-administrators'] } });
    expect(set.status, set.text).to.equal(200);
    try {
      const { token } = await ownerCachedOnNode2('emil', ['token-users-lost']);
      await changeLogTrigger(e2e.host.dbUrl, 'block');
      try {
        await e2e.host.runtime.users.removeUserFromGroup('emil', 'token-users-lost').then(() => expect.fail('the change-log write should fail'), () => undefined);
      } finally {
        await changeLogTrigger(e2e.host.dbUrl, 'unblock');
      }
      expect((await myself(e2e.host, token)).status).to.equal(401);
      const refused = await eventually(async () => (await myself(node2, token)).status === 401, GENEROUS_MS);
      expect(refused, 'node2 still admits a token of a user no longer in tokenUserGroups').to.equal(true);
    } finally {
      await e2e.as('admin', `${API}/admin/settings`, { method: 'PUT', body: { tokenUserGroups: [] } });
    }
  });
});
