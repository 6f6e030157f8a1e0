/**
 * Public types of the per-token restrictions engine (docs/restrictions.md).
 *
 * A `TokenRestrictions` value is what is stored, as JSON, in the token row. It is always the
 * output of `parseRestrictions`, so every value of this type can be written in the text form
 * and read back unchanged.
 */

/** One allow rule: a request is admitted by the rule when every part of it matches. */
export interface RestrictionRule {
  /** HTTP method in upper case (GET, POST, …); absent = any method. */
  method?: string;
  /** RE2 pattern matched against the whole request path (see docs/restrictions.md). */
  urlPattern: string;
  /** Every named query parameter must be present and every one of its values must match. */
  queryParams?: NamedPattern[];
  /** Every JSON node (dotted path) must exist in the body and its value must match. */
  jsonBody?: JsonNodePattern[];
  /** Every named header must be present and every one of its values must match. */
  headers?: NamedPattern[];
  /**
   * True: the request may carry no query parameter but those named in `queryParams` (text form
   * `[NoOtherQueryParams]`), for resources that read another parameter instead of the named one.
   * Absent otherwise: other parameters are admitted.
   */
  noOtherQueryParams?: true;
}

/** A query-parameter or header condition. */
export interface NamedPattern {
  name: string;
  pattern: string;
}

/** A JSON-body condition; `node` is a dotted path such as `fields.project.key` or `items.0.name`. */
export interface JsonNodePattern {
  node: string;
  pattern: string;
}

/** The restrictions of one token. Both lists empty = unrestricted. */
export interface TokenRestrictions {
  rules: RestrictionRule[];
  /** IPv4/IPv6 addresses and CIDR ranges; empty = any client address. */
  ipAllowlist: string[];
}

/** Why a restrictions input was rejected (closed union; each maps to a 400 and an i18n key). */
export const RESTRICTION_ERROR_CODES = [
  'INVALID_INPUT',
  'INVALID_RULE',
  'INVALID_PATTERN',
  'UNSUPPORTED_PATTERN',
  'PATTERN_TOO_LONG',
  'PATTERN_TOO_COMPLEX',
  'TOO_MANY_RULES',
  'TOO_MANY_CONDITIONS',
  'INVALID_METHOD',
  'INVALID_NAME',
  'INVALID_IP',
  'TOO_MANY_IP_ENTRIES',
  'INPUT_TOO_LARGE',
  /** The rule set costs more to compile than the budget allows; reported at the rule where it ran out. */
  'COMPILE_BUDGET_EXCEEDED',
] as const;
export type RestrictionErrorCode = (typeof RESTRICTION_ERROR_CODES)[number];

/** One validation problem. `index` is the rule index (or allowlist entry index for IP errors). */
export interface RestrictionError {
  code: RestrictionErrorCode;
  index?: number;
  /** Where in the structured form, e.g. `rules[2].queryParams[0].pattern` or `ipAllowlist[1]`. */
  field?: string;
  /** 1-based line number when the input was the text form. */
  line?: number;
  /** Human-readable English detail for logs and the `errors` map; never contains request data. */
  detail: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: RestrictionError[] };

/** Why a request was refused by a token's restrictions (closed union, for logs and audit). */
export const RESTRICTION_REFUSALS = [
  /** The client address is not in the token's IP allowlist. */
  'IP_NOT_ALLOWED',
  /** The token has rules and none of them admits the request. */
  'NO_RULE_MATCHED',
  /** The path has dot segments or encoded separators, so URL rules cannot be trusted on it. */
  'PATH_NOT_CANONICAL',
  /** The stored restrictions no longer validate; the token is refused rather than unrestricted. */
  'RESTRICTIONS_INVALID',
  /** Matching this request would exceed the per-request work budget (see docs/restrictions.md). */
  'EVALUATION_TOO_COSTLY',
  /** No restrictions engine in this installation (NoRestrictionSupport): a token with restrictions is refused. */
  'RESTRICTIONS_UNAVAILABLE',
] as const;
export type RestrictionRefusal = (typeof RESTRICTION_REFUSALS)[number];

/** What the engine needs to know about a request. */
export interface RestrictedRequest {
  method: string;
  /**
   * The canonical path relative to the context path, percent-decoded, without query or
   * fragment, e.g. `/rest/api/2/issue/JRA-1`: exactly the path routing dispatches on.
   */
  path: string;
  query: Record<string, string | string[] | undefined>;
  headers: Record<string, string | string[] | undefined>;
  ip: string;
  /** Parsed JSON body; `undefined` when there is none or it is not JSON. */
  body?: unknown;
}

export type RestrictionDecision = { allowed: true } | { allowed: false; reason: RestrictionRefusal };

/** Restrictions ready to be evaluated on the request path. */
export interface CompiledRestrictions {
  /** True when some rule looks into the JSON body, so the caller must parse it before `evaluate`. */
  readonly needsBody: boolean;
  /** True when the token has neither rules nor an IP allowlist. */
  readonly unrestricted: boolean;
  evaluate(req: RestrictedRequest): RestrictionDecision;
  /**
   * The refusal every request from `ip` gets, whatever else it carries (outside the IP allowlist,
   * or restrictions that refuse everything); null when the rest of the request decides.
   */
  clientRefusal(ip: string): RestrictionRefusal | null;
}

/** Size limits applied when parsing (and re-validating when compiling). */
export interface RestrictionLimits {
  maxRules: number;
  /** Maximum length of any single pattern (URL, parameter, JSON or header). */
  maxPatternLength: number;
  /**
   * Maximum RE2 program size (instructions) of a pattern. Matching stays linear whatever the
   * size, but the constant grows with it once RE2's DFA cache overflows; see the ADR.
   */
  maxProgramSize: number;
  /** Maximum query/JSON/header conditions in one rule. */
  maxConditionsPerRule: number;
  maxIpEntries: number;
  /** Maximum length of a parameter name, header name or JSON node path. */
  maxNameLength: number;
  /** Maximum length of a text-form input or of the JSON text of a structured input. */
  maxInputLength: number;
  /** Compile cost (see compileCost.ts) of all patterns of one rule set together. */
  maxSetCost: number;
  /** Compile cost of one pattern: what compiling takes between two turns of the event loop. */
  maxPatternCost: number;
  /** Time backstop of compiling one rule set at save time: CPU milliseconds of the compiling thread. */
  maxCompileMillis: number;
}

export const DEFAULT_RESTRICTION_LIMITS: Readonly<RestrictionLimits> = Object.freeze({
  maxRules: 50,
  maxPatternLength: 1000,
  maxProgramSize: 2000,
  maxConditionsPerRule: 20,
  maxIpEntries: 100,
  maxNameLength: 255,
  maxInputLength: 256 * 1024,
  maxSetCost: 20_000,
  maxPatternCost: 6_000,
  maxCompileMillis: 100,
});

/** Inputs longer than this (in UTF-16 code units) never match a pattern instead of being scanned. */
export const DEFAULT_MAX_MATCH_INPUT_LENGTH = 8192;

/**
 * Upper bound of program size × input length for one match. A pattern of program size P scans
 * at most min(8192, budget / P) characters; longer inputs do not match. With the default, usual
 * patterns (P ≤ 30, e.g. `.*\/rest/api/2/issue/JRA-.*`) get the full 8 KB, a pattern of P = 120
 * about 2 KB, and the worst match measured (NFA fallback, about 50–75 ns per unit) stays near
 * 15 ms (docs/restrictions.md; it was 1,000,000 ≈ 60 ms before the compile budget of issue 11).
 */
export const DEFAULT_MATCH_WORK_BUDGET = 250_000;

/**
 * Upper bound of the summed program size × input length of all matches made for one request,
 * so that many rules cannot multiply the per-match bound. Beyond it the request is refused.
 * 50 URL rules of P = 40 tried on a 100-character path (and again with the context path) use
 * 400,000; the worst request measured stays near 60 ms (it was 4,000,000 ≈ 250 ms).
 */
export const DEFAULT_EVALUATION_WORK_BUDGET = 1_000_000;

/** HTTP methods a rule may name. */
export const RESTRICTION_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE'] as const;
