// Two administrators switch a plugin at the same moment on two nodes (enable on one, the incident
// kill switch on the other). Each node's loader must end as the state its node holds, which is the
// database's: an enable whose own application ran after the other node's disable had been read
// must not activate the plugin again (it did, and the node served the plugin while UPM said off).
import { expect } from 'chai';
import { until } from '../../support/cluster';
import { forEachDatabase } from '../../support/databases';
import { TEST_PLUGIN_DESCRIPTOR, startTestHost, type TestHost } from '../../support/hostServer';

const KEY = 'com.example.hostsim.testplugin';

forEachDatabase('Plugin enabled on one node while another node disables it', (kind) => {
  let first: TestHost;
  let second: TestHost;
  before(async function () {
    this.timeout(60_000);
    first = await startTestHost({ product: 'jira', dbKind: kind, descriptors: [TEST_PLUGIN_DESCRIPTOR] });
    second = await startTestHost({ product: 'jira', dbUrl: first.dbUrl, descriptors: [TEST_PLUGIN_DESCRIPTOR], nodeId: 'node2' });
  });
  after(async () => {
    await second?.stop();
    await first?.stop();
  });

  it('should leave the plugin inactive on the enabling node when the disable reached it before the enable was applied there', async function () {
    this.timeout(30_000);
    // The enabling node announces its change and publishes `plugin-enabled` (awaited) before its
    // loader applies it: the other node's disable is made and read on the first node in between.
    let crossed = false;
    const unsubscribe = first.runtime.eventPublisher.subscribe('plugin-enabled', async () => {
      unsubscribe();
      await second.host.loader.setEnabled(KEY, false);
      crossed = await until(async () => !first.runtime.pluginStates.isEnabled(KEY) && !first.host.loader.isActive(KEY), 10_000);
    });
    try {
      await first.host.loader.setEnabled(KEY, true);
    } finally {
      unsubscribe();
    }
    expect(crossed, 'the disable was read on the first node in between').to.equal(true);
    const seen = {
      stateOnFirst: first.runtime.pluginStates.isEnabled(KEY), activeOnFirst: first.host.loader.isActive(KEY),
      stateOnSecond: second.runtime.pluginStates.isEnabled(KEY), activeOnSecond: second.host.loader.isActive(KEY),
    };
    expect(seen).to.deep.equal({ stateOnFirst: false, activeOnFirst: false, stateOnSecond: false, activeOnSecond: false });
    expect((await first.request('/rest/testplugin/1.0/notes', { auth: ['admin', 'admin'] })).status, 'nothing served on the first node').to.equal(404);
  });
});
