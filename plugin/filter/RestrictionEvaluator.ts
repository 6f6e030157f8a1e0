/**
 * The seam between the token filter/service and the restrictions engine (plugin/restrictions).
 * The engine's `parseRestrictions`/`compileRestrictions` are adapted to these interfaces in the
 * composition root; without an engine, {@link NoRestrictionSupport} accepts unrestricted tokens
 * only and refuses (fails closed on) any token whose RESTRICTIONS column is set.
 */

/** What a restriction check sees of a request. */
export interface RestrictionRequest {
  readonly method: string;
  /** Path after the context path, not percent-decoded, no query. */
  readonly path: string;
  readonly query: Record<string, string | string[] | undefined>;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly ip: string;
  /** Parsed JSON body, only when {@link CompiledTokenRestrictions.needsBody}. */
  readonly body?: unknown;
}

export type RestrictionVerdict = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

/** A token's restrictions, compiled once and evaluated per request. */
export interface CompiledTokenRestrictions {
  readonly needsBody: boolean;
  evaluate(request: RestrictionRequest): RestrictionVerdict;
}

/** One field's problem: an i18n key under `apitokenauth.validation.` and its arguments. */
export interface RestrictionFieldError {
  readonly key: string;
  readonly args?: ReadonlyArray<string | number>;
}

export type RestrictionParseOutcome =
  | { readonly ok: true; /** JSON to store; null = no restrictions. */ readonly json: string | null }
  | { readonly ok: false; readonly errors: Readonly<Record<string, RestrictionFieldError>> };

/** Parsing (at create/update) and compiling (in the filter) of token restrictions. */
export interface RestrictionSupport {
  /** `restrictions` and `ipAllowlist` as sent by a client (either may be undefined/null). */
  parse(restrictions: unknown, ipAllowlist: unknown): RestrictionParseOutcome;
  /** Compiles stored JSON; must not throw (an invalid value compiles to "refuse everything"). */
  compile(json: string): CompiledTokenRestrictions;
}

/** Evaluates a token's restrictions, compiling each distinct stored value once. */
export interface RestrictionEvaluator {
  /** Null restrictions = no restrictions. */
  forToken(restrictionsJson: string | null): CompiledTokenRestrictions | null;
}

const REFUSE_ALL: CompiledTokenRestrictions = Object.freeze({
  needsBody: false,
  evaluate: (): RestrictionVerdict => ({ allowed: false, reason: 'RESTRICTIONS_UNAVAILABLE' }),
});

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (Array.isArray(value) && value.length === 0) || value === '';
}

/** Used until the restrictions engine is wired in: no restrictions can be set, set ones refuse. */
export class NoRestrictionSupport implements RestrictionSupport {
  parse(restrictions: unknown, ipAllowlist: unknown): RestrictionParseOutcome {
    if (isEmpty(restrictions) && isEmpty(ipAllowlist)) return { ok: true, json: null };
    return { ok: false, errors: { restrictions: { key: 'restriction.UNAVAILABLE' } } };
  }

  compile(): CompiledTokenRestrictions {
    return REFUSE_ALL;
  }
}

/** A {@link RestrictionEvaluator} with a bounded cache of compiled restrictions keyed by their JSON. */
export class CachingRestrictionEvaluator implements RestrictionEvaluator {
  private readonly compiled = new Map<string, CompiledTokenRestrictions>();

  constructor(private readonly support: RestrictionSupport, private readonly maxEntries = 10000) {}

  forToken(restrictionsJson: string | null): CompiledTokenRestrictions | null {
    if (restrictionsJson === null) return null;
    let hit = this.compiled.get(restrictionsJson);
    if (!hit) {
      hit = this.support.compile(restrictionsJson);
      if (this.compiled.size >= this.maxEntries) this.compiled.clear();
      this.compiled.set(restrictionsJson, hit);
    }
    return hit;
  }
}
