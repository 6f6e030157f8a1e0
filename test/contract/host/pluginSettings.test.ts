import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { HostCluster, waitFor } from './hostFixture';

forEachDatabase('DefaultPluginSettings', (kind) => {
  let cluster: HostCluster;

  beforeEach(async () => { cluster = await HostCluster.create(kind); });
  afterEach(async () => { await cluster.cleanup(); });

  it('should make a put on one node visible to get on another at once', async () => {
    const a = (await cluster.start()).servicesForPlugin({ pluginKey: 'com.example.p', aoPrefix: 'AO_5D4005' }).pluginSettings;
    const b = (await cluster.start()).servicesForPlugin({ pluginKey: 'com.example.p', aoPrefix: 'AO_5D4005' }).pluginSettings;
    expect(await b.get('max.tokens')).to.equal(null);
    await a.put('max.tokens', '10');
    expect(await b.get('max.tokens')).to.equal('10');
    await b.put('max.tokens', '{"value":20}');
    expect(await a.get('max.tokens')).to.equal('{"value":20}');
    await a.put('other', 'ü – ✓');
    expect(await b.getAll()).to.deep.equal({ 'max.tokens': '{"value":20}', other: 'ü – ✓' });
    await b.remove('other');
    expect(await a.get('other')).to.equal(null);
  });

  it('should keep plugins apart', async () => {
    const rt = await cluster.start();
    const one = rt.servicesForPlugin({ pluginKey: 'one', aoPrefix: 'AO_000001' }).pluginSettings;
    const two = rt.servicesForPlugin({ pluginKey: 'two', aoPrefix: 'AO_000002' }).pluginSettings;
    await one.put('k', 'v1');
    expect(await two.get('k')).to.equal(null);
    expect(await two.getAll()).to.deep.equal({});
  });

  it('should announce every change on the cluster channel', async () => {
    const a = await cluster.start();
    const b = await cluster.start();
    const seen: string[] = [];
    b.clusterMessaging.registerListener('host.plugin-settings', (m) => seen.push(m.payload));
    await a.servicesForPlugin({ pluginKey: 'p', aoPrefix: 'AO_5D4005' }).pluginSettings.put('k', 'v');
    await waitFor(() => seen.length === 1, 1000, 'the settings announcement');
    expect(JSON.parse(seen[0])).to.deep.equal({ pluginKey: 'p', key: 'k' });
  });
});
