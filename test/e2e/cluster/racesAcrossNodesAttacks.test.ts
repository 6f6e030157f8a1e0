// Races and ordering across two nodes on one database (attack review): the racing pairs of
// test/e2e/plugin/racesAndOrderingAttacks.test.ts split over the nodes. A change acknowledged on one
// node must be honoured on the other within the documented bound (1 s; polled for up to BOUND_MS),
// whatever commits in between. Both nodes run in this process (startTwoNodes), so a database call of
// either can be held (the stand-in for a slow round trip) while the other node acts.
import { expect } from 'chai';
import { DefaultActiveObjects } from '../../../host-sim/impl/ao/DefaultActiveObjects';
import { DefaultPluginSettings } from '../../../host-sim/impl/plugins/DefaultPluginSettings';
import type { DefaultClusterMessagingService } from '../../../host-sim/impl/cluster/DefaultClusterMessagingService';
import { forEachDatabase } from '../../support/databases';
import type { TestHost } from '../../support/hostServer';
import { API, type E2eEnv } from '../plugin/support/e2eHost';
import { eventually, startTwoNodes, stopTwoNodes } from '../plugin/support/twoNodes';
import { hold, within } from '../plugin/support/holdCalls';

const MYSELF = '/rest/api/2/myself';
const SETTINGS = `${API}/admin/settings`;
/** The documented bound is 1 s; the poll adds up to one interval and one request. */
const BOUND_MS = 1300;

const publicIdOf = (token: string): string => token.slice(7, 19);

forEachDatabase('races across nodes (attack review)', (kind) => {
  let e2e: E2eEnv;
  let node2: TestHost;

  before(async () => {
    ({ e2e, node2 } = await startTwoNodes(kind));
  });
  after(() => stopTwoNodes({ e2e, node2 }));

  const AO = DefaultActiveObjects.prototype;
  const on = async (node: TestHost, token: string) => (await node.request(MYSELF, { bearer: token })).status;
  const alicePw = () => e2e.users.alice.password;

  // FINDING: node1 deletes a token while node2 regenerates it; the regeneration commits between the
  // deletion's SELECT and its DELETE. The deletion publishes the public id it read (the old
  // secret's), never the regenerated one's — which node2 cached when its new secret was first used
  // there. node2 accepts the secret of the deleted token until its cache age limit (10 minutes),
  // not within the 1 s bound.
  it('should refuse on every node, within the bound, a secret regenerated on one node while the token was being deleted on the other', async () => {
    const token = await e2e.createToken('alice', { tokenDescription: 'deleted on node1, regenerated on node2' });
    const held = hold(AO, 'deleteWithSQL', (args, stack) => stack.includes('deleteByIds') && (args[2] as unknown[])?.[0] === token.id);
    let deletion: Promise<{ status: number }> | undefined;
    let rotation: Promise<{ status: number; json?: { plainTextToken?: string } }> | undefined;
    let rotated: { status: number; json?: { plainTextToken?: string } } | 'pending' = 'pending';
    try {
      deletion = e2e.as('alice', `${API}/user/token/${token.id}`, { method: 'DELETE' });
      await held.reached();
      rotation = node2.request(`${API}/user/token/${token.id}/rotate`, { method: 'POST', auth: ['alice', alicePw()] }).then((r) => {
        if (typeof r.json?.plainTextToken === 'string') e2e.issued.push(r.json.plainTextToken);
        return r;
      });
      rotated = await within(rotation, 1500);
      if (rotated !== 'pending' && rotated.status === 200) expect(await on(node2, rotated.json!.plainTextToken!), 'new secret on node2, before the deletion ends').to.equal(200);
    } finally {
      held.release();
      held.restore();
    }
    expect((await deletion)?.status, 'the deletion on node1').to.equal(200);
    if (rotated === 'pending') rotated = await rotation!;
    if (rotated.status !== 200) {
      expect(rotated.status, 'regenerated after the deletion').to.equal(404);
      return;
    }
    const secret = rotated.json!.plainTextToken!;
    expect(await on(e2e.host, secret), 'node1 (deleted there)').to.equal(401);
    expect(await eventually(async () => await on(node2, secret) === 401, BOUND_MS), 'node2 refuses the secret of the deleted token within the bound').to.equal(true);
  });

  it('should not cache on node2 a row its read returned after node1\'s deletion was announced', async () => {
    const token = await e2e.createToken('alice', { tokenDescription: 'read on node2 while deleted on node1' });
    const id = publicIdOf(token.plainTextToken);
    const held = hold(AO, 'find', (args, stack) => stack.includes('findCredential')
      && ((args[1] as { params?: unknown[] })?.params ?? []).includes(id), 1, 'after');
    let inFlight: Promise<number> | undefined;
    try {
      inFlight = on(node2, token.plainTextToken);
      await held.reached();
      expect((await e2e.as('alice', `${API}/user/token/${token.id}`, { method: 'DELETE' })).status).to.equal(200);
      // node2 reads the change log meanwhile: a poll begun after the deletion's answer (which comes
      // after its invalidation was written) has read it. Waited for, not assumed of a fixed pause —
      // under load node2's timer can be late, and the row then only arrives before the invalidation.
      await (node2.runtime.clusterMessaging as DefaultClusterMessagingService).pollNow(); // one under way, if any
      await (node2.runtime.clusterMessaging as DefaultClusterMessagingService).pollNow();
    } finally {
      held.release();
      held.restore();
    }
    // Read before the deletion: it may be admitted as a request that raced it ...
    expect(await inFlight).to.be.oneOf([200, 401]);
    // ... but what it read must not stay: the next request on node2 is refused.
    expect(await on(node2, token.plainTextToken), 'next request on node2').to.equal(401);
    expect(await on(e2e.host, token.plainTextToken), 'node1').to.equal(401);
  });

  it('should keep both narrowings of one token made at once on two nodes (rules on node1, scope on node2)', async () => {
    const token = await e2e.createToken('alice', { tokenDescription: 'narrowed on both nodes' });
    const held = hold(AO, 'executeInTransaction', (_args, stack) => stack.includes('updateLimits'));
    let rules: Promise<{ status: number }> | undefined;
    try {
      rules = e2e.as('alice', `${API}/user/token/${token.id}`, { method: 'PATCH', body: { restrictions: `[GET].*${MYSELF}` } });
      await held.reached();
      expect((await node2.request(`${API}/user/token/${token.id}`, { method: 'PATCH', auth: ['alice', alicePw()], body: { tokenScope: 1 } })).status).to.equal(200);
    } finally {
      held.release();
      held.restore();
    }
    expect((await rules)?.status).to.equal(200);
    const row = ((await node2.request(`${API}/user/token`, { auth: ['alice', alicePw()] })).json as Array<{ id: number; tokenScope: number; restrictions: unknown }>)
      .find((t) => t.id === token.id);
    expect({ scope: row?.tokenScope, restricted: row?.restrictions !== null }).to.deep.equal({ scope: 1, restricted: true });
    for (const node of [e2e.host, node2]) {
      expect(await eventually(async () => (await node.request(`${API}/user/token`, { bearer: token.plainTextToken })).status === 403, BOUND_MS), 'outside its rule, on both nodes').to.equal(true);
    }
  });
  // FINDING (left open since the review of races and ordering): settings changes ran one at a time
  // under a cluster lock with a 10-s lease. A change whose write stalled past the lease (a slow
  // database round trip; here held) lost the lock without knowing: the other node took it over,
  // read and wrote its change, and then the stalled write landed over it. Through a stolen
  // administrator token that put back a group its administrator had just removed on node2.
  it('should not let a settings change whose write stalls past any lease write over the change made meanwhile on the other node', async function () {
    this.timeout(90_000);
    for (const g of ['lease-g1', 'lease-g2', 'lease-g3']) await e2e.host.runtime.users.createGroup(g);
    await e2e.host.runtime.users.addUserToGroup('admin', 'lease-g1');
    try {
      expect((await e2e.as('admin', SETTINGS, { method: 'PUT', body: { tokenUserGroups: ['lease-g1', 'lease-g2', 'lease-g3'] } })).status).to.equal(200);
      const stolen = await e2e.createToken('admin', { tokenDescription: 'admin token (stolen), its change stalls' });
      const narrowed = JSON.stringify(['lease-g1', 'lease-g2']);
      const held = hold(DefaultPluginSettings.prototype, 'write', (args) => args[1] === 'settings.tokenUserGroups' && args[2] === narrowed);
      let thief: Promise<{ status: number }> | undefined;
      let admin: Promise<{ status: number }> | undefined;
      try {
        thief = e2e.req(SETTINGS, { method: 'PUT', bearer: stolen.plainTextToken, body: { tokenUserGroups: ['lease-g1', 'lease-g2'] } });
        await held.reached();
        // Longer than the old lock's lease (10 s).
        await new Promise((resolve) => setTimeout(resolve, 10_500));
        admin = node2.request(SETTINGS, { method: 'PUT', auth: ['admin', 'admin'], body: { tokenUserGroups: ['lease-g1'] } });
        // The administrator's change either waits for the stalled one or is answered; never written under it.
        const early = await within(admin, 1500);
        if (early !== 'pending') expect(early.status, 'admin tightens on node2').to.equal(200);
      } finally {
        held.release();
        held.restore();
      }
      const late = await thief;
      expect((await admin!).status, 'admin tightens on node2').to.equal(200);
      for (const node of [e2e.host, node2]) {
        // On SQLite the held write kept node1's connection from reading the change log: behind it,
        // the node answers 503 until its next poll.
        expect(await eventually(async () => (await node.request(SETTINGS, { auth: ['admin', 'admin'] })).status === 200, 5000), 'settings readable').to.equal(true);
        const now = (await node.request(SETTINGS, { auth: ['admin', 'admin'] })).json as { tokenUserGroups: string[] };
        expect(now.tokenUserGroups, `tokenUserGroups after the stalled change (answered ${late?.status})`).to.deep.equal(['lease-g1']);
      }
    } finally {
      await e2e.as('admin', SETTINGS, { method: 'PUT', body: { tokenUserGroups: [] } });
    }
  });
});
