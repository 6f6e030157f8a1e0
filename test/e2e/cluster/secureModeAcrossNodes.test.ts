// Secure mode is a system property of each node, and docs/data-center.md asks for the same value on
// every node. A cluster where one node was started without it used to change, behind the load
// balancer, exactly the tokens the other node protects: a PATCH or a regeneration that node2
// refuses succeeded on node1. Now secure mode holds on every node while any node running the
// plugin has it (each node announces its own on the change log and answers a newcomer's
// question), the mismatch is logged, and it ends with the last node that has it.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { expectError } from '../../support/errorCodes';
import type { TestHost } from '../../support/hostServer';
import { API, type E2eEnv } from '../plugin/support/e2eHost';
import { eventually, startTwoNodes, stopTwoNodes } from '../plugin/support/twoNodes';

/** The documented bound is 1 s; the poll adds up to one interval and one request. */
const BOUND_MS = 1300;

forEachDatabase('Secure mode across nodes', (kind) => {
  let e2e: E2eEnv;
  let node2: TestHost | undefined;

  before(async () => {
    // node1 (the e2e host) without the property, node2 with it.
    ({ e2e, node2 } = await startTwoNodes(kind, {}, { env: { HOSTSIM_SYSPROPS: 'apitokenauth.secure.mode=true' } }));
  });
  after(() => stopTwoNodes({ e2e, node2 }));

  const secureModeOnNode1 = async (): Promise<boolean> => (await e2e.as('alice', `${API}/user/token/status`)).json.secureMode === true;

  it('should refuse on a node without the property the changes a node with it refuses, and say so in its status', async () => {
    expect(await eventually(secureModeOnNode1, BOUND_MS, 25), 'status on node1').to.equal(true);
    const created = await e2e.createToken('alice', { tokenDescription: 'protected' });
    expectError(await e2e.as('alice', `${API}/user/token/${created.id}`, { method: 'PATCH', body: { tokenDescription: 'renamed' } }), 'SECURE_MODE_LOCKED', 'PATCH on node1');
    const rotate = await e2e.as('alice', `${API}/user/token/${created.id}/rotate`, { method: 'POST' });
    expectError(rotate, 'SECURE_MODE_LOCKED', 'rotate on node1');
    expect(rotate.text).not.to.include('apitok_');
    const snippets = await e2e.as('alice', `${API}/user/token/${created.id}/snippets`);
    expect(snippets.status, 'snippets on node1').to.equal(403);
    const list = (await e2e.as('alice', `${API}/user/token`)).json as Array<Record<string, unknown>>;
    expect(list.find((t) => t.id === created.id)).to.include({ description: 'protected' });
  });

  it('should log on the node without the property that another node runs with it', async () => {
    const lines = e2e.logs.filter((line) => line.includes('secure mode') && line.includes('node2'));
    expect(lines, e2e.logs.slice(-20).join('\n')).to.have.length.at.least(1);
    expect(lines[0]).to.match(/^error /);
  });

  it('should end secure mode on the node without the property once the node with it stops', async () => {
    await node2!.stop();
    node2 = undefined;
    expect(await eventually(async () => !(await secureModeOnNode1()), BOUND_MS, 25), 'status on node1').to.equal(true);
    const created = await e2e.createToken('alice', { tokenDescription: 'free again' });
    const res = await e2e.as('alice', `${API}/user/token/${created.id}`, { method: 'PATCH', body: { tokenDescription: 'renamed' } });
    expect(res.status, res.text).to.equal(200);
  });
});
