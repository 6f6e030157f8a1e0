import { RE2JS } from 're2js';
import { findUnsupportedConstruct } from './regexScanner';
import { DEFAULT_MATCH_WORK_BUDGET, DEFAULT_MAX_MATCH_INPUT_LENGTH, RestrictionErrorCode } from './types';

/**
 * A user-supplied pattern compiled with RE2 semantics (linear time in the input, no
 * backtracking; see docs/adr/0001-regex-engine.md). Matching is always against the whole input.
 */
export interface SafePattern {
  readonly source: string;
  /** RE2 program size, a rough measure of the per-character matching cost. */
  readonly programSize: number;
  /** Longest input this pattern scans: min(input cap, work budget / program size). */
  readonly maxInputLength: number;
  /** True when the entire input matches. Inputs above `maxInputLength` never match. */
  fullMatch(input: string): boolean;
}

export type PatternCompileResult =
  | { ok: true; pattern: SafePattern }
  | { ok: false; code: Extract<RestrictionErrorCode, 'INVALID_PATTERN' | 'UNSUPPORTED_PATTERN'>; detail: string };

class Re2SafePattern implements SafePattern {
  readonly programSize: number;
  readonly maxInputLength: number;

  constructor(
    readonly source: string,
    private readonly compiled: RE2JS,
    inputCap: number,
    workBudget: number,
  ) {
    this.programSize = compiled.programSize();
    this.maxInputLength = Math.min(inputCap, Math.floor(workBudget / Math.max(1, this.programSize)));
  }

  fullMatch(input: string): boolean {
    // Bounded work per request even though the engine is linear: long inputs fail closed.
    if (input.length > this.maxInputLength) return false;
    return this.compiled.testExact(input);
  }
}

/** Size bounds of matching; see DEFAULT_MAX_MATCH_INPUT_LENGTH and DEFAULT_MATCH_WORK_BUDGET. */
export interface MatchBounds {
  maxInputLength?: number;
  workBudget?: number;
}

/** A pattern compiled by RE2 but not yet given match bounds; see {@link boundPattern}. */
export interface CompiledSource {
  readonly source: string;
  readonly programSize: number;
  /** The compiled program (opaque outside this module). */
  readonly program: unknown;
}

export type SourceCompileResult =
  | { ok: true; compiled: CompiledSource }
  | { ok: false; code: Extract<RestrictionErrorCode, 'INVALID_PATTERN' | 'UNSUPPORTED_PATTERN'>; detail: string };

/** Compiles `source` with RE2 semantics; never throws for bad user input. */
export function compileSource(source: string): SourceCompileResult {
  if (/[\r\n\0]/.test(source)) {
    return { ok: false, code: 'INVALID_PATTERN', detail: 'a pattern may not contain line breaks or NUL characters' };
  }
  try {
    const program = RE2JS.compile(source);
    return { ok: true, compiled: { source, programSize: program.programSize(), program } };
  } catch (err) {
    const unsupported = findUnsupportedConstruct(source);
    if (unsupported) {
      return { ok: false, code: 'UNSUPPORTED_PATTERN', detail: `${unsupported} is not supported (RE2 syntax, linear-time matching)` };
    }
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, code: 'INVALID_PATTERN', detail: message.replace(/^error parsing regexp: /, '') };
  }
}

/** A compiled source with its match bounds (cheap: nothing is compiled again). */
export function boundPattern(compiled: CompiledSource, bounds: MatchBounds = {}): SafePattern {
  return new Re2SafePattern(compiled.source, compiled.program as RE2JS,
    bounds.maxInputLength ?? DEFAULT_MAX_MATCH_INPUT_LENGTH, bounds.workBudget ?? DEFAULT_MATCH_WORK_BUDGET);
}

/** Compiles `source`; never throws for bad user input. */
export function compileSafePattern(source: string, bounds: MatchBounds = {}): PatternCompileResult {
  const r = compileSource(source);
  return r.ok ? { ok: true, pattern: boundPattern(r.compiled, bounds) } : r;
}
