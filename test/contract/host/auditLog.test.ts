import { expect } from 'chai';
import type { AuditEvent } from '../../../host-sim/spi';
import { forEachDatabase } from '../../support/databases';
import { HostCluster } from './hostFixture';

forEachDatabase('DefaultAuditLog', (kind) => {
  let cluster: HostCluster;

  beforeEach(async () => { cluster = await HostCluster.create(kind); });
  afterEach(async () => { await cluster.cleanup(); });

  it('should record an event with every field and return it', async () => {
    const rt = await cluster.start();
    const event: AuditEvent = {
      action: 'token.created', summary: 'API token created', category: 'API tokens',
      author: { key: 'admin', name: 'admin' },
      affectedObjects: [{ type: 'API token', id: '42', name: 'CI token' }],
      changedValues: [{ key: 'Expiry', from: '', to: '2027-01-01' }],
      attributes: { scope: 'read' }, sourceIp: '127.0.0.1', method: 'Browser', timestamp: 1_700_000_000_000,
    };
    await rt.audit.record(event);
    const { events, total } = await rt.audit.query({ offset: 0, limit: 10 });
    expect(total).to.equal(1);
    expect(events[0]).to.deep.equal({ ...event, id: events[0].id, nodeId: 'node-1' });
  });

  it('should store a batch in one statement and page newest first with a total', async () => {
    const rt = await cluster.start();
    const batch: AuditEvent[] = Array.from({ length: 25 }, (_, i) => ({
      action: i % 5 === 0 ? 'token.revoked' : 'token.used', summary: `event ${i}`, category: 'API tokens', author: null, timestamp: 1000 + i,
    }));
    const before = rt.db.statementCounts().writes;
    await rt.audit.recordAll(batch);
    expect(rt.db.statementCounts().writes - before).to.equal(1);
    const first = await rt.audit.query({ offset: 0, limit: 10 });
    expect(first.total).to.equal(25);
    expect(first.events.map((e) => e.summary)).to.deep.equal(Array.from({ length: 10 }, (_, i) => `event ${24 - i}`));
    expect(first.events[0].author).to.equal(null);
    const last = await rt.audit.query({ offset: 20, limit: 10 });
    expect(last.events.map((e) => e.timestamp)).to.deep.equal([1004, 1003, 1002, 1001, 1000]);
    const revoked = await rt.audit.query({ offset: 0, limit: 50, action: 'token.revoked', from: 1005, to: 1020 });
    expect(revoked.total).to.equal(4);
    expect(revoked.events.map((e) => e.timestamp)).to.deep.equal([1020, 1015, 1010, 1005]);
  });

  it('should default the timestamp to the host clock', async () => {
    const rt = await cluster.start();
    await rt.clock.setOffsetMillis(-86_400_000);
    const now = rt.clock.now();
    await rt.audit.record({ action: 'a', summary: 's', category: 'c', author: null });
    const [event] = (await rt.audit.query({ offset: 0, limit: 1 })).events;
    expect(Math.abs(event.timestamp - now)).to.be.below(60_000);
  });
});
