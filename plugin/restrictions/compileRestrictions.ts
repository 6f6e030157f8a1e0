import { createIpAllowlist, IpAllowlist } from './IpAllowlist';
import { parseRestrictions } from './parseRestrictions';
import { compileDeferred, PatternGate } from './PatternGate';
import { headerValue, isCanonicalPath, jsonNodeText, ownValue, valuesOf } from './requestValues';
import { boundPattern, CompiledSource, MatchBounds, SafePattern } from './SafePattern';
import {
  CompiledRestrictions,
  DEFAULT_EVALUATION_WORK_BUDGET,
  DEFAULT_RESTRICTION_LIMITS,
  RestrictedRequest,
  RestrictionDecision,
  RestrictionError,
  RestrictionRefusal,
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
  /** Patterns already compiled (by the parse at save time), which are not compiled again. */
  precompiled?: ReadonlyMap<string, CompiledSource>;
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
  /** With `[NoOtherQueryParams]`: the only parameter names a request may carry; else null. */
  queryNames: ReadonlySet<string> | null;
  body: CompiledCondition[];
  headers: CompiledCondition[];
}

const ALLOWED: RestrictionDecision = Object.freeze({ allowed: true });

/** Pattern compiled during validation, so it is in the map. */
function mustFind(source: string, patterns: ReadonlyMap<string, CompiledSource>, bounds: MatchBounds): SafePattern {
  const compiled = patterns.get(source);
  if (!compiled) throw new Error('pattern was not compiled during validation');
  return boundPattern(compiled, bounds);
}

function compileRule(rule: RestrictionRule, patterns: ReadonlyMap<string, CompiledSource>, bounds: MatchBounds): CompiledRule {
  const cond = (key: string, pattern: string, steps: string[] = []) => ({ key, steps, pattern: mustFind(pattern, patterns, bounds) });
  return {
    method: rule.method,
    url: mustFind(rule.urlPattern, patterns, bounds),
    query: (rule.queryParams ?? []).map((q) => cond(q.name, q.pattern)),
    queryNames: rule.noOtherQueryParams ? new Set((rule.queryParams ?? []).map((q) => q.name)) : null,
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

  clientRefusal(ip: string): RestrictionRefusal | null {
    return this.allowlist && !this.allowlist.contains(ip) ? 'IP_NOT_ALLOWED' : null;
  }

  evaluate(req: RestrictedRequest): RestrictionDecision {
    if (this.clientRefusal(req.ip) !== null) return { allowed: false, reason: 'IP_NOT_ALLOWED' };
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
    if (rule.queryNames !== null && !onlyNamed(req.query, rule.queryNames)) return false;
    for (const q of rule.query) {
      if (!m.allMatch(valuesOf(ownValue(req.query, q.key)), q.pattern)) return false;
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

/** True when every own parameter of `query` is one of `names` (one named but undefined counts too: it was sent). */
function onlyNamed(query: RestrictedRequest['query'], names: ReadonlySet<string>): boolean {
  for (const key of Object.keys(query)) if (!names.has(key)) return false;
  return true;
}

/** Refuses everything: what a token whose stored restrictions no longer validate gets. */
class InvalidRestrictions implements CompiledRestrictions {
  readonly needsBody = false;
  readonly unrestricted = false;
  constructor(readonly errors: readonly RestrictionError[]) {}
  clientRefusal(): RestrictionRefusal {
    return 'RESTRICTIONS_INVALID';
  }
  evaluate(): RestrictionDecision {
    return { allowed: false, reason: 'RESTRICTIONS_INVALID' };
  }
}

/**
 * Compiles restrictions for evaluation, synchronously. The value is validated again (it comes
 * from a database row that may predate a rule change or have been edited by hand); if it does not
 * validate, or is over the compile budget, the result refuses every request with
 * RESTRICTIONS_INVALID instead of throwing, so a broken row fails closed. Patterns given in
 * `options.precompiled` are not compiled again. On the request path use
 * {@link compileRestrictionsAsync}, which does not hold the event loop for the whole set.
 */
export function compileRestrictions(value: TokenRestrictions, options: CompileOptions = {}): CompiledRestrictions {
  const limits = { ...DEFAULT_RESTRICTION_LIMITS, ...options.limits };
  const gate = PatternGate.compiling(limits, { known: options.precompiled });
  const parsed = parseRestrictions(value, limits, gate);
  if (!parsed.ok) return new InvalidRestrictions(parsed.errors);
  return build(parsed.value, gate.compiled, options);
}

/**
 * Like {@link compileRestrictions}, but the patterns are compiled one at a time with a turn of
 * the event loop before each, so other requests are served meanwhile. Never rejects.
 */
export async function compileRestrictionsAsync(value: TokenRestrictions, options: CompileOptions = {}): Promise<CompiledRestrictions> {
  const limits = { ...DEFAULT_RESTRICTION_LIMITS, ...options.limits };
  const gate = PatternGate.deferring(limits);
  const parsed = parseRestrictions(value, limits, gate);
  if (!parsed.ok) return new InvalidRestrictions(parsed.errors);
  const patterns = await compileDeferred(gate, limits);
  if (!patterns.ok) return new InvalidRestrictions([patterns.error]);
  return build(parsed.value, patterns.compiled, options);
}

function build(value: TokenRestrictions, patterns: ReadonlyMap<string, CompiledSource>, options: CompileOptions): CompiledRestrictions {
  const bounds: MatchBounds = { maxInputLength: options.maxMatchInputLength, workBudget: options.matchWorkBudget };
  const contextPath = (options.contextPath ?? '').replace(/\/+$/, '');
  return new DefaultCompiledRestrictions(
    value.rules.map((r) => compileRule(r, patterns, bounds)),
    value.ipAllowlist.length > 0 ? createIpAllowlist(value.ipAllowlist) : undefined,
    contextPath,
    options.evaluationWorkBudget ?? DEFAULT_EVALUATION_WORK_BUDGET,
  );
}
