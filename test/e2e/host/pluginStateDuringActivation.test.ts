// A UPM change made on another node while this node is still activating the plugin (at start,
// a plugin's activate may read the database) must not be lost: the node follows the last state.
import path from 'node:path';
import { expect } from 'chai';
import { until } from '../../support/cluster';
import { forEachDatabase } from '../../support/databases';
import { ROOT, startTestHost, type TestHost } from '../../support/hostServer';
import type { DefaultClusterMessagingService } from '../../../host-sim/impl/cluster/DefaultClusterMessagingService';
import { gatedActivationContext, holdGatedActivation, releaseGatedActivation } from '../../fixtures/gated-plugin';

const GATED_DESCRIPTOR = path.join(ROOT, 'test', 'fixtures', 'gated-plugin', 'atlassian-plugin.json');
const GATED_KEY = 'com.example.hostsim.gatedplugin';

forEachDatabase('Plugin state changed while a node activates the plugin', (kind) => {
  it('should not leave the plugin active on a starting node when another node disabled it meanwhile', async () => {
    const first = await startTestHost({ product: 'jira', dbKind: kind, descriptors: [GATED_DESCRIPTOR] });
    let second: TestHost | null = null;
    try {
      const held = holdGatedActivation();
      const starting = startTestHost({ product: 'jira', dbUrl: first.dbUrl, descriptors: [GATED_DESCRIPTOR], nodeId: 'node2' });
      try {
        await held;
        await first.host.loader.setEnabled(GATED_KEY, false);
        // The starting node reads the change log while its activation waits: a poll begun after the
        // change was written has read it (waited for; its own timer, every 250 ms, can be late under
        // load). The message makes it read the plugin states again; the pause is for that read.
        const messaging = gatedActivationContext()!.services.clusterMessagingService as DefaultClusterMessagingService;
        await messaging.pollNow(); // one under way, if any
        await messaging.pollNow();
        await new Promise((r) => setTimeout(r, 700));
      } finally {
        releaseGatedActivation();
        second = await starting;
      }
      expect(second.runtime.pluginStates.isEnabled(GATED_KEY)).to.equal(false);
      const node2 = second;
      expect(await until(async () => !node2.host.loader.isActive(GATED_KEY), 1000)).to.equal(true);
      expect((await node2.request('/rest/gatedplugin/1.0/ping', { auth: ['admin', 'admin'] })).status).to.equal(404);
    } finally {
      releaseGatedActivation();
      await second?.stop();
      await first.stop();
    }
  });
});
