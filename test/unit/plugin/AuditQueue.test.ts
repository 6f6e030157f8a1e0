import { expect } from 'chai';
import type { AuditEvent } from '../../../host-sim/spi';
import { AuditQueue } from '../../../plugin/service/AuditQueue';
import { TokenUseAuditSampler } from '../../../plugin/service/TokenUseAuditSampler';
import { createCapturingLogger, FakeAuditService } from '../../support/spi-fakes';

const event = (n: number): AuditEvent => ({ action: 'token.used', summary: `s${n}`, category: 'API tokens', author: null });

describe('AuditQueue', () => {
  it('should write queued events in batches and flush on close', async () => {
    const audit = new FakeAuditService();
    const q = new AuditQueue(audit, createCapturingLogger().logger, { capacity: 100, batchSize: 10, flushIntervalMs: 60000 });
    for (let i = 0; i < 25; i++) q.enqueue(event(i));
    await q.close();
    expect(audit.events).to.have.length(25);
    expect(audit.batches).to.equal(3);
  });

  it('should stay bounded and keep events when the audit log is down', async () => {
    const audit = new FakeAuditService();
    const q = new AuditQueue(audit, createCapturingLogger().logger, { capacity: 5, batchSize: 100, flushIntervalMs: 60000 });
    audit.available = false;
    for (let i = 0; i < 8; i++) q.enqueue(event(i));
    expect(q.size).to.equal(5);
    await q.flush();
    expect(q.size).to.equal(5);
    audit.available = true;
    await q.close();
    expect(audit.events.map((e) => e.summary)).to.deep.equal(['s0', 's1', 's2', 's3', 's4']);
  });
});

describe('TokenUseAuditSampler', () => {
  it('should audit the first use per token and IP per hour when sampled', () => {
    const s = new TokenUseAuditSampler();
    expect(s.shouldAudit('sampled', 1, 'a', 0)).to.equal(true);
    expect(s.shouldAudit('sampled', 1, 'a', 1000)).to.equal(false);
    expect(s.shouldAudit('sampled', 1, 'b', 1000)).to.equal(true);
    expect(s.shouldAudit('sampled', 2, 'a', 1000)).to.equal(true);
    expect(s.shouldAudit('sampled', 1, 'a', 3600000)).to.equal(true);
  });

  it('should audit every use for all and none for off', () => {
    const s = new TokenUseAuditSampler();
    expect([1, 2, 3].map((t) => s.shouldAudit('all', 1, 'a', t))).to.deep.equal([true, true, true]);
    expect(s.shouldAudit('off', 9, 'a', 0)).to.equal(false);
  });
});
