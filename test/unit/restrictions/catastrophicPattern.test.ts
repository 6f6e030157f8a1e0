import { expect } from 'chai';
import { compileSafePattern } from '../../../plugin/restrictions';
import { compiled, outcome, request } from './fixtures';

// A backtracking engine needs about 2^n steps for (a+)+$ on n a's followed by a b; RE2 is linear.
// Correctness only here; the timings are in docs/adr/0001-regex-engine.md.
describe('SafePattern (catastrophic patterns)', () => {
  const evil = 'a'.repeat(50_000) + 'b';

  it('should answer (a+)+$ on 50,000 a followed by b', () => {
    const r = compileSafePattern('(a+)+$', { maxInputLength: 60_000, workBudget: Number.MAX_SAFE_INTEGER });
    if (!r.ok) return expect.fail('should compile');
    expect(r.pattern.fullMatch(evil)).to.equal(false);
    expect(r.pattern.fullMatch('a'.repeat(50_000))).to.equal(true);
  });

  it('should answer nested-quantifier patterns in rules without stalling', () => {
    const c = compiled('.*[QueryParam::q==(a|aa)+][JsonData::v==(x+x+)+y]', { maxMatchInputLength: 60_000, matchWorkBudget: 1_000_000, evaluationWorkBudget: 4_000_000 });
    expect(outcome(c, request({ query: { q: evil }, body: { v: 'x'.repeat(5000) + 'y' } }))).to.equal('NO_RULE_MATCHED');
    expect(outcome(c, request({ query: { q: 'a'.repeat(50_000) }, body: { v: 'x'.repeat(50_000) + 'y' } }))).to.equal('ALLOWED');
  });
});
