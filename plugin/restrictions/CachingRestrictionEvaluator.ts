import {
  refuseAll,
  type CompiledTokenRestrictions,
  type RestrictionEvaluator,
  type RestrictionParseOutcome,
  type RestrictionSupport,
} from './RestrictionSupport';
import type { TokenRestrictions } from './types';

/** Compiled forms kept per node by default (least recently used dropped beyond it). */
export const DEFAULT_COMPILED_RESTRICTIONS_CACHE = 10_000;
/**
 * Their memory budget per node by default (system property `apitokenauth.restrictionsCache.maxMiB`):
 * ~19,000 sets of a typical size (a few rules, ~300 characters), so the count above binds first,
 * but ~130 sets near the body limit (~60 KB each), which one user can save in a loop of PATCHes.
 */
export const DEFAULT_COMPILED_RESTRICTIONS_BYTES = 32 * 1024 * 1024;

/**
 * Estimated bytes of one entry: the stored JSON as the key (two bytes a character at most) and
 * its compiled form, which holds the same names and patterns again with the matchers built from
 * them, plus the fixed cost of the objects. An estimate, not a measurement: it only has to grow
 * with what a caller can choose (the length of the set).
 */
export function compiledEntryBytes(json: string): number {
  return 4 * json.length + 512;
}

export interface CompiledRestrictionsCacheLimits {
  readonly maxEntries?: number;
  readonly maxBytes?: number;
}

/**
 * This node's compiled token restrictions, keyed by their stored JSON, in an LRU cache bounded
 * by a count and by estimated memory (one user may save sets near the body limit in a loop).
 * It is also the {@link RestrictionSupport} the token service parses with: a successful parse
 * (create, PATCH) puts the compiled form it produced into the cache, so the first use on the
 * saving node compiles nothing. Other nodes compile on first use, off the hot path of everyone
 * else: {@link compile} is asynchronous and concurrent calls for one value share one compile.
 */
export class CachingRestrictionEvaluator implements RestrictionEvaluator, RestrictionSupport {
  /** Map order is recency order: a hit is moved to the end, the first entry is the eldest. */
  private readonly compiled = new Map<string, CompiledTokenRestrictions>();
  private readonly inFlight = new Map<string, Promise<CompiledTokenRestrictions>>();
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private bytes = 0;

  constructor(private readonly support: RestrictionSupport, limits: CompiledRestrictionsCacheLimits = {}) {
    this.maxEntries = Math.max(1, Math.floor(limits.maxEntries ?? DEFAULT_COMPILED_RESTRICTIONS_CACHE));
    this.maxBytes = Math.max(1, Math.floor(limits.maxBytes ?? DEFAULT_COMPILED_RESTRICTIONS_BYTES));
  }

  parse(restrictions: unknown, ipAllowlist: unknown): RestrictionParseOutcome {
    const outcome = this.support.parse(restrictions, ipAllowlist);
    if (outcome.ok && outcome.json !== null && outcome.compiled) this.remember(outcome.json, outcome.compiled);
    return outcome;
  }

  readStored(json: string): TokenRestrictions | undefined {
    return this.support.readStored(json);
  }

  peek(restrictionsJson: string | null): CompiledTokenRestrictions | null | undefined {
    if (restrictionsJson === null) return null;
    const hit = this.compiled.get(restrictionsJson);
    if (hit !== undefined) {
      this.compiled.delete(restrictionsJson);
      this.compiled.set(restrictionsJson, hit);
    }
    return hit;
  }

  compile(restrictionsJson: string): Promise<CompiledTokenRestrictions> {
    const hit = this.peek(restrictionsJson);
    if (hit) return Promise.resolve(hit);
    let pending = this.inFlight.get(restrictionsJson);
    if (!pending) {
      pending = this.compileOnce(restrictionsJson);
      this.inFlight.set(restrictionsJson, pending);
    }
    return pending;
  }

  /** How many compiled forms are kept (for tests and diagnostics). */
  get size(): number {
    return this.compiled.size;
  }

  /** Their estimated bytes ({@link compiledEntryBytes}; for tests and diagnostics). */
  get estimatedBytes(): number {
    return this.bytes;
  }

  private async compileOnce(json: string): Promise<CompiledTokenRestrictions> {
    let result: CompiledTokenRestrictions;
    try {
      result = await this.support.compile(json);
    } catch {
      result = refuseAll('RESTRICTIONS_INVALID');
    } finally {
      this.inFlight.delete(json);
    }
    this.remember(json, result);
    return result;
  }

  private remember(json: string, compiled: CompiledTokenRestrictions): void {
    if (this.compiled.delete(json)) this.bytes -= compiledEntryBytes(json);
    this.compiled.set(json, compiled);
    this.bytes += compiledEntryBytes(json);
    // The newest entry stays whatever its size: it is the one about to be used.
    while (this.compiled.size > 1 && (this.compiled.size > this.maxEntries || this.bytes > this.maxBytes)) {
      const eldest = this.compiled.keys().next().value as string;
      this.compiled.delete(eldest);
      this.bytes -= compiledEntryBytes(eldest);
    }
  }
}
