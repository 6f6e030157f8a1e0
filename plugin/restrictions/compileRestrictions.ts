import { createIpAllowlist, IpAllowlist } from './IpAllowlist';
import { parseRestrictions } from './parseRestrictions';
import { headerValue, isCanonicalPath, jsonNodeText, valuesOf } from './requestValues';
import { compileSafePattern, MatchBounds, SafePattern } from './SafePattern';
import {
  CompiledRestrictions,
  DEFAULT_EVALUATION_WORK_BUDGET,
  RestrictedRequest,
  RestrictionDecision,
  RestrictionError,
  RestrictionLimits,
  RestrictionRule,
  TokenRestrictions,
} from './types';

/** Options of `compileRestrictions`. */
export interface CompileOptions {
  /**
   * The host's context path (e.g. `/jira`). When set, a URL pattern also admits a request if it
   * matches the context path followed by the path, so rules written against full URLs work.
   */
  contextPath?: string;
  /** Inputs longer than this never match (default 8,192). */
  maxMatchInputLength?: number;
  /** Program size × input length bound per match (default DEFAULT_MATCH_WORK_BUDGET). */
  matchWorkBudget?: number;
  /** Bound of the same measure summed over one request (default DEFAULT_EVALUATION_WORK_BUDGET). */
  evaluationWorkBudget?: number;
  /** Limits for the re-validation of the stored value (default: the parse defaults). */
  limits?: Partial<RestrictionLimits>;
}

interface CompiledCondition {
  key: string;
  /** JSON path steps, for body conditions. */
  steps: string[];
  pattern: SafePattern;
}

interface CompiledRule {
  method?: string;
  url: SafePattern;
  query: CompiledCondition[];
  body: CompiledCondition[];
  headers: CompiledCondition[];
}

const ALLOWED: RestrictionDecision = Object.freeze({ allowed: true });

/** Pattern already validated by parseRestrictions, so compiling cannot fail here. */
function mustCompile(source: string, bounds: MatchBounds): SafePattern {
  const r = compileSafePattern(source, bounds);
  if (!r.ok) throw new Error(`pattern became invalid after validation: ${r.code}`);
  return r.pattern;
}

function compileRule(rule: RestrictionRule, bounds: MatchBounds): CompiledRule {
  const cond = (key: string, pattern: string, steps: string[] = []) => ({ key, steps, pattern: mustCompile(pattern, bounds) });
  return {
    method: rule.method,
    url: mustCompile(rule.urlPattern, bounds),
    query: (rule.queryParams ?? []).map((q) => cond(q.name, q.pattern)),
    body: (rule.jsonBody ?? []).map((j) => cond(j.node, j.pattern, j.node.split('.'))),
    headers: (rule.headers ?? []).map((h) => cond(h.name.toLowerCase(), h.pattern)),
  };
}

/**
 * Matching for one request: every match is charged program size × input length against the
 * request's budget before it runs; once the budget is spent nothing more is matched.
 */
class Matching {
  exhausted = false;

  constructor(private left: number) {}

  matches(pattern: SafePattern, input: string): boolean {
    if (input.length > pattern.maxInputLength) return false;
    const cost = pattern.programSize * input.length;
    if (cost > this.left) {
      this.exhausted = true;
      return false;
    }
    this.left -= cost;
    return pattern.fullMatch(input);
  }

  /** Every value present and every one matching in full; repeated values must all match. */
  allMatch(values: readonly unknown[], pattern: SafePattern): boolean {
    if (values.length === 0) return false;
    return values.every((v) => typeof v === 'string' && this.matches(pattern, v));
  }
}

class DefaultCompiledRestrictions implements CompiledRestrictions {
  readonly needsBody: boolean;
  readonly unrestricted: boolean;

  constructor(
    private readonly rules: readonly CompiledRule[],
    private readonly allowlist: IpAllowlist | undefined,
    private readonly contextPath: string,
    private readonly workBudget: number,
  ) {
    this.needsBody = rules.some((r) => r.body.length > 0);
    this.unrestricted = rules.length === 0 && allowlist === undefined;
  }

  evaluate(req: RestrictedRequest): RestrictionDecision {
    if (this.allowlist && !this.allowlist.contains(req.ip)) return { allowed: false, reason: 'IP_NOT_ALLOWED' };
    if (this.rules.length === 0) return ALLOWED;
    if (!isCanonicalPath(req.path)) return { allowed: false, reason: 'PATH_NOT_CANONICAL' };
    const method = req.method.toUpperCase();
    const matching = new Matching(this.workBudget);
    for (const rule of this.rules) {
      if (this.ruleAdmits(rule, method, req, matching)) return ALLOWED;
      if (matching.exhausted) return { allowed: false, reason: 'EVALUATION_TOO_COSTLY' };
    }
    return { allowed: false, reason: 'NO_RULE_MATCHED' };
  }

  private ruleAdmits(rule: CompiledRule, method: string, req: RestrictedRequest, m: Matching): boolean {
    if (rule.method !== undefined && rule.method !== method) return false;
    if (!m.matches(rule.url, req.path) && !(this.contextPath !== '' && m.matches(rule.url, this.contextPath + req.path))) return false;
    for (const q of rule.query) {
      const own = Object.prototype.hasOwnProperty.call(req.query, q.key) ? req.query[q.key] : undefined;
      if (!m.allMatch(valuesOf(own), q.pattern)) return false;
    }
    for (const h of rule.headers) {
      if (!m.allMatch(valuesOf(headerValue(req.headers, h.key)), h.pattern)) return false;
    }
    for (const b of rule.body) {
      const text = jsonNodeText(req.body, b.steps);
      if (text === undefined || !m.matches(b.pattern, text)) return false;
    }
    return true;
  }
}

/** Refuses everything: what a token whose stored restrictions no longer validate gets. */
class InvalidRestrictions implements CompiledRestrictions {
  readonly needsBody = false;
  readonly unrestricted = false;
  constructor(readonly errors: readonly RestrictionError[]) {}
  evaluate(): RestrictionDecision {
    return { allowed: false, reason: 'RESTRICTIONS_INVALID' };
  }
}

/**
 * Compiles restrictions for evaluation. The value is validated again (it comes from a database
 * row that may predate a rule change or have been edited by hand); if it does not validate the
 * result refuses every request with RESTRICTIONS_INVALID instead of throwing, so a broken row
 * fails closed. Compile once per token version (see RestrictionCompiler), evaluate per request.
 */
export function compileRestrictions(value: TokenRestrictions, options: CompileOptions = {}): CompiledRestrictions {
  const parsed = parseRestrictions(value, options.limits);
  if (!parsed.ok) return new InvalidRestrictions(parsed.errors);
  const bounds: MatchBounds = { maxInputLength: options.maxMatchInputLength, workBudget: options.matchWorkBudget };
  const contextPath = (options.contextPath ?? '').replace(/\/+$/, '');
  const { rules, ipAllowlist } = parsed.value;
  return new DefaultCompiledRestrictions(
    rules.map((r) => compileRule(r, bounds)),
    ipAllowlist.length > 0 ? createIpAllowlist(ipAllowlist) : undefined,
    contextPath,
    options.evaluationWorkBudget ?? DEFAULT_EVALUATION_WORK_BUDGET,
  );
}
