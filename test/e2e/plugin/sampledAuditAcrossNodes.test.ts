// auditTokenUse=sampled writes one `token used` event per token and client IP per hour. Each node
// kept that hour in memory only, so a second node, and the same node after a restart (here: the
// plugin disabled and enabled), audited every token's next use again: after a rolling restart of
// a cluster, one event per active token and node. The token's row now keeps its last audited use.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import type { TestHost } from '../../support/hostServer';
import type { E2eEnv } from './support/e2eHost';
import { rawRequest } from '../restrictions/support/rawHttp';
import { eventually, startTwoNodes, stopTwoNodes } from './support/twoNodes';

const FLUSH_JOB = '/rest/hostsim/1.0/jobs/de.resolution.apitokenauth%3Alast-access-flush-job/run';
const CLOCK = '/rest/hostsim/1.0/clock';
const UPM = '/rest/plugins/1.0/de.resolution.apitokenauth-key';
const MYSELF = '/rest/api/2/myself';
const MINUTE = 60_000;

forEachDatabase('Sampled token-use audit across nodes and restarts', (kind) => {
  let e2e: E2eEnv;
  let node2: TestHost;

  before(async () => { ({ e2e, node2 } = await startTwoNodes(kind)); });
  after(async () => {
    await e2e?.as('admin', CLOCK, { method: 'PUT', body: { offsetMillis: 0 } });
    await stopTwoNodes({ e2e, node2 });
  });

  /** The `token used` events of a token, once `marker`'s first use (made after the uses in question) is written: the queue is written in order. */
  const usedEvents = async (tokenId: number, marker: { id: number; plainTextToken: string }, node: 'node1' | 'node2') => {
    const res = node === 'node1' ? await e2e.req(MYSELF, { bearer: marker.plainTextToken }) : await node2.request(MYSELF, { bearer: marker.plainTextToken });
    expect(res.status).to.equal(200);
    const ofToken = (events: Array<Record<string, unknown>>, id: number) =>
      events.filter((ev) => (ev.affectedObjects as Array<{ id: string }>)[0]?.id === String(id));
    let events: Array<Record<string, unknown>> = [];
    expect(await eventually(async () => ofToken(events = await e2e.auditEvents('token.used'), marker.id).length > 0, 10_000)).to.equal(true);
    return ofToken(events, tokenId).length;
  };
  const flushNode1 = async () => expect((await e2e.as('admin', FLUSH_JOB, { method: 'POST' })).status).to.equal(200);

  it('should not audit a token again on another node within the hour of its audit, and audit it there after the hour', async () => {
    const token = await e2e.createToken('alice', { tokenDescription: 'nightly export' });
    expect((await e2e.req(MYSELF, { bearer: token.plainTextToken })).status).to.equal(200);
    await flushNode1();
    expect((await node2.request(MYSELF, { bearer: token.plainTextToken })).status).to.equal(200);
    expect(await usedEvents(token.id, await e2e.createToken('alice'), 'node2'), 'node1 audited it; node2 read the token afterwards').to.equal(1);

    const later = (await e2e.as('admin', CLOCK)).json.now as number + 61 * MINUTE;
    expect((await e2e.as('admin', CLOCK, { method: 'PUT', body: { offsetMillis: 61 * MINUTE } })).status).to.equal(200);
    expect(await eventually(async () => ((await node2.request(CLOCK, { auth: ['admin', 'admin'] })).json.now as number) >= later, 5000)).to.equal(true);
    expect((await node2.request(MYSELF, { bearer: token.plainTextToken })).status).to.equal(200);
    expect(await usedEvents(token.id, await e2e.createToken('alice'), 'node2'), 'an hour after the audit').to.equal(2);
  });

  it('should not audit a token again after the plugin restarts within the hour, but audit another IP', async () => {
    const token = await e2e.createToken('alice', { tokenDescription: 'deploy hook' });
    expect((await e2e.req(MYSELF, { bearer: token.plainTextToken })).status).to.equal(200);
    expect((await e2e.as('admin', UPM, { method: 'PUT', body: { enabled: false } })).status).to.equal(200);
    expect((await e2e.as('admin', UPM, { method: 'PUT', body: { enabled: true } })).status).to.equal(200);
    expect((await e2e.req(MYSELF, { bearer: token.plainTextToken })).status).to.equal(200);
    expect(await usedEvents(token.id, await e2e.createToken('alice'), 'node1'), 'audited before the restart').to.equal(1);

    // Another client address (all of 127/8 is this machine): its first use is audited.
    expect((await rawRequest(e2e.host.url, MYSELF, { bearer: token.plainTextToken, localAddress: '127.0.0.2' })).status).to.equal(200);
    expect(await usedEvents(token.id, await e2e.createToken('alice'), 'node1'), 'a second IP').to.equal(2);
  });
});
