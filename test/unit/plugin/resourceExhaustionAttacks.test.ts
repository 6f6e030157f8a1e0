// Attack review (2026-12-04): resource exhaustion, the in-memory structures one at a time. Each test feeds a
// structure keyed or sized by attacker-chosen values with many distinct values and asserts on the
// size the structure reports (never on timings). A test that fails is a finding (marked
// `// FINDING:`, each fixed since and kept red on the code before its fix), a test that passes a
// bound confirmed.
import { expect } from 'chai';
import { CachingRestrictionEvaluator, DEFAULT_COMPILED_RESTRICTIONS_CACHE } from '../../../plugin/restrictions/CachingRestrictionEvaluator';
import { EngineRestrictionSupport } from '../../../plugin/restrictions/EngineRestrictionSupport';
import { MAX_BODY_BYTES } from '../../../plugin/rest/TokenRestRouter';
import { FailedAttemptThrottle } from '../../../plugin/service/FailedAttemptThrottle';
import { TokenUseAuditSampler } from '../../../plugin/service/TokenUseAuditSampler';
import { FakeClock } from '../../support/spi-fakes';

/**
 * A restriction set of about `bytes` characters of stored JSON that passes every parse limit and
 * the compile budget: 255-character header names (free of compile cost) with the cheap pattern
 * `.*`, made distinct by `n`.
 */
function bulkyRestrictions(n: number, bytes: number): { rules: Array<{ urlPattern: string; headers: Array<{ name: string; pattern: string }> }> } {
  const perCondition = 255 + 30;
  const conditions = Math.floor(bytes / perCondition);
  const rules: Array<{ urlPattern: string; headers: Array<{ name: string; pattern: string }> }> = [];
  for (let c = 0; c < conditions; c++) {
    if (c % 20 === 0) rules.push({ urlPattern: `.*/rest/api/2/issue/P${n}-.*`, headers: [] });
    const name = `X-${n}-${c}-`.padEnd(255, 'h');
    rules[rules.length - 1].headers.push({ name, pattern: '.*' });
  }
  return { rules };
}

describe('Resource exhaustion (attack review, unit)', () => {
  // FINDING: the compiled restrictions are kept per node by count (10,000), not by size, and each
  // save (create or PATCH, by any user allowed tokens) puts its set in: one user PATCHing one token
  // with distinct sets of ~60 KB (within the body limit) keeps 10,000 × ~60 KB of JSON keys alone
  // (~600 MB, plus the compiled forms with their names) on the node, where the credential
  // cache beside it is held to a memory budget (256 MiB, docs: apitokenauth.tokenCache.maxMiB).
  it('should hold the compiled restrictions to a memory budget, not only to a number of sets', function () {
    this.timeout(60_000);
    const evaluator = new CachingRestrictionEvaluator(new EngineRestrictionSupport(''));
    // Sets of ~60 KB, as the finding had them (the body limit, 1 MB, and the rules' input limit, 256 KiB, allow larger).
    const setBytes = Math.min(MAX_BODY_BYTES, 64 * 1024) - 4096;
    const sets = 600;
    let storedBytes = 0;
    for (let n = 0; n < sets; n++) {
      const outcome = evaluator.parse(bulkyRestrictions(n, setBytes), undefined);
      expect(outcome.ok, JSON.stringify(outcome).slice(0, 300)).to.equal(true);
      if (outcome.ok && outcome.json !== null) storedBytes = outcome.json.length;
    }
    expect(storedBytes, 'each set is about the size meant').to.be.above(setBytes * 0.9);
    // A budget as generous as the credential cache's share per set: 16 MiB of stored JSON for
    // this test's 600 sets (what 10,000 sets would keep in proportion is ~600 MB).
    const budget = 16 * 1024 * 1024;
    expect(evaluator.size * storedBytes, `${evaluator.size} sets of ${storedBytes} characters kept (count bound ${DEFAULT_COMPILED_RESTRICTIONS_CACHE})`)
      .to.be.at.most(budget);
  });

  // FINDING (the unit behind the e2e test of `token used` events): the sampler keys a token's
  // further IPs by the exact address, so a token used from every address of one IPv6 /64 is
  // audited on every request, and each address costs a `tokenId|ip` entry (up to 2,000,000).
  it('should sample a token used from many addresses of one IPv6 /64 as one client', () => {
    const sampler = new TokenUseAuditSampler();
    let audited = 0;
    const t0 = 1_700_000_000_000;
    for (let i = 0; i < 1000; i++) {
      if (sampler.shouldAudit('sampled', 42, `2001:db8:5:6::${(i + 1).toString(16)}`, t0 + i)) audited++;
    }
    expect(audited, '1,000 uses within a second from one /64').to.equal(1);
    expect(sampler.size, 'pairs remembered').to.equal(1);
    // Another /64, and an IPv4 client, are other clients.
    expect(sampler.shouldAudit('sampled', 42, '2001:db8:5:7::1', t0 + 2000)).to.equal(true);
    expect(sampler.shouldAudit('sampled', 42, '192.0.2.1', t0 + 2000)).to.equal(true);
    expect(sampler.shouldAudit('sampled', 42, '::ffff:192.0.2.1', t0 + 2000)).to.equal(false);
  });

  // ---- bounds that held ---------------------------------------------------------------------------

  it('should keep one throttle counter for every address of one IPv6 /64 (and one each for its /56 and /48), and at most 100,000 in all', () => {
    const t = new FailedAttemptThrottle(new FakeClock(0), 100);
    for (let i = 0; i < 5000; i++) t.recordFailure(`2001:db8:1:2:${(i % 65536).toString(16)}:${i}::1`, null);
    expect(t.trackedKeys()).to.equal(3);
    for (let i = 0; i < 120_000; i++) t.recordFailure(`2001:db8:${(i >>> 16).toString(16)}:${(i & 0xffff).toString(16)}::1`, null);
    expect(t.trackedKeys()).to.equal(100_000);
  });

  it('should forget the oldest sampling pairs once its bound is reached, never grow past it', () => {
    const sampler = new TokenUseAuditSampler(10_000);
    const t0 = 1_700_000_000_000;
    for (let i = 0; i < 30_000; i++) sampler.shouldAudit('sampled', i % 7, `10.${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}`, t0 + i);
    expect(sampler.size).to.be.at.most(10_000);
  });
});
