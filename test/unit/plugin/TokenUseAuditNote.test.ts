// The token-use audit sampler reads a credential's note of its last audited use before its own
// maps (plugin/ao/Token.ts AuditNote): the same decisions, fewer lookups in maps of every token.
import { expect } from 'chai';
import fc from 'fast-check';
import type { AuditNote } from '../../../plugin/ao/Token';
import { TokenUseAuditSampler } from '../../../plugin/service/TokenUseAuditSampler';

const HOUR = 3_600_000;
const freshNote = (): AuditNote => ({ auditNotedBy: null, auditedIp: '', auditedAt: 0 });

describe('TokenUseAuditSampler with a credential note', () => {
  it('should decide every use as it does without notes while it forgets nothing', () => {
    // Mostly minutes apart, now and then an hour or more, now and then the clock set back.
    const step = fc.oneof(fc.integer({ min: 0, max: 20 * 60_000 }), fc.integer({ min: HOUR - 60_000, max: 2 * HOUR }), fc.integer({ min: -120_000, max: -1 }));
    // IPv6 /64s of one /48 as well, whose audits its /56 and /48 count (attack review 24).
    const ip = fc.constantFrom('a', 'b', '2001:db8:4a:1::1', '2001:db8:4a:1::2', '2001:db8:4a:2::1', '2001:db8:4a:3::1', '2001:db8:4a:101::1', '2001:db8:4a:202::1', '2001:db8:4b::1');
    const use = fc.record({ token: fc.integer({ min: 1, max: 3 }), ip, step });
    fc.assert(fc.property(fc.array(use, { minLength: 1, maxLength: 60 }), (uses) => {
      const plain = new TokenUseAuditSampler();
      const noted = new TokenUseAuditSampler();
      const notes = new Map<number, AuditNote>();
      let now = 1_764_000_000_000;
      for (const u of uses) {
        now += u.step;
        let note = notes.get(u.token);
        if (!note) notes.set(u.token, note = freshNote());
        expect(noted.shouldAudit('sampled', u.token, u.ip, now, note)).to.equal(plain.shouldAudit('sampled', u.token, u.ip, now));
      }
    }), { numRuns: 500 });
  });

  it('should take the note instead of its maps within the hour after the audit it records', () => {
    const s = new TokenUseAuditSampler(1);
    const note = freshNote();
    expect(s.shouldAudit('sampled', 1, 'a', 0, note)).to.equal(true);
    expect(s.shouldAudit('sampled', 2, 'a', 1000)).to.equal(true); // full: the pair of token 1 is forgotten
    expect(s.shouldAudit('sampled', 1, 'a', 2000, note)).to.equal(false);
    expect(s.shouldAudit('sampled', 1, 'b', 3000, note)).to.equal(true); // another IP
    expect(s.shouldAudit('sampled', 1, 'b', 4000, note)).to.equal(false);
    expect(s.shouldAudit('sampled', 1, 'b', 3000 + HOUR, note)).to.equal(true); // an hour later
    expect(s.shouldAudit('sampled', 1, 'b', 2000 + HOUR, note)).to.equal(true); // the clock set back
  });

  it('should note when the pair was audited, not when it was last used, after reading its maps', () => {
    const s = new TokenUseAuditSampler();
    const note = freshNote();
    expect(s.shouldAudit('sampled', 1, 'a', 0, note)).to.equal(true);
    expect(s.shouldAudit('sampled', 1, 'b', 60_000, note)).to.equal(true); // the note moves to b
    expect(s.shouldAudit('sampled', 1, 'a', 30 * 60_000, note)).to.equal(false); // a's audit was at 0
    expect(s.shouldAudit('sampled', 1, 'a', HOUR + 1000, note)).to.equal(true);
  });

  it('should not trust a note another sampler wrote (its seconds count from its own start)', () => {
    const note = freshNote();
    expect(new TokenUseAuditSampler().shouldAudit('sampled', 1, 'a', 1_764_000_000_000, note)).to.equal(true);
    expect(new TokenUseAuditSampler().shouldAudit('sampled', 1, 'a', 1_764_000_001_000, note)).to.equal(true);
  });

  it('should sample a user-less token per user it acts as, a row\'s note of the client not standing for them', () => {
    const s = new TokenUseAuditSampler();
    const note: AuditNote = { auditNotedBy: null, auditedIp: '10.0.0.1', auditedAt: 1_764_000_000_000 };
    expect(s.shouldAudit('sampled', 1, '10.0.0.1', 1_764_000_060_000, note, 'alice')).to.equal(true);
    expect(s.shouldAudit('sampled', 1, '10.0.0.1', 1_764_000_120_000, note, 'bob')).to.equal(true);
    expect(s.shouldAudit('sampled', 1, '10.0.0.1', 1_764_000_180_000, note, 'alice')).to.equal(false);
    expect(s.shouldAudit('sampled', 1, '10.0.0.1', 1_764_000_240_000, note, 'bob')).to.equal(false);
    expect(s.shouldAudit('sampled', 1, '10.0.0.2', 1_764_000_300_000, note, 'bob')).to.equal(true);
  });

  it('should leave the note alone for all and off', () => {
    const s = new TokenUseAuditSampler();
    const note = freshNote();
    expect(s.shouldAudit('all', 1, 'a', 0, note)).to.equal(true);
    expect(s.shouldAudit('off', 1, 'a', 0, note)).to.equal(false);
    expect(note.auditNotedBy).to.equal(null);
  });
});
