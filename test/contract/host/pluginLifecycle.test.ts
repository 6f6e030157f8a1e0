import { expect } from 'chai';
import type { HostEvent } from '../../../host-sim/spi';
import { forEachDatabase } from '../../support/databases';
import { HostCluster, waitFor } from './hostFixture';

forEachDatabase('Plugin licences and states', (kind) => {
  let cluster: HostCluster;

  beforeEach(async () => { cluster = await HostCluster.create(kind); });
  afterEach(async () => { await cluster.cleanup(); });

  it('should report a valid licence by default and follow changes on every node', async () => {
    const a = await cluster.start();
    const b = await cluster.start();
    const onB = b.servicesForPlugin({ pluginKey: 'com.example.p', aoPrefix: 'AO_5D4005' }).licenseManager;
    expect(onB.getLicenseState()).to.equal('valid');
    expect(onB.isLicensed()).to.equal(true);
    await a.licenses.setState('com.example.p', 'expired');
    expect(a.licenses.getState('com.example.p')).to.equal('expired');
    await waitFor(() => onB.getLicenseState() === 'expired', 1000, 'the licence change on node 2');
    expect(onB.isLicensed()).to.equal(false);
    expect(b.licenses.getState('other.plugin')).to.equal('valid');
  });

  it('should keep licence states across restarts', async () => {
    const a = await cluster.start();
    await a.licenses.setState('com.example.p', 'none');
    const c = await cluster.start();
    expect(c.licenses.getState('com.example.p')).to.equal('none');
  });

  it('should enable and disable plugins on every node with change listeners and host events', async () => {
    const a = await cluster.start();
    const b = await cluster.start();
    expect(b.pluginStates.isEnabled('com.example.p')).to.equal(true);
    const changesA: Array<[string, boolean]> = [];
    const changesB: Array<[string, boolean]> = [];
    const events: HostEvent[] = [];
    a.pluginStates.onChange((key, enabled) => changesA.push([key, enabled]));
    b.pluginStates.onChange((key, enabled) => changesB.push([key, enabled]));
    b.eventPublisher.subscribe('plugin-disabled', (e) => { events.push(e); });
    b.eventPublisher.subscribe('plugin-enabled', (e) => { events.push(e); });

    await a.pluginStates.setEnabled('com.example.p', false);
    expect(a.pluginStates.isEnabled('com.example.p')).to.equal(false);
    expect(changesA).to.deep.equal([['com.example.p', false]]);
    await waitFor(() => changesB.length === 1 && events.length === 1, 1000, 'the change on node 2');
    expect(b.pluginStates.isEnabled('com.example.p')).to.equal(false);
    expect(events[0]).to.deep.equal({ type: 'plugin-disabled', pluginKey: 'com.example.p' });

    await b.pluginStates.setEnabled('com.example.p', true);
    await waitFor(() => a.pluginStates.isEnabled('com.example.p'), 1000, 'the re-enable on node 1');
    expect(events.map((e) => e.type)).to.deep.equal(['plugin-disabled', 'plugin-enabled']);

    await a.pluginStates.setEnabled('com.example.p', false);
    const restarted = await cluster.start();
    expect(restarted.pluginStates.isEnabled('com.example.p')).to.equal(false);
  });
});
