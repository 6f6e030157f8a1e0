// Attack review (2026-12-05, "the same effect through another node"): secure mode is held
// cluster-wide — a node started without the property follows a node that has it. But a node
// learned that only from the other nodes' answers to the question it sent when its plugin
// started, one poll of theirs and one of its own later, and served token changes meanwhile: a
// node (re)started without the property regenerated and edited, in its first few hundred
// milliseconds, the very tokens the secure node protects (probe: PATCH 200 on a node just started,
// 403 from the next request on). A secure-mode decision now waits until the answers can have
// arrived.
import { expect } from 'chai';
import { SERVER_DATABASE_KINDS } from '../../support/databases';
import { expectError } from '../../support/errorCodes';
import { startTestHost, type TestHost } from '../../support/hostServer';
import { API, startE2e, type E2eEnv } from '../plugin/support/e2eHost';
import { stopTwoNodes } from '../plugin/support/twoNodes';

const UPM = '/rest/plugins/1.0/de.resolution.apitokenauth-key';

// MariaDB and PostgreSQL: SQLite is one node (docs/data-center.md), where no node waits.
for (const kind of SERVER_DATABASE_KINDS) describe(`Secure mode on a node that has just started (attack review) (${kind})`, () => {
  let e2e: E2eEnv;
  let node2: TestHost | undefined;

  before(async () => {
    // node1 with the property; its slowest poll (999 ms) makes its answer to a newcomer late.
    e2e = await startE2e('jira', kind, { HOSTSIM_SYSPROPS: 'apitokenauth.secure.mode=true', CLUSTER_POLL_MS: '999' });
  });
  after(() => stopTwoNodes({ e2e, node2 }));

  it('should refuse changes to protected tokens on a node started without the property from its first request on', async () => {
    const created = await e2e.createToken('alice', { tokenDescription: 'protected' });
    const alice: [string, string] = [e2e.users.alice.name, e2e.users.alice.password];
    node2 = await startTestHost({ product: 'jira', dbUrl: e2e.host.dbUrl, nodeId: 'node2' });
    const [patch, rotate, snippets] = await Promise.all([
      node2.request(`${API}/user/token/${created.id}`, { method: 'PATCH', auth: alice, body: { tokenDescription: 'renamed', tokenScope: 1 } }),
      node2.request(`${API}/user/token/${created.id}/rotate`, { method: 'POST', auth: alice }),
      node2.request(`${API}/user/token/${created.id}/snippets`, { auth: alice }),
    ]);
    expectError(patch, 'SECURE_MODE_LOCKED', 'PATCH on node2 at once');
    expectError(rotate, 'SECURE_MODE_LOCKED', 'rotate on node2 at once');
    expect(rotate.text).not.to.include('apitok_');
    expectError(snippets, 'SECURE_MODE_NO_SNIPPETS', 'snippets on node2 at once');
    const list = (await e2e.as('alice', `${API}/user/token`)).json as Array<Record<string, unknown>>;
    expect(list.find((t) => t.id === created.id)).to.include({ description: 'protected' });
  });

  it('should refuse them there from its first request on after the plugin is disabled and enabled again on that node', async () => {
    const created = await e2e.createToken('alice', { tokenDescription: 'protected too' });
    const alice: [string, string] = [e2e.users.alice.name, e2e.users.alice.password];
    const cookie = await node2!.login('admin', 'admin');
    await node2!.enterWebSudo(cookie, 'admin');
    for (const enabled of [false, true]) {
      const res = await node2!.request(UPM, { method: 'PUT', cookie, body: { enabled } });
      expect(res.status, res.text).to.equal(200);
    }
    const patch = await node2!.request(`${API}/user/token/${created.id}`, { method: 'PATCH', auth: alice, body: { tokenDescription: 'renamed' } });
    expectError(patch, 'SECURE_MODE_LOCKED', 'PATCH on node2 right after the enable');
    const rotate = await node2!.request(`${API}/user/token/${created.id}/rotate`, { method: 'POST', auth: alice });
    expectError(rotate, 'SECURE_MODE_LOCKED', 'rotate on node2 right after the enable');
  });
});
