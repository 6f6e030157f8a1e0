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
  it('should run update as one read-modify-write: a concurrent update on another node waits and reads what the first wrote', async () => {
    const a = (await cluster.start()).servicesForPlugin({ pluginKey: 'p', aoPrefix: 'AO_5D4005' }).pluginSettings;
    const b = (await cluster.start()).servicesForPlugin({ pluginKey: 'p', aoPrefix: 'AO_5D4005' }).pluginSettings;
    await a.put('n', '0');
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    let firstRead!: () => void;
    const firstHasRead = new Promise<void>((r) => { firstRead = r; });
    const first = a.update(async (current) => {
      firstRead();
      await gate;
      return { writes: { n: String(Number(current.n) + 1), gone: null }, result: current.n };
    });
    await firstHasRead;
    let secondSaw: string | undefined;
    const second = b.update((current) => {
      secondSaw = current.n;
      return { writes: { n: String(Number(current.n) + 10) }, result: 'second' };
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(secondSaw, 'the second update has not read while the first holds the settings').to.equal(undefined);
    release();
    expect(await first).to.equal('0');
    expect(await second).to.equal('second');
    expect(secondSaw).to.equal('1');
    expect(await a.get('n')).to.equal('11');
  });

  it('should write nothing of an update whose decide throws or whose values are not strings', async () => {
    const s = (await cluster.start()).servicesForPlugin({ pluginKey: 'p', aoPrefix: 'AO_5D4005' }).pluginSettings;
    await s.put('k', 'v');
    let err: unknown = null;
    try { await s.update(() => { throw new Error('refused'); }); } catch (e) { err = e; }
    expect((err as Error)?.message).to.equal('refused');
    err = null;
    try { await s.update(() => ({ writes: { k: 'changed', bad: 5 as unknown as string }, result: null })); } catch (e) { err = e; }
    expect(err).to.be.instanceOf(TypeError);
    expect(await s.getAll()).to.deep.equal({ k: 'v' });
  });

  it('should remove keys written as null and announce every written key after the commit', async () => {
    const a = await cluster.start();
    const b = await cluster.start();
    const seen: string[] = [];
    b.clusterMessaging.registerListener('host.plugin-settings', (m) => seen.push(JSON.parse(m.payload).key));
    const s = a.servicesForPlugin({ pluginKey: 'p', aoPrefix: 'AO_5D4005' }).pluginSettings;
    await s.put('old', 'x');
    expect(await s.update(() => ({ writes: { old: null, fresh: 'y' }, result: 42 }))).to.equal(42);
    expect(await s.getAll()).to.deep.equal({ fresh: 'y' });
    await waitFor(() => seen.includes('fresh') && seen.filter((k) => k === 'old').length === 2, 1000, 'the announcements');
  });
});
