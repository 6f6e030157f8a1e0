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

/** Cost of each pattern of a `many` set: short patterns, as rules usually have. */
const MANY_CAP = 120;

/** How the budget is spent: a few patterns each as costly as one may be, or as many small patterns as fit. */
export type BudgetShape = 'heavy' | 'many';

/**
 * The largest rule set the budget allows: {@link ADMITTING_RULE} first, then rules that admit
 * nothing the tests request, whose patterns use up the budget until no character more fits:
 * - `heavy`: URL patterns that are long runs of the heavy pieces, each as costly as one pattern
 *   may be (the slowest set to compile that a user can save);
 * - `many`: rules with up to 20 query conditions of short patterns (the most patterns).
 * `tag` makes every pattern of the set distinct from those of other sets (so no cache or
 * de-duplication helps); tags of the same length give sets of the same cost.
 */
export function largestRuleSet(tag: string, shape: BudgetShape = 'heavy', limits: RestrictionLimits = DEFAULT_RESTRICTION_LIMITS): BudgetRuleSet {
  const rules: BudgetRule[] = [ADMITTING_RULE];
  let cost = costOf(ADMITTING_RULE.urlPattern);
  let patterns = 1;
  const next = (prefix: string, unit: string, cap = limits.maxPatternCost): string | null => {
    const left = Math.min(cap, limits.maxSetCost - cost);
    const pattern = longest(prefix, unit, left, limits) ?? longest(prefix, 'x', left, limits);
    if (pattern !== null) {
      cost += costOf(pattern);
      patterns++;
    }
    return pattern;
  };
  for (let i = 0; rules.length < limits.maxRules; i++) {
    const url = shape === 'heavy' ? next(`${tag}r${i}`, HEAVY_UNITS[i % HEAVY_UNITS.length]) : next(`.*/${tag}r${i}`, '[a-z]', MANY_CAP);
    if (url === null) break;
    const rule: BudgetRule = { urlPattern: url };
    rules.push(rule);
    for (let c = 0; shape === 'many' && c < limits.maxConditionsPerRule; c++) {
      const pattern = next(`${tag}c${c}`, c % 2 === 0 ? '[a-z]' : '(?i:[k-p])', MANY_CAP);
      if (pattern === null) break;
      (rule.queryParams ??= []).push({ name: `p${c}`, pattern });
    }
  }
  return { rules, cost, patterns };
}

/** {@link largestRuleSet} plus one more rule: over the budget at that rule (its index is `overAt`). */
export function overBudgetRuleSet(tag: string, shape: BudgetShape = 'heavy', limits: RestrictionLimits = DEFAULT_RESTRICTION_LIMITS): BudgetRuleSet & { overAt: number } {
  const set = largestRuleSet(tag, shape, limits);
  const rules = [...set.rules, { urlPattern: `${tag}over.*` }];
  return { rules, cost: set.cost + costOf(`${tag}over.*`), patterns: set.patterns + 1, overAt: rules.length - 1 };
}
