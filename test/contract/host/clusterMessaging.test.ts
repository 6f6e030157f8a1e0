import { expect } from 'chai';
import type { Database } from '../../../host-sim/impl/db/Database';
import type { ClusterMessage } from '../../../host-sim/spi';
import { forEachDatabase } from '../../support/databases';
import { DefaultClusterMessagingService } from '../../../host-sim/impl/cluster/DefaultClusterMessagingService';
import { NODE_CONFIG_CHANNEL } from '../../../host-sim/impl/cluster/NodeConfigCheck';
import { HostCluster, silentLogger, waitFor } from './hostFixture';

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

  it('should keep delivering within a second through permanent id gaps (Galera auto_increment_increment = 3)', async () => {
    const a = await cluster.start({ clusterPollIntervalMs: 100 });
    const b = await cluster.start({ clusterPollIntervalMs: 100 });
    const onA: string[] = [];
    a.clusterMessaging.registerListener('galera', (m) => onA.push(m.payload));
    // A Galera node hands out ids offset + 3k: two ids of three never exist. 1,200 such messages
    // (more than one poll reads) arrive at once, as from a busy node behind another Galera node.
    const db = b.db as Database;
    // Both starts and a's answer to b's are written first: an answer inserted between the rows
    // below would take an id they use (PostgreSQL's sequence knows nothing of explicit ids).
    await waitFor(async () => Number((await db.query<{ N: number }>('SELECT COUNT(*) AS N FROM HOST_CLUSTER_MESSAGE WHERE CHANNEL = ?', [NODE_CONFIG_CHANNEL]))[0].N) >= 3,
      2000, 'the settings announced at start and answered');
    const [{ MAX_ID: max }] = await db.query<{ MAX_ID: number | null }>('SELECT MAX(ID) AS MAX_ID FROM HOST_CLUSTER_MESSAGE');
    const base = Number(max ?? 0) + 1;
    const rows = Array.from({ length: 1200 }, (_, i) => [base + 3 * i, 'galera', `g${i}`, 'galera-node', Date.now()] as const);
    for (let i = 0; i < rows.length; i += 200) {
      const chunk = rows.slice(i, i + 200);
      await db.execute(`INSERT INTO HOST_CLUSTER_MESSAGE (ID, CHANNEL, PAYLOAD, FROM_NODE, CREATED) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?)').join(', ')}`,
        chunk.flat());
    }
    if (db.dialect === 'postgres') await db.query("SELECT setval(pg_get_serial_sequence('host_cluster_message', 'id'), (SELECT MAX(id) FROM host_cluster_message))");
    await waitFor(() => onA.length === 1200, 2000, 'the 1,200 messages with gaps');
    // A message sent afterwards is not held up by the gaps before it.
    await b.clusterMessaging.send('galera', 'after');
    await waitFor(() => onA.includes('after'), 1000, 'the message after the gaps');
    expect(onA.filter((p) => p === 'after')).to.have.length(1);
    // A row that commits late inside a gap (its insert began before the row above it) is still delivered.
    const insert = (id: number, payload: string) => db.execute(
      'INSERT INTO HOST_CLUSTER_MESSAGE (ID, CHANNEL, PAYLOAD, FROM_NODE, CREATED) VALUES (?, ?, ?, ?, ?)', [id, 'galera', payload, 'galera-node', Date.now()]);
    const [{ MAX_ID: top }] = await db.query<{ MAX_ID: number }>('SELECT MAX(ID) AS MAX_ID FROM HOST_CLUSTER_MESSAGE');
    await insert(Number(top) + 3, 'above the gap');
    await waitFor(() => onA.includes('above the gap'), 1000, 'the row above the gap');
    await insert(Number(top) + 1, 'late');
    await waitFor(() => onA.includes('late'), 1000, 'the late commit inside the gap');
  });

  it('should report itself behind once it has not read the log for longer than its lag limit, and resync when it reads it again', async () => {
    const a = await cluster.start({ clusterPollIntervalMs: 100, clusterMaxLagMs: 1000 });
    let resyncs = 0;
    a.clusterMessaging.registerResyncListener(() => { resyncs++; });
    await waitFor(() => a.clusterMessaging.isCurrent(), 1000, 'current after start');
    await new Promise((r) => setTimeout(r, 400));
    expect(resyncs, 'no resync while it keeps up').to.equal(0);
    // No poll can run while the event loop is held: the node falls behind.
    const until = Date.now() + 1300;
    while (Date.now() < until) { /* hold the event loop */ }
    expect(a.clusterMessaging.isCurrent()).to.equal(false);
    await waitFor(() => resyncs === 1, 1000, 'a resync after the next poll');
    // Current again once the resync's reloads (licence and plugin states, clock) are done.
    await waitFor(() => a.clusterMessaging.isCurrent(), 1000, 'current after the resync');
    await new Promise((r) => setTimeout(r, 400));
    expect(resyncs).to.equal(1);
  });

  it('should keep up while a long background write transaction holds the writer (its pruning of the log does not hold up the poll)', async () => {
    // 2026-12-05: on SQLite the poll awaited its hourly housekeeping DELETE, a write, which waits for
    // a background write transaction (a large last-access flush runs one for seconds): the node fell
    // behind its lag limit, every token request got 503 meanwhile, and the resync dropped every cache.
    const a = await cluster.start({ clusterPollIntervalMs: 100 });
    const db = a.db as Database;
    const messaging = new DefaultClusterMessagingService(db, 'pruning-node', 50, silentLogger(), 1000, 0);
    let resyncs = 0;
    messaging.registerResyncListener(() => { resyncs++; });
    await messaging.start();
    try {
      let behind = false;
      await db.backgroundTransaction(async (tx) => {
        await tx.execute('UPDATE HOST_CLUSTER_MESSAGE SET CREATED = CREATED WHERE ID < 0', []);
        for (const until = Date.now() + 2500; Date.now() < until;) {
          await new Promise((r) => setTimeout(r, 50));
          if (!messaging.isCurrent()) behind = true;
        }
      });
      expect(behind, 'fell behind while the background transaction ran').to.equal(false);
      expect(resyncs).to.equal(0);
    } finally {
      await messaging.stop();
    }
  });

  it('should refuse a lag limit outside 1 to 120 seconds', async () => {
    for (const clusterMaxLagMs of [999, 120_001, 1.5e3 + 0.5]) {
      let failed = false;
      try { await cluster.start({ clusterMaxLagMs }); } catch { failed = true; }
      expect(failed, String(clusterMaxLagMs)).to.equal(true);
    }
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
