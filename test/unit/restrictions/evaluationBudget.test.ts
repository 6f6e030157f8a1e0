import { expect } from 'chai';
import { DEFAULT_EVALUATION_WORK_BUDGET } from '../../../plugin/restrictions';
import { compiled, outcome, request } from './fixtures';

describe('CompiledRestrictions (per-request work budget)', () => {
  it('should refuse with EVALUATION_TOO_COSTLY when many costly rules would scan a long path', () => {
    const rules = Array.from({ length: 50 }, (_, i) => `.*a.{100}x${i}`);
    const c = compiled(rules);
    expect(DEFAULT_EVALUATION_WORK_BUDGET).to.be.greaterThan(0);
    // Each match fits the per-match bound (P ≈ 105 × 2,001 characters), fifty of them do not.
    expect(outcome(c, request({ path: '/' + 'a'.repeat(2000) }))).to.equal('EVALUATION_TOO_COSTLY');
  });

  it('should still allow when a rule matches before the budget is spent', () => {
    const rules = ['.*a.{100}', ...Array.from({ length: 49 }, (_, i) => `.*a.{100}x${i}`)];
    expect(outcome(compiled(rules), request({ path: '/' + 'a'.repeat(2000) }))).to.equal('ALLOWED');
  });

  it('should answer normally for requests within the budget', () => {
    const c = compiled(['.*/a', '.*/b'], { evaluationWorkBudget: 1000 });
    expect(outcome(c, request({ path: '/b' }))).to.equal('ALLOWED');
    expect(outcome(c, request({ path: '/c' }))).to.equal('NO_RULE_MATCHED');
    expect(outcome(c, request({ path: '/' + 'c'.repeat(500) }))).to.equal('EVALUATION_TOO_COSTLY');
  });

  it('should bound the work of one request so that it cannot hold the event loop for long', () => {
    // Patterns that defeat RE2's DFA fall back to the NFA, about 50–75 ns per unit of work.
    const rules = Array.from({ length: 8 }, (_, i) => `[GET].*[Header::X-H${i}==.*a.{200}c]`);
    const headers = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`x-h${i}`, 'ab'.repeat(600)]));
    let best = Infinity;
    for (let i = 0; i < 3; i++) {
      const c = compiled(rules);
      const started = performance.now();
      expect(outcome(c, request({ headers }))).to.be.oneOf(['NO_RULE_MATCHED', 'EVALUATION_TOO_COSTLY']);
      best = Math.min(best, performance.now() - started);
    }
    expect(DEFAULT_EVALUATION_WORK_BUDGET).to.be.at.most(1_000_000);
    // About 15 ms on the reference machine (docs/restrictions.md); 4,000,000 took about 250 ms.
    expect(best).to.be.below(150);
  });
});
