// Attack review: jobs across two nodes (docs/jobs-and-mail.md "Pruning", docs/data-center.md "What a
// node loses when it dies"). The unused-token rule runs on one node but decides on the last-access
// times of every node: a token in use on any node must never be deleted as unused. Both nodes run
// in this process (startTwoNodes), so a call of either can be held while the other acts.
import { expect } from 'chai';
import { ClusterLastAccessFlush } from '../../../plugin/service/ClusterLastAccessFlush';
import { forEachDatabase } from '../../support/databases';
import type { TestHost, TestResponse } from '../../support/hostServer';
import { API, type E2eEnv } from '../plugin/support/e2eHost';
import { hold } from '../plugin/support/holdCalls';
import { eventually, startTwoNodes, stopTwoNodes } from '../plugin/support/twoNodes';

const PRUNE_JOB = 'de.resolution.apitokenauth:token-prune-job';
const CLOCK = '/rest/hostsim/1.0/clock';
const SETTINGS = `${API}/admin/settings`;
const MYSELF = '/rest/api/2/myself';
const DAY = 24 * 60 * 60 * 1000;

forEachDatabase('Jobs across two nodes (attack review)', (kind) => {
  let e2e: E2eEnv;
  let node2: TestHost;
  let offset = 0;

  // Both nodes read the change log every 250 ms: 2 s is enough for node2 to answer the unused rule.
  before(async () => { ({ e2e, node2 } = await startTwoNodes(kind, { HOSTSIM_SYSPROPS: 'apitokenauth.lastAccessFlush.answerWindowMs=2000' })); });
  after(async () => {
    await e2e?.as('admin', CLOCK, { method: 'PUT', body: { offsetMillis: 0 } });
    await e2e?.as('admin', SETTINGS, { method: 'PUT', body: { revokeUnusedAfterDays: 0 } });
    await stopTwoNodes({ e2e, node2 });
  });

  const ids = async (user: 'alice' | 'bob') => ((await e2e.as(user, `${API}/user/token`)).json as Array<{ id: number }>).map((t) => t.id);
  const on = async (node: TestHost, token: string) => (await node.request(MYSELF, { bearer: token })).status;
  /** Moves the clock on node1 and waits until node2 has it too. */
  const moveClock = async (by: number) => {
    offset += by;
    const res = await e2e.as('admin', CLOCK, { method: 'PUT', body: { offsetMillis: offset } });
    expect(res.status, res.text).to.equal(200);
    const at = res.json.now as number;
    expect(await eventually(async () => ((await node2.request(CLOCK, { auth: ['admin', 'admin'] })).json.now as number) >= at, 5000)).to.equal(true);
  };
  const startPrune = (): Promise<TestResponse> => e2e.as('admin', `/rest/hostsim/1.0/jobs/${encodeURIComponent(PRUNE_JOB)}/run`, { method: 'POST' });

  // FINDING: node2 answers node1's request to flush at once (within a poll interval), and node1 then
  // waits out its 7 s answer window before it reads which tokens are unused. A token whose script
  // resumes on node2 in those seconds has its use in node2's memory only, and node1 deletes it as
  // unused while it is being used (ClusterLastAccessFlush.flushEverywhere: each node flushes when
  // it hears the request, not when the asking node reads; TokenPruner.run reads after the window).
  it('should keep a token used on the other node after that node answered the prune job\'s flush request', async function () {
    this.timeout(60_000);
    expect((await e2e.as('admin', SETTINGS, { method: 'PUT', body: { revokeUnusedAfterDays: 1 } })).status).to.equal(200);
    try {
      const token = await e2e.createToken('alice', { tokenDescription: 'resumes on node2 during the prune run' });
      await moveClock(2 * DAY);
      const node2Flushed = hold(ClusterLastAccessFlush.prototype, 'send', (args) => (args[0] as { kind?: string })?.kind === 'flushed', 1, 'after');
      let run: Promise<TestResponse> | undefined;
      try {
        run = startPrune();
        await node2Flushed.reached();
        expect(await on(node2, token.plainTextToken), 'in use on node2 while the job runs').to.equal(200);
      } finally {
        node2Flushed.release();
        node2Flushed.restore();
      }
      expect((await run).status).to.equal(200);
      expect(await ids('alice'), 'used on node2 a few seconds before the rule read').to.include(token.id);
      expect(await on(node2, token.plainTextToken)).to.equal(200);
    } finally {
      expect((await e2e.as('admin', SETTINGS, { method: 'PUT', body: { revokeUnusedAfterDays: 0 } })).status).to.equal(200);
    }
  });

  it('should keep a token used on a node in the second before it was stopped (SIGTERM flushes its last access)', async function () {
    this.timeout(60_000);
    const token = await e2e.createToken('bob', { tokenDescription: 'used just before node2 stopped' });
    const idle = await e2e.createToken('bob', { tokenDescription: 'never used' });
    await moveClock(2 * DAY);
    expect(await on(node2, token.plainTextToken)).to.equal(200);
    await node2.stop();
    expect((await e2e.as('admin', SETTINGS, { method: 'PUT', body: { revokeUnusedAfterDays: 1 } })).status).to.equal(200);
    try {
      const run = await startPrune();
      expect(run.status, run.text).to.equal(200);
      const left = await ids('bob');
      expect(left, 'its use was flushed when node2 stopped').to.include(token.id);
      expect(left).to.not.include(idle.id);
      expect(await on(e2e.host, token.plainTextToken)).to.equal(200);
    } finally {
      expect((await e2e.as('admin', SETTINGS, { method: 'PUT', body: { revokeUnusedAfterDays: 0 } })).status).to.equal(200);
    }
  });
});
