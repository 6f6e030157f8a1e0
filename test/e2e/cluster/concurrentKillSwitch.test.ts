// docs/data-center.md: the plugin state (UPM enable/disable, the incident kill switch) reaches
// every node within a second. The change-log message carried the new value, and each node applied
// its own change at once and the other's when it read the log: two changes at the same time on two
// nodes (one administrator pulls the kill switch on node2 while another enables the plugin on
// node1) ended with each node holding the other node's value, for good. An announcement now makes
// every node read the table, and the newest read wins (host-sim/impl/cluster/NewestReload.ts).
// Found by the sixth attack review.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import type { TestHost } from '../../support/hostServer';
import { queryRows } from '../plugin/support/seedTokenRows';
import type { E2eEnv } from '../plugin/support/e2eHost';
import { startTwoNodes, stopTwoNodes } from '../plugin/support/twoNodes';
import { pause } from './support/statusOf';

const PLUGIN_KEY = 'de.resolution.apitokenauth';
const UPM = `/rest/plugins/1.0/${PLUGIN_KEY}-key`;
const ADMIN = ['admin', 'admin'] as const;

forEachDatabase('Kill switch and enable at the same time on two nodes', (kind) => {
  let e2e: E2eEnv;
  let node2: TestHost;

  before(async function () {
    this.timeout(60_000);
    ({ e2e, node2 } = await startTwoNodes(kind));
  });
  after(async function () {
    this.timeout(30_000);
    await e2e.host.request(UPM, { method: 'PUT', auth: ADMIN, body: { enabled: true } }).catch(() => undefined);
    await node2.request(UPM, { method: 'PUT', auth: ADMIN, body: { enabled: true } }).catch(() => undefined);
    await stopTwoNodes({ e2e, node2 });
  });

  it('should leave both nodes with the plugin state the database holds after an enable on node1 and a kill switch on node2 at once', async function () {
    this.timeout(30_000);
    const { plainTextToken } = await e2e.createToken('alice');
    await pause(600);
    expect((await node2.request('/rest/api/2/myself', { bearer: plainTextToken })).status).to.equal(200);

    const [on, off] = await Promise.all([
      e2e.host.request(UPM, { method: 'PUT', auth: ADMIN, body: { enabled: true } }),
      node2.request(UPM, { method: 'PUT', auth: ADMIN, body: { enabled: false } }),
    ]);
    expect(off.status, off.text).to.equal(200);
    expect(on.status, on.text).to.equal(200);
    // Far beyond the promised second.
    await pause(3000);

    const rows = await queryRows(e2e.host.dbUrl, 'SELECT ENABLED FROM HOST_PLUGIN_STATE WHERE PLUGIN_KEY = ?', [PLUGIN_KEY]);
    // Both PUTs stored a row. Read as 0 or 1: on PostgreSQL the column came back as `enabled`, so
    // this suite took every final state for "disabled" and failed whenever the enable committed last.
    expect(rows).to.have.length(1);
    expect(rows[0].ENABLED).to.be.oneOf([0, 1]);
    const stored = Number(rows[0].ENABLED) === 1;
    const onNode1 = (await e2e.host.request(UPM, { auth: ADMIN })).json.enabled;
    const onNode2 = (await node2.request(UPM, { auth: ADMIN })).json.enabled;
    const tokenOn = async (node: TestHost) => (await node.request('/rest/api/2/myself', { bearer: plainTextToken })).status;
    const seen = { stored, onNode1, onNode2, tokenOnNode1: await tokenOn(e2e.host), tokenOnNode2: await tokenOn(node2) };
    // A failure says whether node1 fell behind the change log meanwhile (its resync reads the state again).
    const behind = e2e.logs.filter((line) => /fell behind|falling behind|resync/i.test(line));
    expect(seen, JSON.stringify({ ...seen, node1Log: behind })).to.deep.equal({
      stored, onNode1: stored, onNode2: stored, tokenOnNode1: stored ? 200 : 401, tokenOnNode2: stored ? 200 : 401,
    });
  });
});
