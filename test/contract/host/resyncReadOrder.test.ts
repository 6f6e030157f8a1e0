// A node that fell behind the change log reads the plugin states, licence states and clock offset
// again (its resync). That read was applied whenever it came back, even when a newer state had
// been applied meanwhile: a read started before this node's own change and answered after it put
// the older value back, for good (nothing announces it again). Seen in CI as the kill switch
// pulled on one node and the plugin enabled on another at once, with both in-process nodes
// behind after the event loop stalled: both ended enabled while the database held disabled.
// Every read now goes through NewestReload: only the newest read started is applied.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { ANNOUNCED_STATES, holdNextAnswer } from './announcedStates';
import { HostCluster, waitFor } from './hostFixture';

/** Holds the event loop: no poll can run, the node falls behind its lag limit. */
function fallBehind(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) { /* hold the event loop */ }
}

forEachDatabase('A resync read answered after a newer state', (kind) => {
  let cluster: HostCluster;
  beforeEach(async () => { cluster = await HostCluster.create(kind); });
  afterEach(async () => { await cluster.cleanup(); });

  for (const [name, state] of Object.entries(ANNOUNCED_STATES)) {
    it(`should keep the newer ${name} when the resync's older read comes back after it`, async function () {
      this.timeout(20_000);
      const a = await cluster.start({ nodeId: 'a', clusterPollIntervalMs: 100, clusterMaxLagMs: 1000 });
      await waitFor(() => a.clusterMessaging.isCurrent(), 3000, 'current after start');
      // Stored, not only the default of a missing row: the held read then has a value to put back.
      await state.change(a, state.before);
      expect(state.read(a)).to.deep.equal(state.before);

      const held = holdNextAnswer(a, 'query', state.reads);
      fallBehind(1300);
      // The next poll finds the node behind; its resync reads the table (the older value) and waits.
      await held.engaged;
      await state.change(a, state.after);
      await waitFor(() => JSON.stringify(state.read(a)) === JSON.stringify(state.after), 3000, 'own change applied');
      held.release();
      await waitFor(() => a.clusterMessaging.isCurrent(), 5000, 'current again after the resync');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(state.read(a), 'the newest state, as the database holds it').to.deep.equal(state.after);
    });
  }
});
