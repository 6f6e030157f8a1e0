import { CompileOptions, compileRestrictions } from './compileRestrictions';
import { CompiledRestrictions, TokenRestrictions } from './types';

/** Options of a RestrictionCompiler: compile options plus the cache bound. */
export interface RestrictionCompilerOptions extends CompileOptions {
  /** Most compiled entries kept; the least recently used is dropped beyond it (default 10,000). */
  maxEntries?: number;
}

/**
 * A bounded LRU cache of compiled restrictions, so each token's patterns are compiled once
 * rather than per request. The key must change whenever the restrictions do (for example
 * `<token id>:<version or updated time>`); `invalidate` drops a key early, e.g. on revocation.
 * One instance per plugin activation (no module-level state).
 */
export class RestrictionCompiler {
  private readonly cache = new Map<string, CompiledRestrictions>();
  private readonly maxEntries: number;

  constructor(private readonly options: RestrictionCompilerOptions = {}) {
    this.maxEntries = Math.max(1, options.maxEntries ?? 10_000);
  }

  /** The compiled form of `value`, from the cache when `key` was compiled before. */
  compile(key: string, value: TokenRestrictions): CompiledRestrictions {
    const hit = this.cache.get(key);
    if (hit) {
      // Re-insert to mark as most recently used (Map keeps insertion order).
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    const compiled = compileRestrictions(value, this.options);
    this.cache.set(key, compiled);
    if (this.cache.size > this.maxEntries) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    return compiled;
  }

  /** Drops one key (no-op when absent). */
  invalidate(key: string): void {
    this.cache.delete(key);
  }

  /** Drops every entry, e.g. when a setting that affects compilation changes. */
  clear(): void {
    this.cache.clear();
  }

  get size(): number {
    return this.cache.size;
  }
}
