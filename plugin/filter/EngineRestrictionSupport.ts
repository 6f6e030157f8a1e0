import { compileRestrictions, hasAnyRestriction, parseRestrictions, type RestrictionError, type TokenRestrictions } from '../restrictions';
import type { CompiledTokenRestrictions, RestrictionParseOutcome, RestrictionSupport, RestrictionVerdict } from './RestrictionEvaluator';

function refuseAll(reason: string): CompiledTokenRestrictions {
  return { needsBody: false, evaluate: (): RestrictionVerdict => ({ allowed: false, reason }) };
}

function errorsOf(errors: readonly RestrictionError[], prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of errors) {
    const field = `${prefix}${e.field ? `.${e.field}` : e.line !== undefined ? `[line ${e.line}]` : ''}`;
    out[field] = out[field] ? `${out[field]}; ${e.code}: ${e.detail}` : `${e.code}: ${e.detail}`;
  }
  return out;
}

/** {@link RestrictionSupport} on the restrictions engine of plugin/restrictions (RE2 patterns, IP allowlists). */
export class EngineRestrictionSupport implements RestrictionSupport {
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
      const compiled = compileRestrictions(parsed.value);
      return { needsBody: compiled.needsBody, evaluate: (request) => compiled.evaluate(request) };
    } catch {
      return refuseAll('RESTRICTIONS_INVALID');
    }
  }
}
