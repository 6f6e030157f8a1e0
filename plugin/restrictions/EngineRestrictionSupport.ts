import { compileRestrictions, compileRestrictionsAsync } from './compileRestrictions';
import { hasAnyRestriction } from './helpers';
import { parseRestrictions } from './parseRestrictions';
import { PatternGate } from './PatternGate';
import { isStoredForm, readStoredRestrictions } from './storedRestrictions';
import {
  refuseAll,
  type CompiledTokenRestrictions,
  type RestrictionFieldError,
  type RestrictionParseOutcome,
  type RestrictionSupport,
} from './RestrictionSupport';
import { DEFAULT_RESTRICTION_LIMITS, type RestrictionError, type RestrictionLimits, type TokenRestrictions } from './types';

/**
 * The engine's error codes become per-field i18n keys `apitokenauth.validation.restriction.<CODE>`
 * (English and German); the field names the place (`restrictions.rules[2].urlPattern`,
 * `restrictions.rules[37]` for a rule set over its compile budget, `restrictions[line 3]`,
 * `ipAllowlist[1]`). The first problem of a field is reported.
 */
function errorsOf(errors: readonly RestrictionError[], prefix: string): Record<string, RestrictionFieldError> {
  const out: Record<string, RestrictionFieldError> = {};
  for (const e of errors) {
    const place = e.field ? e.field : e.line !== undefined ? `[line ${e.line}]` : '';
    const field = prefix === '' ? place || 'ipAllowlist' : `${prefix}${e.field ? `.${e.field}` : place}`;
    if (!Object.hasOwn(out, field)) out[field] = { key: `restriction.${e.code}` };
  }
  return out;
}

/** {@link RestrictionSupport} on the restrictions engine of this folder (RE2 patterns, IP allowlists). */
export class EngineRestrictionSupport implements RestrictionSupport {
  private readonly limits: RestrictionLimits;

  /**
   * @param contextPath rules also admit the context path plus the path (rules written against full URLs)
   * @param limits parse limits and compile budget (default: DEFAULT_RESTRICTION_LIMITS)
   */
  constructor(private readonly contextPath: string = '', limits: Partial<RestrictionLimits> = {}) {
    this.limits = { ...DEFAULT_RESTRICTION_LIMITS, ...limits };
  }

  /**
   * Validates and compiles every pattern once, within the compile budget (cost and, as a
   * backstop, CPU time): over budget is a 400 naming the rule. The compiled form comes back
   * with the JSON, so the caller's cache has it before the token is first used.
   */
  parse(restrictions: unknown, ipAllowlist: unknown): RestrictionParseOutcome {
    const gate = PatternGate.compiling(this.limits, { timeBackstop: true });
    const parsed = parseRestrictions(restrictions, this.limits, gate);
    if (!parsed.ok) return { ok: false, errors: errorsOf(parsed.errors, 'restrictions') };
    let value: TokenRestrictions = parsed.value;
    if (ipAllowlist !== undefined && ipAllowlist !== null) {
      const ips = parseRestrictions({ rules: [], ipAllowlist }, this.limits);
      // The engine names the entries of `{rules: [], ipAllowlist}` `ipAllowlist[i]` already: the request's own field.
      if (!ips.ok) return { ok: false, errors: errorsOf(ips.errors, '') };
      value = { rules: value.rules, ipAllowlist: [...new Set([...value.ipAllowlist, ...ips.value.ipAllowlist])] };
      if (value.ipAllowlist.length > this.limits.maxIpEntries) {
        return { ok: false, errors: { ipAllowlist: { key: 'restriction.TOO_MANY_IP_ENTRIES' } } };
      }
    }
    if (!hasAnyRestriction(value)) return { ok: true, json: null };
    const compiled = compileRestrictions(value, { contextPath: this.contextPath, limits: this.limits, precompiled: gate.compiled });
    return { ok: true, json: JSON.stringify(value), compiled };
  }

  readStored(json: string): TokenRestrictions | undefined {
    return readStoredRestrictions(json, this.limits);
  }

  /**
   * Compiles stored JSON (always the structured form `{rules, ipAllowlist}` that {@link parse}
   * wrote) a pattern at a time between turns of the event loop; never rejects.
   */
  async compile(json: string): Promise<CompiledTokenRestrictions> {
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch {
      return refuseAll('RESTRICTIONS_INVALID');
    }
    if (!isStoredForm(value)) return refuseAll('RESTRICTIONS_INVALID');
    try {
      const compiled = await compileRestrictionsAsync(value, { contextPath: this.contextPath, limits: this.limits });
      // parse() stores null for "no restrictions": a stored set that limits nothing is not this
      // version's (another version may mean something by it), so it is refused, never unrestricted.
      return compiled.unrestricted ? refuseAll('RESTRICTIONS_INVALID') : compiled;
    } catch {
      return refuseAll('RESTRICTIONS_INVALID');
    }
  }
}
