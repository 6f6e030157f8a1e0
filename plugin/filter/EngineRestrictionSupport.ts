import { compileRestrictions, hasAnyRestriction, parseRestrictions, type RestrictionError, type TokenRestrictions } from '../restrictions';
import type { CompiledTokenRestrictions, RestrictionFieldError, RestrictionParseOutcome, RestrictionSupport, RestrictionVerdict } from './RestrictionEvaluator';

function refuseAll(reason: string): CompiledTokenRestrictions {
  return { needsBody: false, evaluate: (): RestrictionVerdict => ({ allowed: false, reason }) };
}

/**
 * The engine's error codes become per-field i18n keys `apitokenauth.validation.restriction.<CODE>`
 * (English and German); the field names the place (`restrictions.rules[2].urlPattern`,
 * `restrictions[line 3]`, `ipAllowlist[1]`). The first problem of a field is reported.
 */
function errorsOf(errors: readonly RestrictionError[], prefix: string): Record<string, RestrictionFieldError> {
  const out: Record<string, RestrictionFieldError> = {};
  for (const e of errors) {
    const field = `${prefix}${e.field ? `.${e.field}` : e.line !== undefined ? `[line ${e.line}]` : ''}`;
    if (!out[field]) out[field] = { key: `restriction.${e.code}` };
  }
  return out;
}

/** {@link RestrictionSupport} on the restrictions engine of plugin/restrictions (RE2 patterns, IP allowlists). */
export class EngineRestrictionSupport implements RestrictionSupport {
  /** @param contextPath rules also admit the context path plus the path (rules written against full URLs) */
  constructor(private readonly contextPath: string = '') {}

  parse(restrictions: unknown, ipAllowlist: unknown): RestrictionParseOutcome {
    const parsed = parseRestrictions(restrictions);
    if (!parsed.ok) return { ok: false, errors: errorsOf(parsed.errors, 'restrictions') };
    let value: TokenRestrictions = parsed.value;
    if (ipAllowlist !== undefined && ipAllowlist !== null) {
      const ips = parseRestrictions({ rules: [], ipAllowlist });
      if (!ips.ok) return { ok: false, errors: errorsOf(ips.errors, 'ipAllowlist') };
      value = { rules: value.rules, ipAllowlist: [...new Set([...value.ipAllowlist, ...ips.value.ipAllowlist])] };
    }
    return { ok: true, json: hasAnyRestriction(value) ? JSON.stringify(value) : null };
  }

  compile(json: string): CompiledTokenRestrictions {
    try {
      const parsed = parseRestrictions(JSON.parse(json));
      if (!parsed.ok) return refuseAll('RESTRICTIONS_INVALID');
      const compiled = compileRestrictions(parsed.value, { contextPath: this.contextPath });
      return { needsBody: compiled.needsBody, evaluate: (request) => compiled.evaluate(request) };
    } catch {
      return refuseAll('RESTRICTIONS_INVALID');
    }
  }
}
