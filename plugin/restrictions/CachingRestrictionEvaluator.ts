import {
  refuseAll,
  type CompiledTokenRestrictions,
  type RestrictionEvaluator,
  type RestrictionParseOutcome,
  type RestrictionSupport,
} from './RestrictionSupport';

/** Compiled forms kept per node by default (least recently used dropped beyond it). */
export const DEFAULT_COMPILED_RESTRICTIONS_CACHE = 10_000;

/**
 * This node's compiled token restrictions, keyed by their stored JSON, in a bounded LRU cache.
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

  constructor(private readonly support: RestrictionSupport, maxEntries = DEFAULT_COMPILED_RESTRICTIONS_CACHE) {
    this.maxEntries = Math.max(1, Math.floor(maxEntries));
  }

  parse(restrictions: unknown, ipAllowlist: unknown): RestrictionParseOutcome {
    const outcome = this.support.parse(restrictions, ipAllowlist);
    if (outcome.ok && outcome.json !== null && outcome.compiled) this.remember(outcome.json, outcome.compiled);
    return outcome;
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
    this.compiled.delete(json);
    this.compiled.set(json, compiled);
    while (this.compiled.size > this.maxEntries) {
      const eldest = this.compiled.keys().next().value as string;
      this.compiled.delete(eldest);
    }
  }
}
