// docs/data-center.md "A node cut off from the database": how far behind the change log a node
// is counts only what it has read, and its polls never wait behind request statements. From the
// attack review of 2026-12-02 (after e709965): a poll that stopped at its 1,000-row limit still
// counted as current, so a node any distance behind a flood of messages (failed page logins
// wrote one each) went on admitting a revoked token; and an ordinary user keeping 2,000 token
// creations in flight queued the node's poll behind them in the pool, so the node reported
// itself behind — 503 for everyone and /status ERROR — although nothing was wrong with it.
import { expect } from 'chai';
import http from 'node:http';
import { forEachServerDatabase } from '../../support/databases';
import { startTestHost, type TestHost } from '../../support/hostServer';
import { API, type E2eEnv } from '../plugin/support/e2eHost';
import { queryRows } from '../plugin/support/seedTokenRows';
import { startTwoNodes, stopTwoNodes } from '../plugin/support/twoNodes';
import { pause, statusOf } from './support/statusOf';

/** node2's lag limit: short, so that the test waits little. */
const MAX_LAG_MS = 1000;


/** A failed page login (anonymous): the host records it (and announces it while it changes what nodes decide). */
async function failedWebLogin(baseUrl: string, user: string): Promise<number> {
  const res = await fetch(`${baseUrl}/login.jsp`, {
    method: 'POST', body: new URLSearchParams({ os_username: user, os_password: 'wrong-guess' }), redirect: 'manual',
  });
  await res.text();
  return res.status;
}

async function messageCount(dbUrl: string): Promise<number> {
  const [row] = await queryRows(dbUrl, 'SELECT COUNT(*) AS N FROM HOST_CLUSTER_MESSAGE');
  return Number(Object.values(row)[0]);
}

forEachServerDatabase('A node behind a busy change log', function (kind) {
  this.timeout(120_000);
  let e2e: E2eEnv;
  let node2: TestHost;

  before(async () => {
    ({ e2e, node2 } = await startTwoNodes(kind, {}, { env: { CLUSTER_MAX_LAG_MS: String(MAX_LAG_MS) }, captureLogs: true }));
  });
  after(async () => {
    await stopTwoNodes({ e2e, node2 });
  });

  it('should refuse a token revoked behind a backlog of the change log within the lag limit (401 or 503, never 200)', async () => {
    const token = await e2e.createToken('alice', { tokenDescription: 'backlog probe' });
    await pause(1000); // node2 has read the token's creation
    for (let i = 0; i < 2; i++) expect(await statusOf(node2.request('/rest/api/2/myself', { bearer: token.plainTextToken }))).to.equal(200);
    // Failed page logins (no CAPTCHA on the page) no longer write a change-log row each: only
    // those below the limit and the first at it (f52fe23).
    const before = await messageCount(e2e.host.dbUrl);
    // The page checks 10 wrong passwords a minute per client; the others are answered 429 unchecked.
    for (let i = 0; i < 20; i++) expect(await failedWebLogin(e2e.host.url, 'admin')).to.equal(i < 10 ? 200 : 429);
    expect(await messageCount(e2e.host.dbUrl) - before).to.be.at.most(3);
    // A backlog all the same (a busy cluster's own changes, or an older node that still wrote one
    // row per failure): 30,000 rows written at once, as many nodes would write them within seconds.
    const now = Date.now();
    const seq = kind === 'postgres' ? 'generate_series(1, 30000)' : 'seq_1_to_30000';
    await queryRows(e2e.host.dbUrl,
      `INSERT INTO HOST_CLUSTER_MESSAGE (CHANNEL, PAYLOAD, FROM_NODE, CREATED) SELECT 'host.login', 'admin', 'node3', ${now} FROM ${seq}`);
    // The revocation is behind them in the log.
    expect((await e2e.as('alice', `${API}/user/token/${token.id}`, { method: 'DELETE' })).status).to.equal(200);
    expect((await e2e.req('/rest/api/2/myself', { bearer: token.plainTextToken })).status).to.equal(401);
    await pause(3 * MAX_LAG_MS);
    // Documented: a revoked token is refused within 1 s while a node reads the log, and a node
    // that cannot keep up stops admitting from its cache within the lag limit.
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push(await statusOf(node2.request('/rest/api/2/myself', { bearer: token.plainTextToken })));
    const status = await statusOf(node2.request('/status'));
    expect({ statuses, status }).to.satisfy((s: { statuses: number[]; status: number }) => s.statuses.every((x) => x === 401 || x === 503),
      `node2 three lag limits after the revocation: ${JSON.stringify({ statuses, status })}`);
  });

  it('should keep admitting another user\'s cached token, and stay RUNNING, while an ordinary user floods token creation', async () => {
    // node3 runs with the default lag limit (5 s), as operators run it.
    const node3 = await startTestHost({ product: 'jira', dbUrl: e2e.host.dbUrl, nodeId: 'node3', captureLogs: true });
    try {
      const victim = await e2e.createToken('bob', { tokenDescription: 'victim' });
      const attacker = await e2e.createToken('alice', { tokenDescription: 'attacker' });
      await pause(1000);
      for (let i = 0; i < 2; i++) expect((await node3.request('/rest/api/2/myself', { bearer: victim.plainTextToken })).status).to.equal(200);
      expect((await node3.request('/rest/api/2/myself', { bearer: attacker.plainTextToken })).status).to.equal(200);
      // alice, an ordinary user, keeps 2,000 token creations in flight (past her quota each is a
      // 409, but each still takes her per-user lock: they queue for the node's 10 pooled
      // connections, and the change-log poll queues behind them).
      const base = new URL(node3.url);
      const agent = new http.Agent({ keepAlive: true, maxSockets: 2000 });
      let stop = false;
      const one = () => new Promise<void>((resolve) => {
        const body = JSON.stringify({ tokenDescription: 'flood' });
        const req = http.request({ host: '127.0.0.1', port: Number(base.port), method: 'POST', path: `${base.pathname}${API}/user/token`, agent,
          headers: { Authorization: `Bearer ${attacker.plainTextToken}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
          res.resume(); res.on('end', resolve);
        });
        req.on('error', () => resolve());
        req.end(body);
      });
      const loops = Array.from({ length: 2000 }, async () => { while (!stop) await one(); });
      const seen: Array<{ at: number; status: number; victim: number }> = [];
      const t0 = Date.now();
      try {
        while (Date.now() - t0 < 7_000) {
          const status = await statusOf(node3.request('/status'), 3000);
          const v = await statusOf(node3.request('/rest/api/2/myself', { bearer: victim.plainTextToken }), 3000);
          seen.push({ at: Date.now() - t0, status, victim: v });
          await pause(500);
        }
      } finally {
        stop = true;
        await Promise.all(loops);
        agent.destroy();
      }
      // bob's token is valid and cached on node3: the flood of another user must not turn it away
      // (a slow answer is tolerable, a 503 for everyone and /status ERROR are not).
      expect(seen.filter((s) => s.victim === 503 || s.status === 503), JSON.stringify(seen)).to.deep.equal([]);
    } finally {
      await node3.stop();
    }
  });
});
