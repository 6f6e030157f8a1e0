import { expect } from 'chai';
import type { Database } from '../../../host-sim/impl/db/Database';
import { forEachDatabase } from '../../support/databases';
import { HostCluster } from './hostFixture';

forEachDatabase('DefaultClusterLockService', (kind) => {
  let cluster: HostCluster;

  beforeEach(async () => { cluster = await HostCluster.create(kind); });
  afterEach(async () => { await cluster.cleanup(); });

  it('should let exactly one of several nodes take a free lock', async () => {
    const nodes = [await cluster.start(), await cluster.start(), await cluster.start()];
    const locks = await Promise.all(nodes.map((n) => n.clusterLocks.tryLock('race')));
    expect(locks.filter(Boolean)).to.have.length(1);
    expect(await nodes[0].clusterLocks.tryLock('race')).to.equal(null);
    await locks.find(Boolean)!.unlock();
    const again = await nodes[2].clusterLocks.tryLock('race');
    expect(again).not.to.equal(null);
    await again!.unlock();
  });

  it('should free the lock of a holder whose lease ran out (a dead node)', async () => {
    const a = await cluster.start();
    const b = await cluster.start();
    const held = await a.clusterLocks.tryLock('lease', 60_000);
    expect(held).not.to.equal(null);
    expect(await b.clusterLocks.tryLock('lease')).to.equal(null);
    // Simulate node 1 dying an hour ago: its lease is in the past.
    await (a.db as Database).execute('UPDATE HOST_CLUSTER_LOCK SET LEASE_UNTIL = ? WHERE LOCK_NAME = ?', [Date.now() - 1, 'lease']);
    const taken = await b.clusterLocks.tryLock('lease');
    expect(taken).not.to.equal(null);
    // The dead holder's late unlock must not release the new holder's lock.
    await held!.unlock();
    expect(await a.clusterLocks.tryLock('lease')).to.equal(null);
    await taken!.unlock();
  });

  it('should run withLock bodies only when the lock was free and release it afterwards', async () => {
    const a = await cluster.start();
    const b = await cluster.start();
    const outer = await a.clusterLocks.withLock('job', async () => b.clusterLocks.withLock('job', async () => 'inner'));
    expect(outer).to.deep.equal({ ran: true, value: { ran: false } });
    expect(await b.clusterLocks.withLock('job', async () => 42)).to.deep.equal({ ran: true, value: 42 });
    let thrown: unknown;
    try { await a.clusterLocks.withLock('job', async () => { throw new Error('boom'); }); } catch (err) { thrown = err; }
    expect((thrown as Error).message).to.equal('boom');
    expect(await b.clusterLocks.withLock('job', async () => 'free again')).to.deep.equal({ ran: true, value: 'free again' });
  });
});
