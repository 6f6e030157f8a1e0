// docs/data-center.md "A node cut off from the database": a node that cannot read the cluster's
// change log cannot know of a revocation made on another node, so once it has fallen behind its
// lag limit (CLUSTER_MAX_LAG_MS) it decides no token request from its caches (503) and its
// /status says ERROR; when it reads the log again it drops every cache, because messages of the
// partition may have been pruned before it could read them. Found in the attack review of
// 2026-12-02: node2 went on admitting a revoked token for as long as the partition lasted, and
// for good once the revocation's message had been pruned.
//
// node1 is the suite's host; node2 runs in the same process and reaches the database through a
// TCP relay that the test can hold: bytes stay buffered, statements neither answer nor fail, as
// when a network drops packets.
import { expect } from 'chai';
import net from 'node:net';
import { forEachServerDatabase } from '../../support/databases';
import { startTestHost, type TestHost } from '../../support/hostServer';
import { API, startE2e, stopAndCheckLeaks, type E2eEnv } from '../plugin/support/e2eHost';
import { queryRows } from '../plugin/support/seedTokenRows';
import { pause, statusOf } from './support/statusOf';

/** node2's lag limit: short, so that the test waits little. */
const MAX_LAG_MS = 1000;

/** A TCP relay to `host:port`; `hold()` stops forwarding both ways (bytes stay buffered), `release()` resumes. */
async function startRelay(host: string, port: number) {
  const pairs: Array<[net.Socket, net.Socket]> = [];
  let held = false;
  const connect = (a: net.Socket, b: net.Socket) => { a.pipe(b); b.pipe(a); };
  const server = net.createServer((client) => {
    const upstream = net.connect(port, host);
    pairs.push([client, upstream]);
    const close = () => { client.destroy(); upstream.destroy(); };
    for (const s of [client, upstream]) { s.on('error', close); s.on('close', close); }
    if (held) { client.pause(); upstream.pause(); } else connect(client, upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    hold() {
      held = true;
      for (const [a, b] of pairs) { a.unpipe(b); b.unpipe(a); a.pause(); b.pause(); }
    },
    release() {
      held = false;
      for (const [a, b] of pairs) if (!a.destroyed && !b.destroyed) connect(a, b);
    },
    async close() {
      for (const [a, b] of pairs) { a.destroy(); b.destroy(); }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

forEachServerDatabase('A node partitioned from the database', function (kind) {
  this.timeout(90_000);
  let e2e: E2eEnv;
  let node2: TestHost;
  let relay: Awaited<ReturnType<typeof startRelay>>;

  before(async () => {
    e2e = await startE2e('jira', kind);
    const url = new URL(e2e.host.dbUrl);
    relay = await startRelay(url.hostname, Number(url.port));
    url.port = String(relay.port);
    node2 = await startTestHost({ product: 'jira', dbUrl: url.toString(), nodeId: 'node2', env: { CLUSTER_MAX_LAG_MS: String(MAX_LAG_MS) }, captureLogs: true });
  });
  after(async () => {
    relay?.release();
    await node2?.stop();
    await relay?.close();
    await stopAndCheckLeaks(e2e);
  });

  /** A token of `user` that node2 has used, so its credential, owner and settings are cached there. */
  async function cachedOnNode2(user: 'alice' | 'bob' | 'carol', description: string) {
    const token = await e2e.createToken(user, { tokenDescription: description });
    for (let i = 0; i < 2; i++) expect(await statusOf(node2.request('/rest/api/2/myself', { bearer: token.plainTextToken }))).to.equal(200);
    return token;
  }

  it('should answer 503 for a token revoked elsewhere, and ERROR on /status, once it has fallen behind the change log', async () => {
    const token = await cachedOnNode2('alice', 'partition probe');
    relay.hold();
    try {
      expect((await e2e.as('alice', `${API}/user/token/${token.id}`, { method: 'DELETE' })).status).to.equal(200);
      expect((await e2e.req('/rest/api/2/myself', { bearer: token.plainTextToken })).status).to.equal(401);
      await pause(MAX_LAG_MS + 500);
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push(await statusOf(node2.request('/rest/api/2/myself', { bearer: token.plainTextToken })));
      expect(statuses).to.deep.equal([503, 503, 503]);
      expect(await statusOf(node2.request('/status'))).to.equal(503);
    } finally {
      relay.release();
    }
    // Reading the log again, node2 learns of the revocation and is healthy again.
    await pause(MAX_LAG_MS);
    expect(await statusOf(node2.request('/status'))).to.equal(200);
    expect(await statusOf(node2.request('/rest/api/2/myself', { bearer: token.plainTextToken }))).to.equal(401);
  });

  it('should drop its caches when it reads the change log again, so that a revocation pruned meanwhile is not lost', async () => {
    const token = await cachedOnNode2('bob', 'prune probe');
    relay.hold();
    try {
      expect((await e2e.as('bob', `${API}/user/token/${token.id}`, { method: 'DELETE' })).status).to.equal(200);
      // The partition outlasts the log's retention (10 minutes): node1's prune statement, as if
      // that time had passed, removes the revocation's message before node2 could read it.
      await queryRows(e2e.host.dbUrl, 'DELETE FROM HOST_CLUSTER_MESSAGE WHERE CREATED < ?', [Date.now() + 1]);
      await pause(MAX_LAG_MS + 500);
    } finally {
      relay.release();
    }
    await pause(MAX_LAG_MS);
    expect(await statusOf(node2.request('/status'))).to.equal(200);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push(await statusOf(node2.request('/rest/api/2/myself', { bearer: token.plainTextToken })));
    expect(statuses).to.deep.equal([401, 401, 401]);
  });

  it('should read a user deactivated meanwhile afresh after the resync, even though the host\'s message was pruned', async () => {
    const token = await cachedOnNode2('carol', 'owner probe');
    relay.hold();
    try {
      await e2e.host.runtime.users.setActive('carol', false);
      expect((await e2e.req('/rest/api/2/myself', { bearer: token.plainTextToken })).status).to.equal(401);
      await queryRows(e2e.host.dbUrl, 'DELETE FROM HOST_CLUSTER_MESSAGE WHERE CREATED < ?', [Date.now() + 1]);
      await pause(MAX_LAG_MS + 500);
    } finally {
      relay.release();
    }
    await pause(MAX_LAG_MS);
    expect(await statusOf(node2.request('/rest/api/2/myself', { bearer: token.plainTextToken }))).to.equal(401);
  });
});
