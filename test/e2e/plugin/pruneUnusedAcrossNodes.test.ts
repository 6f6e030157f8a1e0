// docs/jobs-and-mail.md "Pruning": the unused rule decides on the last-access times in the
// database, and each node keeps its own uses in memory until its flush (every minute). The node
// running the daily prune used to flush only its own: a token idle for longer than
// revokeUnusedAfterDays and then used on another node in the last minute was deleted while its
// script was running. Every node now flushes before the rule reads.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import type { TestHost } from '../../support/hostServer';
import { API, type E2eEnv } from './support/e2eHost';
import { eventually, startTwoNodes, stopTwoNodes } from './support/twoNodes';

const PRUNE_JOB = 'de.resolution.apitokenauth:token-prune-job';
const CLOCK = '/rest/hostsim/1.0/clock';
const DAY = 24 * 60 * 60 * 1000;

forEachDatabase('Pruning unused tokens on a cluster of two', (kind) => {
  let e2e: E2eEnv;
  let node2: TestHost;

  // Both nodes read the change log every 250 ms: node2 answers the unused rule's flush request
  // well within 2 s (the default answer window, 7 s, covers a node up to 5 s behind the log).
  before(async () => { ({ e2e, node2 } = await startTwoNodes(kind, { HOSTSIM_SYSPROPS: 'apitokenauth.lastAccessFlush.answerWindowMs=2000' })); });
  after(async () => {
    await e2e?.as('admin', CLOCK, { method: 'PUT', body: { offsetMillis: 0 } });
    await e2e?.as('admin', `${API}/admin/settings`, { method: 'PUT', body: { revokeUnusedAfterDays: 0 } });
    await stopTwoNodes({ e2e, node2 });
  });

  const ids = async () => ((await e2e.as('alice', `${API}/user/token`)).json as Array<{ id: number }>).map((t) => t.id);

  it('should keep a token used on the other node since its last flush and prune the one nobody used', async () => {
    expect((await e2e.as('admin', `${API}/admin/settings`, { method: 'PUT', body: { revokeUnusedAfterDays: 1 } })).status).to.equal(200);
    const usedElsewhere = await e2e.createToken('alice', { tokenDescription: 'quarterly report' });
    const idle = await e2e.createToken('alice', { tokenDescription: 'forgotten' });

    const later = (await e2e.as('admin', CLOCK)).json.now as number + 2 * DAY;
    expect((await e2e.as('admin', CLOCK, { method: 'PUT', body: { offsetMillis: 2 * DAY } })).status).to.equal(200);
    expect(await eventually(async () => ((await node2.request(CLOCK, { auth: ['admin', 'admin'] })).json.now as number) >= later, 5000)).to.equal(true);
    expect((await node2.request('/rest/api/2/myself', { bearer: usedElsewhere.plainTextToken })).status).to.equal(200);

    const run = await e2e.as('admin', `/rest/hostsim/1.0/jobs/${encodeURIComponent(PRUNE_JOB)}/run`, { method: 'POST' });
    expect(run.status, run.text).to.equal(200);

    const left = await ids();
    expect(left, 'used two seconds ago on node2').to.include(usedElsewhere.id);
    expect(left, 'unused for two days on every node').to.not.include(idle.id);
    expect((await e2e.req('/rest/api/2/myself', { bearer: usedElsewhere.plainTextToken })).status).to.equal(200);
  });
});
