// Rule sets at the edge of the restrictions compile budget (docs/restrictions.md, "Compile
// budget"), built with the engine's own cost function so that they stay at the edge whatever the
// weights: the largest set a user may save, and the same set plus one pattern.
import { compileSource, DEFAULT_RESTRICTION_LIMITS, patternCost, sourceCost, type RestrictionLimits } from '../../plugin/restrictions';

export interface BudgetRule {
  method?: string;
  urlPattern: string;
  queryParams?: Array<{ name: string; pattern: string }>;
}

export interface BudgetRuleSet {
  readonly rules: BudgetRule[];
  /** Summed compile cost of all patterns. */
  readonly cost: number;
  readonly patterns: number;
}

/**
 * Pieces whose compile time per cost unit was the highest measured (Unicode classes, negated
 * and case-folded; case-folded ranges; case-folded Perl classes): a set of them at the budget is
 * the slowest set a user can save.
 */
const HEAVY_UNITS = ['[^\\pL]', '(?i:[^\\pL])', '(?i:\\w)', '(?i:[\\x{100}-\\x{2000}])', '(?i:\\p{Lu})'];

/** The first rule, which admits the requests the tests make. */
export const ADMITTING_RULE: BudgetRule = { method: 'GET', urlPattern: '.*/rest/api/2/(myself|issue/TEST-1)' };

export function costOf(pattern: string): number {
  const result = compileSource(pattern);
  if (!result.ok) throw new Error(`not a pattern: ${pattern}`);
  return patternCost(pattern, result.compiled.programSize);
}

/** The longest repetition of `unit` after `tag` whose cost is at most `maxCost` (null if not even one fits). */
function longest(tag: string, unit: string, maxCost: number, limits: RestrictionLimits): string | null {
  let lo = 1;
  let hi = Math.floor((limits.maxPatternLength - tag.length) / unit.length);
  let best: string | null = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const pattern = tag + unit.repeat(mid);
    if (sourceCost(pattern) <= maxCost && costOf(pattern) <= maxCost) {
      best = pattern;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return best;
}

/**
 * The largest rule set the budget allows: {@link ADMITTING_RULE} first, then rules whose URL
 * patterns are long runs of heavy pieces (each as costly as one pattern may be), the last one
 * filled up with literal characters until no character more fits. `tag` makes every pattern of
 * the set distinct from those of other sets (so no cache or de-duplication helps).
 */
export function largestRuleSet(tag: string, limits: RestrictionLimits = DEFAULT_RESTRICTION_LIMITS): BudgetRuleSet {
  const rules: BudgetRule[] = [ADMITTING_RULE];
  let cost = costOf(ADMITTING_RULE.urlPattern);
  for (let i = 0; rules.length < limits.maxRules; i++) {
    const left = Math.min(limits.maxPatternCost, limits.maxSetCost - cost);
    const pattern = longest(`${tag}r${i}`, HEAVY_UNITS[i % HEAVY_UNITS.length], left, limits) ?? longest(`${tag}r${i}`, 'x', left, limits);
    if (pattern === null) break;
    rules.push({ urlPattern: pattern });
    cost += costOf(pattern);
  }
  return { rules, cost, patterns: rules.length };
}

/** {@link largestRuleSet} plus one more rule: over the budget at that rule (its index is `overAt`). */
export function overBudgetRuleSet(tag: string, limits: RestrictionLimits = DEFAULT_RESTRICTION_LIMITS): BudgetRuleSet & { overAt: number } {
  const set = largestRuleSet(tag, limits);
  const rules = [...set.rules, { urlPattern: `${tag}over.*` }];
  return { rules, cost: set.cost + costOf(`${tag}over.*`), patterns: set.patterns + 1, overAt: rules.length - 1 };
}
