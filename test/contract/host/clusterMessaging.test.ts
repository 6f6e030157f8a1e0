import { expect } from 'chai';
import type { ClusterMessage } from '../../../host-sim/spi';
import { forEachDatabase } from '../../support/databases';
import { HostCluster, waitFor } from './hostFixture';

forEachDatabase('DefaultClusterMessagingService', (kind) => {
  let cluster: HostCluster;

  beforeEach(async () => { cluster = await HostCluster.create(kind); });
  afterEach(async () => { await cluster.cleanup(); });

  it('should deliver to local listeners before send resolves and to other nodes within a second', async () => {
    const a = await cluster.start({ clusterPollIntervalMs: 250 });
    const b = await cluster.start({ clusterPollIntervalMs: 250 });
    const onA: ClusterMessage[] = [];
    const onB: ClusterMessage[] = [];
    a.clusterMessaging.registerListener('test.channel', (m) => onA.push(m));
    b.clusterMessaging.registerListener('test.channel', (m) => onB.push(m));
    b.clusterMessaging.registerListener('other.channel', () => { throw new Error('must not be called'); });

    await a.clusterMessaging.send('test.channel', 'hello');
    expect(onA).to.deep.equal([{ channel: 'test.channel', payload: 'hello', fromNode: 'node-1' }]);
    await waitFor(() => onB.length === 1, 1000, 'delivery to node 2');
    expect(onB).to.deep.equal([{ channel: 'test.channel', payload: 'hello', fromNode: 'node-1' }]);

    await b.clusterMessaging.send('test.channel', 'reply');
    await waitFor(() => onA.length === 2, 1000, 'delivery back to node 1');
    expect(onA[1]).to.deep.equal({ channel: 'test.channel', payload: 'reply', fromNode: 'node-2' });
  });

  it('should deliver every message once, including concurrent bursts from several nodes', async () => {
    const a = await cluster.start();
    const b = await cluster.start();
    const c = await cluster.start();
    const onC: string[] = [];
    const onA: string[] = [];
    c.clusterMessaging.registerListener('burst', (m) => onC.push(m.payload));
    a.clusterMessaging.registerListener('burst', (m) => onA.push(m.payload));
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).clusterMessaging.send('burst', `m${i}`)));
    await waitFor(() => onC.length >= 20 && onA.length >= 20, 1000, 'all 20 messages');
    // A few more polls must not deliver anything twice (own messages included).
    await new Promise((resolve) => setTimeout(resolve, 300));
    const all = Array.from({ length: 20 }, (_, i) => `m${i}`).sort();
    expect([...onC].sort()).to.deep.equal(all);
    expect([...onA].sort()).to.deep.equal(all);
  });

  it('should keep the order of messages one node sends one after the other', async () => {
    const a = await cluster.start();
    const b = await cluster.start();
    const onB: string[] = [];
    b.clusterMessaging.registerListener('ordered', (m) => onB.push(m.payload));
    for (let i = 0; i < 10; i++) await a.clusterMessaging.send('ordered', String(i));
    await waitFor(() => onB.length === 10, 1000, 'ten messages');
    expect(onB).to.deep.equal(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });

  it('should stop calling a listener once it is removed', async () => {
    const a = await cluster.start();
    const seen: string[] = [];
    const remove = a.clusterMessaging.registerListener('x', (m) => seen.push(m.payload));
    await a.clusterMessaging.send('x', '1');
    remove();
    await a.clusterMessaging.send('x', '2');
    expect(seen).to.deep.equal(['1']);
    expect(a.clusterMessaging.nodeId).to.equal('node-1');
  });
});
