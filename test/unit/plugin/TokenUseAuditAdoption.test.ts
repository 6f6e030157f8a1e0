// A credential read from its row carries the last audit any node wrote for the token (AuditNote
// with no sampler yet: IP and epoch ms). The sampler takes it over for a pair it holds nothing of,
// so that "the first use per token and IP per hour" holds for the cluster and across restarts.
import { expect } from 'chai';
import type { AuditNote } from '../../../plugin/ao/Token';
import { TokenUseAuditSampler } from '../../../plugin/service/TokenUseAuditSampler';

const HOUR = 3_600_000;
const T0 = 1_764_000_000_000;
const fromRow = (ip: string, at: number): AuditNote => ({ auditNotedBy: null, auditedIp: ip, auditedAt: at });

describe('TokenUseAuditSampler taking over a row\'s audit', () => {
  it('should not audit the same IP within the hour of the audit the row records', () => {
    const s = new TokenUseAuditSampler();
    const note = fromRow('10.0.0.1', T0 - 10 * 60_000);
    expect(s.shouldAudit('sampled', 7, '10.0.0.1', T0, note)).to.equal(false);
    expect(s.shouldAudit('sampled', 7, '10.0.0.1', T0 + 40 * 60_000, note)).to.equal(false);
  });

  it('should audit again once an hour has passed since the row\'s audit, not since its own first sight', () => {
    const s = new TokenUseAuditSampler();
    const note = fromRow('10.0.0.1', T0 - 50 * 60_000);
    expect(s.shouldAudit('sampled', 7, '10.0.0.1', T0, note)).to.equal(false);
    expect(s.shouldAudit('sampled', 7, '10.0.0.1', T0 + 11 * 60_000, note)).to.equal(true);
  });

  it('should audit another IP, an audit an hour old and one dated in the future', () => {
    expect(new TokenUseAuditSampler().shouldAudit('sampled', 7, '10.0.0.2', T0, fromRow('10.0.0.1', T0 - 60_000))).to.equal(true);
    expect(new TokenUseAuditSampler().shouldAudit('sampled', 7, '10.0.0.1', T0, fromRow('10.0.0.1', T0 - HOUR))).to.equal(true);
    expect(new TokenUseAuditSampler().shouldAudit('sampled', 7, '10.0.0.1', T0, fromRow('10.0.0.1', T0 + 60_000))).to.equal(true);
  });

  it('should remember the row\'s pair beside another IP it audits first', () => {
    const s = new TokenUseAuditSampler();
    const note = fromRow('10.0.0.1', T0 - 60_000);
    expect(s.shouldAudit('sampled', 7, '10.0.0.2', T0, note)).to.equal(true);
    expect(s.shouldAudit('sampled', 7, '10.0.0.1', T0 + 1000, note), 'the row\'s IP, after the note moved to the other').to.equal(false);
  });

  it('should keep its own record when it already holds the pair (a credential read again after eviction)', () => {
    const s = new TokenUseAuditSampler();
    expect(s.shouldAudit('sampled', 7, '10.0.0.1', T0, fromRow('', 0))).to.equal(true);
    // The row still shows an older audit (not flushed yet): this node's own, newer one decides.
    expect(s.shouldAudit('sampled', 7, '10.0.0.1', T0 + 30 * 60_000, fromRow('10.0.0.1', T0 - 50 * 60_000))).to.equal(false);
    expect(s.shouldAudit('sampled', 7, '10.0.0.1', T0 + HOUR, fromRow('10.0.0.1', T0 - 50 * 60_000))).to.equal(true);
  });

  it('should take over other pairs of a token it already knows from one IP', () => {
    const s = new TokenUseAuditSampler();
    expect(s.shouldAudit('sampled', 7, '10.0.0.2', T0)).to.equal(true);
    expect(s.shouldAudit('sampled', 7, '10.0.0.1', T0 + 1000, fromRow('10.0.0.1', T0 - 60_000))).to.equal(false);
  });

  it('should leave `all` and `off` as they are', () => {
    const s = new TokenUseAuditSampler();
    expect(s.shouldAudit('all', 7, '10.0.0.1', T0, fromRow('10.0.0.1', T0 - 60_000))).to.equal(true);
    expect(s.shouldAudit('off', 7, '10.0.0.1', T0, fromRow('10.0.0.1', T0 - 60_000))).to.equal(false);
  });
});
