import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { HostCluster, waitFor } from './hostFixture';

forEachDatabase('DefaultMovableClock and DefaultSessionStore', (kind) => {
  let cluster: HostCluster;

  beforeEach(async () => { cluster = await HostCluster.create(kind); });
  afterEach(async () => { await cluster.cleanup(); });

  it('should move the clock on every node and keep the offset across restarts', async () => {
    const a = await cluster.start();
    const b = await cluster.start();
    expect(a.clock.getOffsetMillis()).to.equal(0);
    const day = 86_400_000;
    await a.clock.setOffsetMillis(day);
    expect(a.clock.getOffsetMillis()).to.equal(day);
    expect(a.clock.now() - Date.now()).to.be.within(day - 5000, day + 5000);
    await waitFor(() => b.clock.getOffsetMillis() === day, 1000, 'the offset on node 2');
    const c = await cluster.start();
    expect(c.clock.getOffsetMillis()).to.equal(day);
    let thrown: unknown;
    try { await a.clock.setOffsetMillis(1.5); } catch (err) { thrown = err; }
    expect(thrown).to.be.instanceOf(RangeError);
  });

  it('should create sessions with random 32-byte ids that every node can read', async () => {
    const a = await cluster.start();
    const b = await cluster.start();
    const id = await a.sessions.create('admin');
    expect(id).to.match(/^[0-9a-f]{64}$/);
    expect(await a.sessions.create('admin')).not.to.equal(id);
    const seen = await b.sessions.get(id);
    expect(seen?.userKey).to.equal('admin');
    expect(seen?.xsrfToken).to.match(/^[0-9a-f]{40}$/);
    await b.sessions.destroy(id);
    expect(await a.sessions.get(id)).to.equal(null);
    expect(await a.sessions.get('not-a-session')).to.equal(null);
  });

  it('should expire sessions that were idle for too long', async () => {
    const a = await cluster.start();
    const id = await a.sessions.create('admin');
    await a.clock.setOffsetMillis(30 * 86_400_000);
    expect(await a.sessions.get(id)).to.equal(null);
  });

  it('should end a session at its absolute limit however often it is used (a stolen cookie kept alive)', async () => {
    const a = await cluster.start();
    const id = await a.sessions.create('admin');
    const day = 86_400_000;
    for (const offset of [6, 12]) {
      await a.clock.setOffsetMillis(offset * day);
      expect(await a.sessions.get(id), `day ${offset}`).not.to.equal(null);
    }
    await a.clock.setOffsetMillis(15 * day);
    expect(await a.sessions.get(id)).to.equal(null);
    // Gone from the table too: the clock going back does not revive it.
    await a.clock.setOffsetMillis(0);
    expect(await a.sessions.get(id)).to.equal(null);
  });

  it('should not let a session signed in while the clock was ahead outlive its limit once the clock is back', async () => {
    // A login during testing with the clock a year ahead (or on a dev-mode node of the cluster
    // whose clock is): its CREATED lies a year ahead of real time.
    const a = await cluster.start();
    const day = 86_400_000;
    await a.clock.setOffsetMillis(365 * day);
    const id = await a.sessions.create('admin');
    await a.clock.setOffsetMillis(0);
    expect(await a.sessions.get(id)).to.equal(null);
    // A node whose clock is a little behind the one that signed the user in still takes it.
    await a.clock.setOffsetMillis(60_000);
    const fresh = await a.sessions.create('admin');
    await a.clock.setOffsetMillis(0);
    expect(await a.sessions.get(fresh)).to.not.equal(null);
  });
});
