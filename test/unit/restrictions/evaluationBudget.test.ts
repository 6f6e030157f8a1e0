import { expect } from 'chai';
import { DEFAULT_EVALUATION_WORK_BUDGET } from '../../../plugin/restrictions';
import { compiled, outcome, request } from './fixtures';

describe('CompiledRestrictions (per-request work budget)', () => {
  it('should refuse with EVALUATION_TOO_COSTLY when many costly rules would scan a long path', () => {
    const rules = Array.from({ length: 50 }, (_, i) => `.*a.{100}x${i}`);
    const c = compiled(rules);
    expect(DEFAULT_EVALUATION_WORK_BUDGET).to.be.greaterThan(0);
    expect(outcome(c, request({ path: '/' + 'a'.repeat(8000) }))).to.equal('EVALUATION_TOO_COSTLY');
  });

  it('should still allow when a rule matches before the budget is spent', () => {
    const rules = ['.*a.{100}', ...Array.from({ length: 49 }, (_, i) => `.*a.{100}x${i}`)];
    expect(outcome(compiled(rules), request({ path: '/' + 'a'.repeat(8000) }))).to.equal('ALLOWED');
  });

  it('should answer normally for requests within the budget', () => {
    const c = compiled(['.*/a', '.*/b'], { evaluationWorkBudget: 1000 });
    expect(outcome(c, request({ path: '/b' }))).to.equal('ALLOWED');
    expect(outcome(c, request({ path: '/c' }))).to.equal('NO_RULE_MATCHED');
    expect(outcome(c, request({ path: '/' + 'c'.repeat(500) }))).to.equal('EVALUATION_TOO_COSTLY');
  });
});
