/**
 * The seam between the token service / request authentication and the restrictions engine of
 * this folder. {@link EngineRestrictionSupport} adapts the engine; without an engine,
 * {@link NoRestrictionSupport} accepts unrestricted tokens only and refuses (fails closed on) any
 * token whose RESTRICTIONS column is set. {@link CachingRestrictionEvaluator} keeps the compiled
 * forms per node.
 */
import type { RestrictionRefusal, TokenRestrictions } from './types';

export type { RestrictionRefusal } from './types';

/** What a restriction check sees of a request. */
export interface RestrictionRequest {
  readonly method: string;
  /**
   * The canonical path relative to the context path: percent-decoded, no query, no fragment
   * (what routing dispatches on; targets that could be read two ways were refused before).
   */
  readonly path: string;
  /** The parsed query; a repeated parameter is a list, and a rule must hold for every value. */
  readonly query: Readonly<Record<string, string | string[] | undefined>>;
  /** Request headers; a repeated header given as a list must match in every value. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly ip: string;
  /** Parsed JSON body, only when {@link CompiledTokenRestrictions.needsBody}. */
  readonly body?: unknown;
}

/** The decision on one request; the refusal reason is a closed union (logged and audited). */
export type RestrictionVerdict = { readonly allowed: true } | { readonly allowed: false; readonly reason: RestrictionRefusal };

/** A token's restrictions, compiled once per node and evaluated per request. */
export interface CompiledTokenRestrictions {
  readonly needsBody: boolean;
  evaluate(request: RestrictionRequest): RestrictionVerdict;
  /** The refusal every request from `ip` gets whatever else it carries (outside the IP allowlist, or refuse-everything); null otherwise. */
  clientRefusal(ip: string): RestrictionRefusal | null;
}

/** One field's problem: an i18n key under `apitokenauth.validation.` and its arguments. */
export interface RestrictionFieldError {
  readonly key: string;
  readonly args?: ReadonlyArray<string | number>;
}

export type RestrictionParseOutcome =
  | {
    readonly ok: true;
    /** JSON to store; null = no restrictions. */
    readonly json: string | null;
    /** The compiled form of `json` when the parse produced it (it primes this node's cache). */
    readonly compiled?: CompiledTokenRestrictions;
  }
  | { readonly ok: false; readonly errors: Readonly<Record<string, RestrictionFieldError>> };

/** Parsing (at create/update) and compiling (for requests) of token restrictions. */
export interface RestrictionSupport {
  /**
   * `restrictions` and `ipAllowlist` as sent by a client (either may be undefined/null). Runs on
   * the saving request: its work must be bounded (the engine's compile budget).
   */
  parse(restrictions: unknown, ipAllowlist: unknown): RestrictionParseOutcome;
  /**
   * A stored value as this version reads it; undefined when it cannot (the token is refused, and
   * a change must replace the whole value rather than merge into it).
   */
  readStored(json: string): TokenRestrictions | undefined;
  /**
   * Compiles stored JSON; must not throw or reject (an invalid value compiles to "refuse
   * everything"). May return a promise, to give the event loop turns while compiling.
   */
  compile(json: string): CompiledTokenRestrictions | Promise<CompiledTokenRestrictions>;
}

/** The compiled restrictions of tokens as the request path needs them. */
export interface RestrictionEvaluator {
  /** Compiled form ready on this node; undefined = must be compiled first (call compile); null = no restrictions (json null). */
  peek(restrictionsJson: string | null): CompiledTokenRestrictions | null | undefined;
  /** Compiles without blocking the event loop for long: yields (setImmediate) between patterns; never rejects — an invalid value compiles to refuse-everything. Concurrent calls for the same json share one compile. */
  compile(restrictionsJson: string): Promise<CompiledTokenRestrictions>;
}

/** Refuses every request with `reason`. */
export function refuseAll(reason: RestrictionRefusal): CompiledTokenRestrictions {
  const verdict: RestrictionVerdict = Object.freeze({ allowed: false, reason });
  return Object.freeze({ needsBody: false, evaluate: (): RestrictionVerdict => verdict, clientRefusal: (): RestrictionRefusal => reason });
}

const UNAVAILABLE = refuseAll('RESTRICTIONS_UNAVAILABLE');

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (Array.isArray(value) && value.length === 0) || value === '';
}

/** Used when no restrictions engine is wired in: no restrictions can be set, set ones refuse. */
export class NoRestrictionSupport implements RestrictionSupport {
  parse(restrictions: unknown, ipAllowlist: unknown): RestrictionParseOutcome {
    if (isEmpty(restrictions) && isEmpty(ipAllowlist)) return { ok: true, json: null };
    return { ok: false, errors: { restrictions: { key: 'restriction.UNAVAILABLE' } } };
  }

  readStored(): undefined {
    return undefined;
  }

  compile(): CompiledTokenRestrictions {
    return UNAVAILABLE;
  }
}
