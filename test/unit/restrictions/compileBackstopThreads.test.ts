// The save-time backstop of the compile budget must measure the compile, not the machine: other
// threads of the host process (the libuv pool hashing passwords, a database driver's worker, V8's
// own helpers) were counted, so a busy host refused a rule set well inside the budget with
// COMPILE_BUDGET_EXCEEDED, at a rule that depended on the load (seen in CI: rules[1] instead of
// the over-budget set's rules[7]).
import { expect } from 'chai';
import { Worker } from 'node:worker_threads';
import { EngineRestrictionSupport } from '../../../plugin/restrictions/EngineRestrictionSupport';
import { largestRuleSet, overBudgetRuleSet } from '../../support/restrictionSets';

/** Threads that spin until terminated, each keeping a core busy while it is scheduled. */
async function spinners(n: number): Promise<Worker[]> {
  const workers = Array.from({ length: n }, () => new Worker(
    "require('node:worker_threads').parentPort.postMessage('up'); for (;;) {}", { eval: true }));
  await Promise.all(workers.map((w) => new Promise((resolve) => w.once('message', resolve))));
  return workers;
}

describe('Restriction compile backstop under load from other threads', function () {
  this.timeout(60_000);
  let busy: Worker[] = [];
  before(async () => { busy = await spinners(8); });
  after(async () => { await Promise.all(busy.map((w) => w.terminate())); });

  it('should accept the largest allowed rule sets of both shapes while other threads of the process are busy', () => {
    for (let i = 0; i < 6; i++) {
      for (const shape of ['heavy', 'many'] as const) {
        const { rules } = largestRuleSet(`L${i}${shape[0]}`, shape);
        const outcome = new EngineRestrictionSupport().parse({ rules }, undefined);
        expect(outcome.ok, JSON.stringify(outcome.ok ? null : outcome.errors)).to.equal(true);
      }
    }
  });

  it('should still refuse an over-budget set at the rule where the budget runs out', () => {
    for (let i = 0; i < 6; i++) {
      const over = overBudgetRuleSet(`O${i}`);
      const outcome = new EngineRestrictionSupport().parse({ rules: over.rules }, undefined);
      if (outcome.ok) expect.fail('an over-budget set was accepted');
      expect(Object.keys(outcome.errors)).to.deep.equal([`restrictions.rules[${over.overAt}]`]);
    }
  });
});
